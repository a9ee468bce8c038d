#!/usr/bin/env python
"""Benchmark, not a test: the two task queues we could run, briefly compared.

    .venv/bin/python bench/task_backends.py [--enqueues 500] [--starts 50]
                                           [--redis-url redis://127.0.0.1:6379/13]

django-tasks-db (`django_tasks_db.DatabaseBackend`, what the site runs) on a throwaway
PostgreSQL cluster, and django-tasks-rq (`django_tasks_rq.RQBackend`) on the local Redis, in a
database number of its own that must be empty and is flushed at the end. django-tasks-rq is not
a dependency of the project: when it (or django-rq) cannot be imported, only the database
backend is measured. Each backend is measured in a process of its own (the RQ one with
bench/rq_settings.py), with its own worker as production would run it (`manage.py db_worker
--interval 1`, the Procfile's line; `manage.py rqworker`):

1. The worker down: --enqueues calls of `task.enqueue()`, each timed (what a request pays), in
   autocommit (the database backend's figure includes its own commit), then as many inside one
   transaction (as a signup enqueues: the row and the task share the request's commit).
2. The worker started: how long until every one of those tasks has run (none lost).
3. Idle worker running: --starts tasks, one at a time at random moments, each reporting the
   worker's clock when it began: the latency from enqueue to start.
4. A task enqueued in the transaction that writes the row it is about: does the worker see the
   row? (Committed 0.3 s after the enqueue.)
5. RQ only: enqueue with Redis unreachable.

Everything it makes is removed on exit, Ctrl-C included.
"""

import argparse
import contextlib
import importlib.util
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import TaskWorker, scratch_postgres  # noqa: E402
from bench.site import (  # noqa: E402
    free_port,
    markdown_table,
    percentile,
    run_and_clean_up,
    run_checked,
    server_environment,
    stop_on_signals,
)

