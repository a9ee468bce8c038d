#!/usr/bin/env python
"""Fault drill, not a test: PostgreSQL, Redis, the mail server and the task worker, each failed
and restored under load.

    .venv/bin/python bench/fault_drill.py [--seconds 30] [--outage 8] [--clients 4]
                                          [--mail-seconds 20] [--mail-outage 8]

It leaves the PostgreSQL and Redis that others use alone: it makes its own throwaway PostgreSQL
cluster (initdb from /usr/lib/postgresql/*/bin, run as the `postgres` user when started as root,
on a free loopback port with its socket in a temporary folder) and its own redis-server on a
free port (without one installed, CACHE_URL points at a closed port: the cache is down all
along, which is what the Redis part drills). It migrates, loads the demo (`load_demo`),
collects the static files and serves the site with gunicorn (gunicorn.conf.py, 2 workers,
DEBUG off, a persistent connection per worker, no worker recycling unless --max-requests says
so), as bench/site.py does, and runs the task worker beside it (`manage.py run_worker`, the
Procfile's line). Mail goes by SMTP to a loopback port the drill owns, where an aiosmtpd inbox
takes it, except while a mail round puts something worse there; retries come every second or
two (MAIL_RETRY_DELAYS) and a silent server costs a try --smtp-timeout seconds.

Then rounds of load, with --clients threads reading pages (the page cache's addresses, and the
same pages with a query string the cache never takes, so the database is read every time) and
posting newsletter signups, each with an address of its own. Each round fails one thing a third
of the way in and restores it --outage (--mail-outage) seconds later:

1. PostgreSQL: stopped (`pg_ctl stop -m fast`, which cuts the workers' connections).
2. Redis: stopped the same way, then started again (empty, as after a restart).
3. The mail server accepts connections and never answers (not even the greeting).
4. The mail server refuses connections (nothing listens on its port).
5. The mail server answers slowly: --slow-reply seconds before it takes each message.
6. The task worker is stopped (SIGTERM, as a supervisor stops it) and started again.

It prints every request's outcome, by round, window (before, during, after the fault) and kind:
served (2xx/3xx), the friendly 503 page (recognised by its heading), 500s, other answers, and
connection errors, with the median and slowest answer. Then what was lost: every signup that
was answered with success must be in the database afterwards, and every article and
subscription there before must still be there. Last, with the inbox working and the worker
running, it waits until the queue is empty (no task waiting, due or deferred, none running)
and counts the confirmation mails: exactly one per acknowledged signup, none missing, none twice.

It exits non-zero if anything was lost, any 500 (or other unexpected answer) was seen, the
site did not serve again within --grace seconds of PostgreSQL coming back, any request failed
while only Redis was down, any request failed or took --slow-limit seconds or more during the
mail and worker rounds, the worker exited without being asked to (it is then started again, as
a supervisor would), a task was left running for good by a worker that exited, the queue did
not empty within --drain-timeout seconds, or a confirmation mail was missing, sent twice, or
sent without its row recording it. Everything it makes is removed on exit, Ctrl-C included.
"""

import argparse
import contextlib
import http.client
import itertools
import json
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import (  # noqa: E402  (the repository root goes on the path first)
    Gunicorn,
    Inbox,
    MailServer,
    Redis,
    SilentMailServer,
    TaskWorker,
    scratch_postgres,
)
from bench.site import (  # noqa: E402
    SITE_URL,
    WORKERS,
    fetch,
    free_port,
    markdown_table,
    run_and_clean_up,
    run_checked,
    server_environment,
)

OUTCOMES = ["served", "friendly 503", "500", "other answer", "connection error"]
KINDS = ["page, cacheable", "page, uncached", "signup"]
WINDOWS = ["before", "during", "after"]
# The rounds where readers must notice nothing: every request served, none slow.
SILENT_SERVER = "mail server silent"
REFUSING_SERVER = "mail server refusing"
SLOW_SERVER = "mail server slow"
WORKER_STOPPED = "task worker stopped"
MAIL_DRILLS = [SILENT_SERVER, REFUSING_SERVER, SLOW_SERVER, WORKER_STOPPED]
# The worker's warning for a try the mail server refused (its traceback follows it).
REFUSED_TRY = re.compile(r"Confirmation mail to subscription \d+ failed on try \d+ \(.*refused")
# gunicorn's log line for a worker it starts (at start-up, and to replace one: max_requests).
GUNICORN_BOOT = re.compile(r"^\[([^\]]+)\] \[\d+\] \[INFO\] Booting worker", re.MULTILINE)
# The tasks table of django-tasks-db, read with plain SQL as the drill reads everything else.
TASKS_TABLE = "django_tasks_database_dbtaskresult"


