"""What gunicorn's and the worker's logs tell of a drill: worker starts, outages, tracebacks."""

import re
from collections import Counter
from datetime import datetime

# gunicorn's log line for a worker it starts (at start-up, and to replace one: max_requests).
GUNICORN_BOOT = re.compile(r"^\[([^\]]+)\] \[\d+\] \[INFO\] Booting worker", re.MULTILINE)
TRACEBACK = "Traceback (most recent call last)"


def traceback_endings(log):
    """How often each exception line ends a traceback in a log."""
    endings = Counter()
    lines = log.splitlines()
    for number, line in enumerate(lines):
        if line.startswith(TRACEBACK):
            for following in lines[number + 1 :]:
                if following and not following.startswith(" "):
                    endings[following] += 1
                    break
    return endings


def gunicorn_boots(log_path):
    """When gunicorn started a worker (time.time()), from its log."""
    boots = []
    for stamp in GUNICORN_BOOT.findall(log_path.read_text(errors="replace")):
        boots.append(datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S %z").timestamp())
    return boots


def print_logs(log_path, worker_log_path):
    errors = log_path.read_text(errors="replace")
    logged = len(re.findall(r"Database unavailable, answering 503", errors))
    redis_logged = len(re.findall(r"Redis at \S+ is unreachable", errors))
    tracebacks = errors.count(TRACEBACK)
    print(
        f"\nThe app's log: the database outage reported {logged} time(s), the Redis outage "
        f"{redis_logged} time(s) (at most once a minute by each worker process; gunicorn "
        f"replaces a worker every thousand requests or so); {tracebacks} traceback(s) in all "
        "(a database error carries psycopg's as its cause)."
    )
    for line, count in traceback_endings(errors).most_common(5):
        print(f"  {count} × {line[:160]}")
    worker_log = worker_log_path.read_text(errors="replace")
    print(
        f"The worker's log: {worker_log.count(TRACEBACK)} "
        "traceback(s) (each failed mail try raises, so the admin shows it as failed)."
    )
    for line, count in traceback_endings(worker_log).most_common(5):
        print(f"  {count} × {line[:160]}")