DB_WORKER = ["manage.py", "db_worker", "--no-reload", "--interval", "1"]
RQ_WORKER = ["manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
# Each backend: its label, the settings it is measured with, the alias of its backend there,
# and its worker.
BACKENDS = {
    "database": ("django-tasks-db, PostgreSQL", "rs_cms.settings", "default", DB_WORKER),
    "rq": ("django-tasks-rq, Redis", "bench.rq_settings", "rq", RQ_WORKER),
}
# Generous deadlines for a busy machine: the figures are measured, not these.
PATIENCE = 120


def rq_importable():
    return all(importlib.util.find_spec(name) for name in ("django_tasks_rq", "django_rq"))


# --- In the measuring process -----------------------------------------------------------------


def wait_for(result, patience=PATIENCE):
    """Refresh a task result until it has finished; its return value."""
    from django.tasks import TaskResultStatus

    deadline = time.monotonic() + patience
    while True:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return result.return_value
        if result.status == TaskResultStatus.FAILED:
            raise SystemExit(f"task {result.id} failed: {result.errors}")
        if time.monotonic() > deadline:
            raise SystemExit(f"task {result.id} did not finish within {patience} s")
        time.sleep(0.01)


def measure(backend, enqueues, starts, workdir):
    """Measure the backend this process is configured with; a dict of figures."""
    import django

    django.setup()
    from django.db import transaction
    from django.tasks import TaskResultStatus, task_backends

    from bench import task_probe
    from newsletter.models import Newsletter, Subscription

    _, _, alias, command = BACKENDS[backend]
    report_start = task_probe.report_start.using(backend=alias)
    sees_subscription = task_probe.sees_subscription.using(backend=alias)
    figures = {"backend": backend, "priorities": task_backends[alias].supports_priority}
    worker = TaskWorker(dict(os.environ), workdir / f"{backend}-worker.log", command)
    try:
        # 1. The worker down: what an enqueue costs the request, and whether it succeeds. Alone
        # (autocommit: the database backend commits each), and inside a transaction, as a
        # signup enqueues: there the request's own commit carries the task row with it.
        results = []
        for setting in ("alone", "in_transaction"):
            timings = []
            with transaction.atomic() if setting == "in_transaction" else contextlib.nullcontext():
                for _ in range(enqueues):
                    started = time.perf_counter()
                    results.append(report_start.enqueue())
                    timings.append((time.perf_counter() - started) * 1e6)
            figures[f"enqueue_{setting}_us"] = statistics.median(timings)
            figures[f"enqueue_{setting}_p90_us"] = percentile(timings, 0.9)
        time.sleep(1)
        results[-1].refresh()
        figures["waiting_while_down"] = results[-1].status == TaskResultStatus.READY

        # 2. The worker comes back: every task kept runs.
        started = time.monotonic()
        worker.start()
        wait_for(results[-1])
        figures["backlog_s"] = time.monotonic() - started
        ran = 0
        for result in results:
            result.refresh()
            ran += result.status == TaskResultStatus.SUCCESSFUL
        figures["backlog_ran"] = ran

        # 3. An idle worker: enqueue to start, at moments that do not follow its polling.
        latencies = []
        for _ in range(starts):
            time.sleep(random.uniform(0.05, 0.6))
            enqueued = time.time()
            began = wait_for(report_start.enqueue())
            latencies.append((began - enqueued) * 1000)
        figures["start_ms"] = statistics.median(latencies)
        figures["start_p90_ms"] = percentile(latencies, 0.9)

        # 4. Enqueued with its row, committed a moment later: does the worker see the row?
        newsletter, _ = Newsletter.objects.get_or_create(
            slug="bench-tasks", defaults={"name": "Bench"}
        )
        seen = 0
        trials = 5
        for number in range(trials):
            email = f"{backend}-{number}-{time.time_ns()}@example.org"
            with transaction.atomic():
                Subscription.objects.create(newsletter=newsletter, email=email)
                result = sees_subscription.enqueue(email)
                time.sleep(0.3)
            seen += bool(wait_for(result))
        figures["row_seen"] = f"{seen}/{trials}"

        # 5. Redis unreachable (RQ only): the database queue is down only with the database
        # the request needs anyway.
        if backend == "rq":
            try:
                report_start.using(queue_name="down").enqueue()
                figures["store_down"] = "enqueue succeeded"
            except Exception as error:  # whatever it raises is the finding
                figures["store_down"] = (
                    f"enqueue raised {type(error).__module__}.{type(error).__name__}"
                )
        else:
            figures["store_down"] = "the request's own database is down: it answers 503 anyway"
    finally:
        worker.stop()
    return figures


# --- The orchestrating process ----------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.cleanups = contextlib.ExitStack()
        self.notes = []

    def prepare(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="rs-cms-bench-tasks-"))
        self.cleanups.callback(shutil.rmtree, self.workdir, ignore_errors=True)
        self.postgres = scratch_postgres(self.workdir, self.cleanups, self.args.pg_bin)
        self.env = server_environment(
            database_url=self.postgres.url(),
            cache_url="locmem://",
            workdir=self.workdir,
            TASKS_BACKEND="database",
            PYTHONUNBUFFERED="1",
        )
        print("migrate")
        run_checked(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
        )

    def redis_ready(self):
        """Whether the RQ side can run: the packages import and the Redis db is free."""
        if not rq_importable():
            self.notes.append(
                "django-tasks-rq (or django-rq) is not importable in this environment: only the "
                "database backend was measured. It is not a dependency of the project; "
                "`pip install django-tasks-rq` into .venv to compare."
            )
            return False
        import redis

        self.redis = redis.Redis.from_url(self.args.redis_url)
        self.cleanups.callback(self.redis.close)
        try:
            keys = self.redis.dbsize()
        except redis.RedisError as error:
            self.notes.append(f"Redis at {self.args.redis_url} is unreachable ({error}).")
            return False
        if keys:
            raise SystemExit(
                f"{self.args.redis_url} holds {keys} keys: not ours to flush. "
                "Choose an empty database with --redis-url."
            )
        self.cleanups.callback(self.redis.flushdb)
        self.redis_version = self.redis.info("server").get("redis_version", "?")
        return True

    def measure(self, backend):
        label, settings_module, _, _ = BACKENDS[backend]
        print(f"{label}: measuring")
        env = {
            **self.env,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "BENCH_RQ_URL": self.args.redis_url,
            "BENCH_RQ_DOWN_URL": f"redis://127.0.0.1:{free_port()}/0",
        }
        output = run_checked(
            [
                sys.executable,
                __file__,
                "--measure",
                backend,
                "--enqueues",
                str(self.args.enqueues),
                "--starts",
                str(self.args.starts),
                "--workdir",
                str(self.workdir),
            ],
            cwd=ROOT,
            env=env,
        )
        line = next(line for line in output.splitlines() if line.startswith("RESULT "))
        return json.loads(line.removeprefix("RESULT "))

    def run(self):
        self.prepare()
        backends = ["database", "rq"] if self.redis_ready() else ["database"]
        figures = [self.measure(backend) for backend in backends]
        self.report(figures)

    def report(self, figures):
        args = self.args
        versions = {
            "database": f"django-tasks-db {package_version('django-tasks-db')}, "
            f"{self.postgres.version()}",
            "rq": f"django-tasks-rq {package_version('django-tasks-rq')}, django-rq "
            f"{package_version('django-rq')}, rq {package_version('rq')}, Redis "
            f"{getattr(self, 'redis_version', '?')}",
        }
        rows = []
        for f in figures:
            rows.append(
                [
                    versions[f["backend"]],
                    f"{f['enqueue_alone_us']:.0f} (p90 {f['enqueue_alone_p90_us']:.0f})",
                    f"{f['enqueue_in_transaction_us']:.0f} "
                    f"(p90 {f['enqueue_in_transaction_p90_us']:.0f})",
                    f"{f['start_ms']:.1f} (p90 {f['start_p90_ms']:.1f})",
                    ("yes, kept" if f["waiting_while_down"] else "no")
                    + f"; {f['backlog_ran']}/{2 * args.enqueues} ran within "
                    f"{f['backlog_s']:.1f} s of its start",
                    f["row_seen"],
                    f["store_down"],
                    "yes" if f["priorities"] else "no",
                ]
            )
        print("\n## Task queue backends\n")
        print(
            f"- Command: `.venv/bin/python bench/task_backends.py --enqueues {args.enqueues} "
            f"--starts {args.starts}`; load average "
            + ", ".join(f"{x:.2f}" for x in os.getloadavg())
            + f" at the end, `nproc` {len(os.sched_getaffinity(0))}"
        )
        print(
            "- Workers: `manage.py db_worker --interval 1` (the Procfile's), "
            "`manage.py rqworker default --job-class django_tasks_rq.Job` (django-rq's, "
            "forking a work horse per job)\n"
        )
        print(
            markdown_table(
                [
                    "backend",
                    "enqueue µs, median (autocommit)",
                    "enqueue µs, median (in a transaction)",
                    "enqueue → start ms, median (idle worker)",
                    f"worker down: {2 * args.enqueues} enqueued",
                    "task saw the row enqueued with it",
                    "its store unreachable",
                    "task priorities",
                ],
                rows,
            )
        )
        for note in self.notes:
            print(f"\nNOTE: {note}")

    def cleanup(self):
        self.cleanups.close()


def package_version(name):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enqueues", type=int, default=500, help="timed enqueue() calls")
    parser.add_argument("--starts", type=int, default=50, help="tasks timed to their start")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="an empty Redis database for RQ (flushed at the end)",
    )
    parser.add_argument("--pg-bin", help="folder of initdb and pg_ctl (default: the newest)")
    parser.add_argument("--measure", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.enqueues < 10 or args.starts < 10:
        parser.error("--enqueues and --starts must be at least 10")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.measure:
        stop_on_signals()
        figures = measure(args.measure, args.enqueues, args.starts, Path(args.workdir))
        print("RESULT " + json.dumps(figures))
        return
    run_and_clean_up(Bench(args), "workers, Redis db, PostgreSQL, temporary files")


if __name__ == "__main__":
    main()