# --- Pure helpers (tested in tests/test_bench_helpers.py) -------------------------------------


@dataclass
class MailTally:
    """Confirmation mails against acknowledged signups, addresses compared case-insensitively."""

    acknowledged: int
    received: int
    missing: list = field(default_factory=list)
    twice: dict = field(default_factory=dict)  # address -> copies received
    unacknowledged: list = field(default_factory=list)

    @property
    def lost_or_doubled(self):
        return bool(self.missing or self.twice)


def mail_tally(acknowledged, recipients):
    """Which acknowledged addresses got no mail, which got more than one, and which got one
    though no answer told the client so (a request cut off after the server did its work:
    not a fault, but shown)."""
    wanted = {address.lower() for address in acknowledged}
    received = Counter(recipient.lower() for recipient in recipients)
    return MailTally(
        acknowledged=len(wanted),
        received=sum(received.values()),
        missing=sorted(wanted - received.keys()),
        twice={address: count for address, count in sorted(received.items()) if count > 1},
        unacknowledged=sorted(received.keys() - wanted),
    )


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass
class Result:
    drill: str
    kind: str
    started: float
    outcome: str
    detail: str = ""
    cache: str = ""
    seconds: float = 0.0
    wall: float = 0.0  # time.time() when sent, to set beside the server's log


def heading(html):
    """The text of a page's first <h1>, or None."""
    from bs4 import BeautifulSoup

    h1 = BeautifulSoup(html, "html.parser").h1
    return h1.get_text(strip=True) if h1 else None


# The friendly page's heading, read from its template, so the drill recognises the real thing.
UNAVAILABLE_HEADING = heading((ROOT / "templates" / "503.html").read_text())


def classify(status, body):
    if status is None:
        return "connection error"
    if 200 <= status < 400:
        return "served"
    if status == 503 and heading(body.decode("utf-8", "replace")) == UNAVAILABLE_HEADING:
        return "friendly 503"
    if status == 500:
        return "500"
    return "other answer"


def median_ms(results):
    return statistics.median(r.seconds for r in results) * 1000


def traceback_endings(log):
    """How often each exception line ends a traceback in a log."""
    endings = Counter()
    lines = log.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last)"):
            for following in lines[number + 1 :]:
                if following and not following.startswith(" "):
                    endings[following] += 1
                    break
    return endings


def request(base_url, method, path, body=None, timeout=15):
    """(status, body, X-Page-Cache); status None when the connection itself failed."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    # As a reader's request reaches the app through the proxy: for the site's own host, the
    # only one whose pages the page cache stores.
    headers = {"Host": urlsplit(SITE_URL).netloc}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("X-Page-Cache", "")
    except (OSError, http.client.HTTPException) as error:
        return None, str(error).encode(), ""
    finally:
        connection.close()


def max_ms(results):
    return max(r.seconds for r in results) * 1000


class Drill:
    def __init__(self, args):
        self.args = args
        self.cleanups = contextlib.ExitStack()
        self.results = []
        self.results_lock = threading.Lock()
        self.acknowledged = []  # signup addresses answered with success
        self.events = {}  # drill -> (fault started, fault over)
        self.evidence = {}  # drill -> what shows the fault was met
        self.failures = []
        self.run_id = secrets.token_hex(3)
        self.began = time.monotonic()
        self.began_wall = time.time()

    def say(self, text):
        """A line of progress, stamped with the seconds since the drill began."""
        print(f"[{time.monotonic() - self.began:5.0f} s] {text}", flush=True)

    # Setting up

    def prepare(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="rs-cms-fault-drill-"))
        self.cleanups.callback(shutil.rmtree, self.workdir, ignore_errors=True)
        self.postgres = scratch_postgres(self.workdir, self.cleanups, self.args.pg_bin)

        if shutil.which("redis-server"):
            self.redis = Redis(self.workdir)
            self.redis.start()
            self.cleanups.callback(self.redis.stop)
            cache_port = self.redis.port
            self.say(f"redis-server on port {cache_port}")
        else:
            self.redis = None
            cache_port = free_port()
            self.say(f"no redis-server: CACHE_URL points at closed port {cache_port} (cache down)")

        self.mail_port = free_port()
        self.inbox = Inbox()
        self.mail_server = MailServer(self.inbox, self.mail_port)
        self.silent_server = None
        # Enough tries, a second or two apart, that no message is given up before the
        # drill's last outage is over (each silent try also costs --smtp-timeout).
        retries = ",".join(["1"] + ["2"] * self.args.mail_tries)
        self.env = server_environment(
            database_url=self.postgres.url(),
            cache_url=f"redis://127.0.0.1:{cache_port}/0",
            workdir=self.workdir,
            # Every client posts from 127.0.0.1: the drill needs far more than a reader's share.
            SIGNUP_RATE_LIMIT="1000000",
            TASKS_BACKEND="database",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(self.mail_port),
            SMTP_USE_TLS="0",
            SMTP_TIMEOUT=str(self.args.smtp_timeout),
            MAIL_RETRY_DELAYS=retries,
            PYTHONUNBUFFERED="1",
        )
        for command in (
            ["migrate", "--no-input", "-v", "0"],
            ["load_demo"],
            ["collectstatic", "--no-input", "-v", "0"],
        ):
            self.say(f"manage.py {command[0]}")
            self.manage(*command)

    def manage(self, *command):
        return run_checked([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env)

    def start_site(self):
        self.mail_server.start()
        self.cleanups.callback(self.stop_mail_servers)
        self.say(f"aiosmtpd inbox on port {self.mail_port}")
        self.log_path = self.workdir / "gunicorn.log"
        # gunicorn.conf.py replaces each worker after about a thousand requests; two workers
        # that share the load reach it within seconds of each other, and readers then wait on
        # the new workers' start-up whatever the fault. Off unless asked for, as in bench/site.py.
        self.server = Gunicorn(
            self.env, self.log_path, "--max-requests", str(self.args.max_requests)
        )
        self.cleanups.callback(self.server.stop)
        self.server.start()
        self.base_url = self.server.base_url
        self.say(f"gunicorn on {self.base_url}: {WORKERS} workers, gunicorn.conf.py")
        self.worker_log = self.workdir / "worker.log"
        self.worker = TaskWorker(self.env, self.worker_log, name=f"drill-{self.run_id}")
        self.cleanups.callback(self.worker.stop)
        self.worker.start()
        self.say("task worker: manage.py run_worker --interval 1")

    def stop_mail_servers(self):
        self.mail_server.stop()
        if self.silent_server is not None:
            self.silent_server.close()
            self.silent_server = None

    def choose_pages(self):
        """The front page and some articles (from the sitemaps), and the signup form's fields."""
        from bs4 import BeautifulSoup

        status, body = fetch(self.base_url, "/")
        soup = BeautifulSoup(body.decode(), "html.parser")
        form = soup.find("form", action=re.compile("signup"))
        self.signup_path = form["action"]
        self.signup_fields = {
            field["name"]: field.get("value", "")
            for field in form.find_all("input", type="hidden")
            if field.get("name")
        }
        articles = []
        _, index = fetch(self.base_url, "/sitemap.xml")
        for sitemap in re.findall(r"<loc>([^<]+)</loc>", index.decode()):
            _, listing = fetch(self.base_url, urlsplit(sitemap).path)
            for loc in re.findall(r"<loc>([^<]+)</loc>", listing.decode()):
                path = urlsplit(loc).path
                if path.count("/") == 3 and fetch(self.base_url, path)[0] == 200:
                    articles.append(path)
                if len(articles) == 6:
                    break
            if len(articles) == 6:
                break
        self.pages = ["/", *articles]
        self.say(f"pages: {', '.join(self.pages)}; signups to {self.signup_path}")

    def query(self, sql, parameters=()):
        import psycopg

        with psycopg.connect(self.postgres.url()) as connection:
            return connection.execute(sql, parameters).fetchall()

    def snapshot(self):
        """Ids of every article and subscription in the database now."""
        articles = {row[0] for row in self.query("SELECT id FROM articles_article")}
        subscriptions = {row[0] for row in self.query("SELECT id FROM newsletter_subscription")}
        return articles, subscriptions

    # Load

    def client(self, number, drill, stop):
        counter = itertools.count()
        kinds = itertools.cycle(KINDS[number % len(KINDS) :] + KINDS[: number % len(KINDS)])
        while not stop.is_set():
            n = next(counter)
            kind = next(kinds)
            page = self.pages[(n + number) % len(self.pages)]
            started, wall = time.monotonic(), time.time()
            email = ""
            if kind == "page, cacheable":
                status, body, cached = request(self.base_url, "GET", page)
            elif kind == "page, uncached":
                # The page cache takes no address with a parameter no page reads.
                path = f"{page}?drill={self.run_id}-{number}-{n}"
                status, body, cached = request(self.base_url, "GET", path)
            else:
                email = f"drill-{self.run_id}-{slug(drill)}-{number}-{n}@example.org"
                form = urlencode({**self.signup_fields, "email": email, "source": page})
                status, body, cached = request(self.base_url, "POST", self.signup_path, form)
            outcome = classify(status, body)
            result = Result(
                drill,
                kind,
                started,
                outcome,
                str(status or body.decode()),
                cached,
                time.monotonic() - started,
                wall,
            )
            with self.results_lock:
                self.results.append(result)
                if email and outcome == "served":
                    self.acknowledged.append(email)

    def run_drill(self, name, stop_service, start_service, seconds, outage):
        """Load for `seconds`; the service stops a third of the way in, for `outage` seconds."""
        stop = threading.Event()
        threads = [
            threading.Thread(target=self.client, args=(number, name, stop), daemon=True)
            for number in range(self.args.clients)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(seconds / 3)
        self.say(f"{name}: failing it under load")
        fault_started = time.monotonic()
        stop_service()
        time.sleep(outage)
        self.say(f"{name}: restoring it")
        start_service()
        fault_over = time.monotonic()
        self.events[name] = (fault_started, fault_over)
        time.sleep(max(seconds - (fault_over - began), self.args.grace + 5))
        stop.set()
        for thread in threads:
            thread.join()
        self.check_worker(name)

    def check_worker(self, during):
        """A worker that exited by itself is a fault of its own: noted, and started again, as
        a supervisor would (honcho, under `make serve`, would stop the web server with it)."""
        if self.worker.check():
            return
        status = self.worker.exits[-1][0]
        self.failures.append(
            f"the task worker exited by itself (status {status}) during the {during} round; "
            "the drill started it again"
        )
        self.say(f"{during}: the task worker had exited (status {status}): starting it again")
        self.worker.start()

    # The mail rounds: what each puts in the inbox's place, and takes away again

    def silence_mail(self):
        self.mail_server.stop()
        self.silent_server = SilentMailServer(self.mail_port)

    def restore_mail_after_silence(self):
        met = len(self.silent_server.connections)
        self.evidence[SILENT_SERVER] = (met, f"{met} connection(s) from the worker met silence")
        self.silent_server.close()
        self.silent_server = None
        self.mail_server.start()

    def refused_tries(self):
        return len(REFUSED_TRY.findall(self.worker_log.read_text(errors="replace")))

    def refuse_mail(self):
        self.refused_before = self.refused_tries()
        self.mail_server.stop()

    def restore_mail_after_refusal(self):
        self.mail_server.start()
        met = self.refused_tries() - self.refused_before
        self.evidence[REFUSING_SERVER] = (met, f"{met} try(s) refused, by the worker's log")

    def slow_mail(self):
        self.slow_since = len(self.inbox.messages)
        self.inbox.delay = self.args.slow_reply

    def restore_mail_speed(self):
        self.inbox.delay = 0.0
        met = len(self.inbox.messages) - self.slow_since
        self.evidence[SLOW_SERVER] = (
            met,
            f"{met} message(s) taken {self.args.slow_reply:g} s after their data",
        )

    def stop_worker(self):
        self.check_worker(WORKER_STOPPED)
        seconds = self.worker.stop()
        self.worker_stop_seconds = seconds
        self.say(f"{WORKER_STOPPED}: the worker exited {seconds:.2f} s after SIGTERM")

    def restart_worker(self):
        waiting = self.queue_counts()["waiting"]
        self.worker.start()
        self.evidence[WORKER_STOPPED] = (
            waiting,
            f"exited {self.worker_stop_seconds:.2f} s after SIGTERM; {waiting} task(s) waiting "
            "when it was started again",
        )

    # The queue and the mail, at the end

    def queue_counts(self):
        """Tasks by state: due (waiting, may run now), deferred (waiting, later), running (by
        the worker running now), orphaned (running by a worker gone), and each finished state."""
        counts = Counter()
        rows = self.query(
            f"SELECT status, run_after <= now() OR run_after > now() + interval '100 years', "
            f"NOT worker_ids @> %s::jsonb, count(*) FROM {TASKS_TABLE} GROUP BY 1, 2, 3",
            [json.dumps([self.worker.worker_id if self.worker.alive() else ""])],
        )
        for status, due, elsewhere, count in rows:
            if status == "READY":
                counts["due" if due else "deferred"] += count
                counts["waiting"] += count
            elif status == "RUNNING":
                counts["orphaned" if elsewhere else "running"] += count
            else:
                counts[status.lower()] += count
        return counts

    def unfinished(self):
        """Tasks waiting or running, by task: what the queue still holds."""
        rows = self.query(
            f"SELECT task_path, count(*) FROM {TASKS_TABLE} "
            "WHERE status IN ('READY', 'RUNNING') GROUP BY 1 ORDER BY 2 DESC"
        )
        return ", ".join(f"{count} {path.rsplit('.', 1)[-1]}" for path, count in rows) or "none"

    def orphans(self):
        """The tasks a worker claimed and never finished: (task, arguments, started, worker)."""
        current = self.worker.worker_id if self.worker.alive() else ""
        return self.query(
            f"SELECT task_path, args_kwargs, started_at, worker_ids FROM {TASKS_TABLE} "
            "WHERE status = 'RUNNING' AND NOT worker_ids @> %s::jsonb ORDER BY started_at",
            [json.dumps([current])],
        )

    def drain(self):
        """Wait, with the inbox working and the worker running, until no task waits or runs
        (in this worker: one left running by a worker that exited never ends); then long
        enough for a second copy of any message to show up. Returns the seconds it took, or
        None if the queue was not empty by --drain-timeout."""
        self.say(
            f"draining the queue (inbox working, worker running; up to {self.args.drain_timeout} s)"
        )
        started = time.monotonic()
        deadline = started + self.args.drain_timeout
        shown = 0.0
        while True:
            self.check_worker("drain")
            counts = self.queue_counts()
            if not (counts["waiting"] or counts["running"]):
                break
            if time.monotonic() > deadline:
                return None
            if time.monotonic() - shown >= 10:
                shown = time.monotonic()
                self.say(f"  still to run: {self.unfinished()}")
            time.sleep(0.5)
        drained = time.monotonic() - started
        time.sleep(self.args.settle)
        return drained

    def unrecorded(self):
        """Drill addresses whose row records no confirmation mail sent."""
        return {
            row[0].lower()
            for row in self.query(
                "SELECT email FROM newsletter_subscription "
                "WHERE email LIKE %s AND confirmation_sent_at IS NULL",
                [f"drill-{self.run_id}-%"],
            )
        }

    def gunicorn_boots(self):
        """When gunicorn started a worker (time.time()), from its log."""
        boots = []
        for stamp in GUNICORN_BOOT.findall(self.log_path.read_text(errors="replace")):
            boots.append(datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S %z").timestamp())
        return boots

    # The report

    def report(self, before, after, lost_signups):
        failures = self.failures
        rows = []
        for drill in self.events:
            for window in WINDOWS:
                for kind in KINDS:
                    chosen = [
                        r
                        for r in self.results
                        if r.drill == drill and r.kind == kind and self.window(r) == window
                    ]
                    counts = Counter(r.outcome for r in chosen)
                    hits = sum(r.cache == "hit" for r in chosen)
                    rows.append(
                        [drill, window, kind, len(chosen)]
                        + [counts[outcome] for outcome in OUTCOMES]
                        + [hits if kind == "page, cacheable" else ""]
                        + [f"{median_ms(chosen):.0f}" if chosen else "–"]
                        + [f"{max_ms(chosen):.0f}" if chosen else "–"]
                    )
        print("\n## Requests\n")
        print(
            markdown_table(
                [
                    "fault",
                    "window",
                    "kind",
                    "requests",
                    *OUTCOMES,
                    "page-cache hits",
                    "p50 ms",
                    "max ms",
                ],
                rows,
            )
        )
        print(
            "\nWindows, by when a request was sent: before the fault, between it and the "
            "service being restored, after that. Page-cache hits are answers served from the "
            "cache (X-Page-Cache: hit)."
        )
        totals = Counter(r.outcome for r in self.results)
        print(
            f"\nIn all: {len(self.results)} requests, {totals['served']} served, "
            f"{len(self.results) - totals['served']} failed ("
            + ", ".join(f"{totals[outcome]} {outcome}" for outcome in OUTCOMES[1:])
            + ")."
        )
        details = Counter(
            r.detail for r in self.results if r.outcome in {"other answer", "connection error"}
        )
        if details:
            print(
                "Other answers and connection errors: "
                + "; ".join(f"{detail} ×{count}" for detail, count in details.most_common(5))
            )

        articles_before, subscriptions_before = before
        articles_after, subscriptions_after = after
        lost_articles = articles_before - articles_after
        lost_subscriptions = subscriptions_before - subscriptions_after
        print("\n## Lost\n")
        print(
            markdown_table(
                [
                    "what",
                    "before the drill",
                    "answered with success",
                    "in the database after",
                    "lost",
                ],
                [
                    ["articles", len(articles_before), "", len(articles_after), len(lost_articles)],
                    [
                        "subscriptions there before",
                        len(subscriptions_before),
                        "",
                        len(subscriptions_before & subscriptions_after),
                        len(lost_subscriptions),
                    ],
                    [
                        "signups during the drill",
                        "",
                        len(self.acknowledged),
                        len(self.acknowledged) - len(lost_signups),
                        len(lost_signups),
                    ],
                ],
            )
        )

        if lost_articles or lost_subscriptions or lost_signups:
            failures.append("data was lost")
        unexpected = totals["500"] + totals["other answer"]
        if unexpected:
            failures.append(f"{unexpected} answers were neither served nor the friendly 503")
        database_fault = self.events.get("PostgreSQL")
        if database_fault:
            resumed_at = database_fault[1] + self.args.grace
            late = [r for r in self.results if r.drill == "PostgreSQL" and r.started >= resumed_at]
            if not late or any(r.outcome != "served" for r in late):
                failures.append(
                    f"the site did not serve every request from {self.args.grace} s after "
                    "PostgreSQL was back"
                )
            if not any(r.outcome == "friendly 503" for r in self.results):
                failures.append("no request met the outage: the drill drilled nothing")
            first = min(
                (
                    r.started
                    for r in self.results
                    if r.drill == "PostgreSQL"
                    and r.kind != "page, cacheable"
                    and r.started >= database_fault[1]
                    and r.outcome == "served"
                ),
                default=None,
            )
            if first is not None:
                print(
                    f"\nFirst database read served {first - database_fault[1]:.2f} s after "
                    "PostgreSQL was back (no restart of the app)."
                )
        cache_failures = [r for r in self.results if r.drill == "Redis" and r.outcome != "served"]
        if cache_failures:
            failures.append(f"{len(cache_failures)} requests failed while only Redis was down")
        boots = self.gunicorn_boots()[WORKERS:]
        for drill in MAIL_DRILLS:
            mine = [r for r in self.results if r.drill == drill]
            failed = [r for r in mine if r.outcome != "served"]
            slow = [r for r in mine if r.seconds >= self.args.slow_limit]
            if failed:
                failures.append(f"{len(failed)} requests failed in the {drill} round")
            if slow:
                failures.append(
                    f"{len(slow)} requests took {self.args.slow_limit:g} s or more in the "
                    f"{drill} round (slowest {max_ms(slow):.0f} ms)"
                )
            for r in slow:
                # What else was going on: a gunicorn worker replaced (max_requests) around it.
                near = [boot for boot in boots if r.wall - 5 <= boot <= r.wall + r.seconds]
                print(
                    f"  slow: {r.kind} in the {drill} round ({self.window(r)}), "
                    f"{r.seconds * 1000:.0f} ms"
                    + (
                        f"; gunicorn started a worker {near[0] - r.wall:+.1f} s from its sending"
                        if near
                        else ""
                    )
                )
        print(
            f"\ngunicorn replaced a worker {len(boots)} time(s) during the drill "
            f"(--max-requests {self.args.max_requests})"
            + (
                ": at " + ", ".join(f"{boot - self.began_wall:.0f} s" for boot in boots)
                if boots
                else "."
            )
        )
        return failures

    def report_mail(self, drained):
        failures = self.failures
        counts = self.queue_counts()
        tally = mail_tally(self.acknowledged, self.inbox.recipients())
        unrecorded = self.unrecorded()
        mailed_unrecorded = sorted(set(self.inbox.recipients()) & unrecorded)
        orphans = self.orphans()
        worker_log = self.worker_log.read_text(errors="replace")
        retried = len(
            re.findall(r"Confirmation mail to subscription \d+ failed on try", worker_log)
        )
        given_up = len(re.findall(r"Giving up the confirmation mail", worker_log))
        print("\n## Mail\n")
        print(
            markdown_table(
                ["round", "the fault, as met"],
                [[drill, text] for drill, (_, text) in self.evidence.items()],
            )
        )
        print()
        print(
            markdown_table(
                ["", "count"],
                [
                    ["signups answered with success (all rounds)", tally.acknowledged],
                    ["confirmation mails the inbox took", tally.received],
                    ["acknowledged addresses with no mail", len(tally.missing)],
                    ["addresses mailed more than once", len(tally.twice)],
                    [
                        "mails to an address whose answer the client never got",
                        len(tally.unacknowledged),
                    ],
                    [
                        "addresses mailed whose row records no mail sent",
                        len(mailed_unrecorded),
                    ],
                    ["tries that failed and were retried (worker's log)", retried],
                    ["messages given up (worker's log)", given_up],
                    [
                        "tasks successful / failed (failed tries included)",
                        f"{counts['successful']} / {counts['failed']}",
                    ],
                    [
                        "tasks still waiting / running / left running by a worker gone",
                        f"{counts['waiting']} / {counts['running']} / {counts['orphaned']}",
                    ],
                    ["worker exits nobody asked for", len(self.worker.exits)],
                ],
            )
        )
        if drained is None:
            failures.append(
                f"the queue was not empty {self.args.drain_timeout} s after the last round "
                f"({counts['due']} due, {counts['deferred']} deferred, {counts['running']} "
                "running)"
            )
        else:
            print(
                f"\nThe queue was empty {drained:.1f} s after the last round; then "
                f"{self.args.settle:g} s more for any second copy."
            )
        if tally.missing:
            failures.append(
                f"{len(tally.missing)} acknowledged signups got no confirmation mail "
                f"(first: {', '.join(tally.missing[:3])})"
            )
        if tally.twice:
            failures.append(
                f"{len(tally.twice)} addresses got more than one confirmation mail "
                f"(first: {', '.join(f'{a} ×{n}' for a, n in list(tally.twice.items())[:3])})"
            )
        if given_up:
            failures.append(f"{given_up} confirmation mails were given up")
        if orphans:
            failures.append(
                f"{len(orphans)} task(s) left RUNNING for good by a worker that exited: "
                + "; ".join(
                    f"{path.rsplit('.', 1)[-1]}{tuple(arguments.get('args', []))} "
                    f"started {started:%H:%M:%S}"
                    for path, arguments, started, _ in orphans[:3]
                )
            )
        if mailed_unrecorded:
            failures.append(
                f"{len(mailed_unrecorded)} address(es) got their mail but the row records none "
                f"sent (its claim still held): {', '.join(mailed_unrecorded[:3])}"
            )
        for drill, (met, _) in self.evidence.items():
            if not met:
                failures.append(f"the {drill} round met no mail: it drilled nothing")
        return failures

    def window(self, result):
        fault_started, fault_over = self.events[result.drill]
        if result.started < fault_started:
            return "before"
        return "during" if result.started < fault_over else "after"

    def lost_signups(self):
        found = {
            row[0].lower()
            for row in self.query(
                "SELECT email FROM newsletter_subscription WHERE email LIKE %s",
                [f"drill-{self.run_id}-%"],
            )
        }
        return [email for email in self.acknowledged if email.lower() not in found]

    def run(self):
        args = self.args
        self.prepare()
        self.start_site()
        self.choose_pages()
        before = self.snapshot()
        self.run_drill(
            "PostgreSQL", self.postgres.stop, self.postgres.start, args.seconds, args.outage
        )
        if self.redis:
            self.run_drill("Redis", self.redis.stop, self.redis.start, args.seconds, args.outage)
        else:
            self.run_drill("Redis", lambda: None, lambda: None, args.seconds, args.outage)
        mail_rounds = {
            SILENT_SERVER: (self.silence_mail, self.restore_mail_after_silence),
            REFUSING_SERVER: (self.refuse_mail, self.restore_mail_after_refusal),
            SLOW_SERVER: (self.slow_mail, self.restore_mail_speed),
            WORKER_STOPPED: (self.stop_worker, self.restart_worker),
        }
        for name, (fail, restore) in mail_rounds.items():
            self.run_drill(name, fail, restore, args.mail_seconds, args.mail_outage)
        drained = self.drain()
        after = self.snapshot()
        self.report(before, after, self.lost_signups())
        self.report_mail(drained)
        errors = self.log_path.read_text(errors="replace")
        logged = len(re.findall(r"Database unavailable, answering 503", errors))
        redis_logged = len(re.findall(r"Redis at \S+ is unreachable", errors))
        tracebacks = errors.count("Traceback (most recent call last)")
        print(
            f"\nThe app's log: the database outage reported {logged} time(s), the Redis outage "
            f"{redis_logged} time(s) (at most once a minute by each worker process; gunicorn "
            f"replaces a worker every thousand requests or so); {tracebacks} traceback(s) in all "
            "(a database error carries psycopg's as its cause)."
        )
        for line, count in traceback_endings(errors).most_common(5):
            print(f"  {count} × {line[:160]}")
        worker_log = self.worker_log.read_text(errors="replace")
        print(
            f"The worker's log: {worker_log.count('Traceback (most recent call last)')} "
            "traceback(s) (each failed mail try raises, so the admin shows it as failed)."
        )
        for line, count in traceback_endings(worker_log).most_common(5):
            print(f"  {count} × {line[:160]}")
        print()
        if self.failures:
            for failure in self.failures:
                print(f"FAIL: {failure}")
            return 1
        print(
            "PASS: nothing lost, no 500, service resumed by itself after each fault; readers "
            "never waited on the mail server or the worker; every acknowledged signup got "
            "exactly one confirmation mail."
        )
        return 0

    def cleanup(self):
        self.cleanups.close()


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=int, default=30, help="length of the PostgreSQL and Redis rounds"
    )
    parser.add_argument("--outage", type=int, default=8, help="seconds each service is down")
    parser.add_argument(
        "--mail-seconds", type=int, default=20, help="length of each mail and worker round"
    )
    parser.add_argument(
        "--mail-outage",
        type=int,
        default=8,
        help="seconds the mail server is bad, or the worker stopped, in each of those rounds",
    )
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument(
        "--grace",
        type=float,
        default=3,
        help="seconds after PostgreSQL is back by which every request must be served again",
    )
    parser.add_argument(
        "--smtp-timeout", type=float, default=3, help="SMTP_TIMEOUT: what a silent server costs"
    )
    parser.add_argument(
        "--slow-reply",
        type=float,
        default=2,
        help="seconds the slow mail server waits before taking a message (below --smtp-timeout)",
    )
    parser.add_argument(
        "--mail-tries",
        type=int,
        default=150,
        help="retries of a mail, 2 s apart, before it is given up (MAIL_RETRY_DELAYS)",
    )
    parser.add_argument(
        "--slow-limit",
        type=float,
        default=3,
        help="in the mail and worker rounds, no request may take this many seconds",
    )
    parser.add_argument(
        "--drain-timeout",
        type=int,
        default=150,
        help="seconds the queue has to empty after the last round",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=6,
        help="seconds to wait once the queue is empty, for any second copy of a mail",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="gunicorn replaces a worker after this many requests (0: never; production: 1000)",
    )
    parser.add_argument("--pg-bin", help="folder of initdb and pg_ctl (default: the newest)")
    args = parser.parse_args(argv)
    if args.seconds < args.outage + args.grace + 5:
        parser.error("--seconds must leave room for the outage, the grace and some load after")
    if args.mail_seconds < args.mail_outage + 5:
        parser.error("--mail-seconds must leave room for the outage and some load after")
    if args.slow_reply >= args.smtp_timeout:
        # A reply later than the timeout is a failed try for a message the server took: the
        # retry would send it again. That is SMTP's nature, not what this round drills.
        parser.error("--slow-reply must be below --smtp-timeout")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    status = run_and_clean_up(
        Drill(args),
        "task worker, gunicorn, mail servers, redis-server, PostgreSQL, temporary files",
    )
    raise SystemExit(status)


if __name__ == "__main__":
    main()
