#!/usr/bin/env python
"""Benchmark, not a test: newsletter signup's answer time by the address's state.

    .venv/bin/python bench/signup.py [--requests 200] [--warmup 25] [--worker] [--threads 1]

A signup must cost the same whatever the address (new, pending, confirmed, unsubscribed), or its
timing tells a stranger who is on the list. On a throwaway PostgreSQL cluster and redis-server
(as bench/fault_drill.py makes them), with gunicorn serving the site as bench/site.py does
(gunicorn.conf.py, 2 workers, DEBUG off), it prepares one newsletter with addresses in each
state, a fresh one for every request (new ones are made up as it goes), and posts --requests
signups per state from one client thread over one keep-alive HTTP connection, interleaved
new, pending, confirmed, unsubscribed, new, ... after --warmup rounds that are not counted.
gunicorn's sync workers (production's default) close the connection after every answer, so the
client then opens one per request; --threads 2 runs threaded workers, which keep it open.
It reports each state's median and p90, and the largest median over the smallest; the medians
must lie within --tolerance (10 %) of each other, or it exits 1.

Without --worker no task worker runs: the request must not care, and the confirmation tasks
just wait in the queue. With it, `manage.py run_worker` runs beside gunicorn and mails an
aiosmtpd inbox in this process, as it would in production.

In-process (Django's test client and CaptureQueriesContext, on the same database) it also
counts the SQL statements of one signup per state, and shows that they are the same statements:
the same kind and number, literals aside. Everything it makes is removed on exit, Ctrl-C
included.
"""

import argparse
import contextlib
import http.client
import os
import platform
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import (  # noqa: E402  (the repository root goes on the path first)
    Gunicorn,
    Inbox,
    MailServer,
    Redis,
    TaskWorker,
    scratch_postgres,
)
from bench.site import (  # noqa: E402
    WORKERS,
    free_port,
    markdown_table,
    percentile,
    run_and_clean_up,
    run_checked,
    server_environment,
)

STATES = ["new", "pending", "confirmed", "unsubscribed"]
SIGNUP_PATH = "/newsletter/signup/"
NEWSLETTER = "weekly-round-up"


# --- Pure helpers (tested in tests/test_bench_helpers.py) -------------------------------------


def spread(medians):
    """The largest of some medians over the smallest (1.0 when they are all equal)."""
    values = list(medians)
    return max(values) / min(values)


def within(medians, tolerance):
    """Whether the largest median exceeds the smallest by no more than `tolerance` (0.10 = 10 %)."""
    # A little slack for the float division: 1.1 / 1.0 must pass a 10 % tolerance.
    return spread(medians) <= 1 + tolerance + 1e-9


def statement_shape(sql):
    """A statement with its literals (strings, numbers) replaced by ?: what was asked, not of
    which row."""
    shape = re.sub(r"'(?:[^']|'')*'", "?", sql)
    shape = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", "?", shape)
    return " ".join(shape.split())


def statement_kind(sql):
    """A statement's verb and first table, e.g. `INSERT newsletter_subscription`."""
    words = sql.split()
    verb = words[0].upper() if words else ""
    table = re.search(r'\b(?:INTO|FROM|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
    return f"{verb} {table.group(1)}" if table else verb


# --- The run ----------------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.cleanups = contextlib.ExitStack()
        self.run_id = secrets.token_hex(3)
        self.facts = {}

    def prepare(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="rs-cms-bench-signup-"))
        self.cleanups.callback(shutil.rmtree, self.workdir, ignore_errors=True)
        self.postgres = scratch_postgres(self.workdir, self.cleanups, self.args.pg_bin)
        self.facts["postgres"] = self.postgres.version()
        if shutil.which("redis-server"):
            redis = Redis(self.workdir)
            redis.start()
            self.cleanups.callback(redis.stop)
            cache_url = f"redis://127.0.0.1:{redis.port}/0"
            print(f"redis-server on port {redis.port}")
        else:
            # Each gunicorn worker keeps its own counts: the rate limit only, which is raised.
            cache_url = "locmem://"
            print("no redis-server: each worker caches in its own memory")
        self.facts["cache"] = cache_url.split(":")[0]
        self.mail_port = free_port()
        self.env = server_environment(
            database_url=self.postgres.url(),
            cache_url=cache_url,
            workdir=self.workdir,
            # One client sends every signup: far more than a reader's share.
            SIGNUP_RATE_LIMIT="1000000",
            NEWSLETTER_DEFAULT=NEWSLETTER,
            TASKS_BACKEND="database",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(self.mail_port),
            SMTP_USE_TLS="0",
            SMTP_TIMEOUT="5",
            # gunicorn.conf.py: above 1, threaded workers, which keep connections alive.
            GUNICORN_THREADS=str(self.args.threads),
        )
        print("migrate, collectstatic")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")

    def manage(self, *command):
        return run_checked([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env)

    def address(self, state, number):
        return f"{state}-{self.run_id}-{number}@example.org"

    def setup_django(self):
        os.environ.update(self.env)
        # The test client's host too, for the in-process count.
        os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
        import django

        django.setup()
        from django.db import connections

        self.cleanups.callback(connections.close_all)

    def make_addresses(self):
        """One newsletter; a fresh address in each known state for every request to come."""
        from django.db import connection
        from django.utils import timezone

        from newsletter.models import Newsletter, Subscription

        newsletter, _ = Newsletter.objects.get_or_create(
            slug=NEWSLETTER, defaults={"name": "The Weekly Round-up"}
        )
        now = timezone.now()
        fields = {
            "pending": {"status": Subscription.Status.PENDING},
            "confirmed": {"status": Subscription.Status.CONFIRMED, "confirmed_at": now},
            "unsubscribed": {
                "status": Subscription.Status.UNSUBSCRIBED,
                "confirmed_at": now,
                "unsubscribed_at": now,
            },
        }
        # Every request below, warm-up and in-process count included, has its own address.
        count = self.args.requests + self.args.warmup + 2
        Subscription.objects.bulk_create(
            Subscription(newsletter=newsletter, email=self.address(state, n), **fields[state])
            for state in fields
            for n in range(count)
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE newsletter_subscription")
        print(f"{count} addresses in each of {', '.join(fields)}; new ones made up per request")

    def count_statements(self):
        """The SQL of one signup per state, in-process, after a warm-up signup."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client()
        # The first request of a process fills caches (the site chrome, the newsletter): not
        # what a signup costs.
        client.post(SIGNUP_PATH, {"email": f"warm-{self.run_id}@example.org", "source": "/"})
        number = self.args.requests + self.args.warmup + 1
        self.statements = {}
        for state in STATES:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(
                    SIGNUP_PATH, {"email": self.address(state, number), "source": "/"}
                )
            if response.status_code != 200:
                raise SystemExit(f"in-process signup ({state}) answered {response.status_code}")
            self.statements[state] = [query["sql"] for query in captured]
        shapes = {
            state: [statement_shape(sql) for sql in self.statements[state]] for state in STATES
        }
        self.same_statements = all(shapes[state] == shapes[STATES[0]] for state in STATES)

    def start(self):
        self.server = Gunicorn(self.env, self.workdir / "gunicorn.log")
        self.cleanups.callback(self.server.stop)
        self.server.start()
        print(f"gunicorn on {self.server.base_url}: {WORKERS} workers, gunicorn.conf.py")
        self.inbox = Inbox()
        if self.args.worker:
            mail = MailServer(self.inbox, self.mail_port)
            mail.start()
            self.cleanups.callback(mail.stop)
            worker = TaskWorker(self.env, self.workdir / "worker.log")
            self.cleanups.callback(worker.stop)
            worker.start()
            self.worker = worker
            print("task worker running (manage.py run_worker), mailing an aiosmtpd inbox")
        else:
            print("no task worker: the confirmation tasks wait in the queue")

    def measure(self):
        """Round-robin over the states from one thread on one connection: timings per state."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        self.cleanups.callback(connection.close)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        self.timings = {state: [] for state in STATES}
        self.bodies = {state: set() for state in STATES}
        self.connections_opened = 0
        rounds = self.args.warmup + self.args.requests
        for number in range(rounds):
            for state in STATES:
                address = (
                    f"new-{self.run_id}-{number}@example.org"
                    if state == "new"
                    else self.address(state, number)
                )
                body = urlencode({"email": address, "source": "/"})
                # http.client reopens by itself when the server closed the connection.
                self.connections_opened += connection.sock is None
                started = time.perf_counter()
                connection.request("POST", SIGNUP_PATH, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    raise SystemExit(f"signup ({state}) answered {response.status}")
                if number >= self.args.warmup:
                    self.timings[state].append(elapsed * 1000)
                    self.bodies[state].add(content)
        self.requests_sent = rounds * len(STATES)

    def check_rows(self):
        """The prepared addresses are still in their state, and every new one has its row."""
        from newsletter.models import Subscription

        rows = Subscription.objects.filter(email__startswith="new-", email__contains=self.run_id)
        self.new_rows = rows.count()
        self.states_after = {
            state: Subscription.objects.filter(
                email__startswith=f"{state}-{self.run_id}-", status=state
            ).count()
            for state in STATES[1:]
        }

    def report(self):
        args = self.args
        medians = {state: statistics.median(self.timings[state]) for state in STATES}
        ratio = spread(medians.values())
        passed = within(medians.values(), args.tolerance)
        rows = [
            [
                state,
                len(self.timings[state]),
                f"{medians[state]:.2f}",
                f"{percentile(self.timings[state], 0.9):.2f}",
                len(self.statements[state]),
            ]
            for state in STATES
        ]
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print("\n## Newsletter signup by address state\n")
        print(self.describe_machine(load))
        print()
        print(
            markdown_table(
                ["address state", "requests", "median ms", "p90 ms", "SQL statements"], rows
            )
        )
        slowest = max(medians, key=medians.get)
        fastest = min(medians, key=medians.get)
        print(
            f"\nLargest median over smallest: {ratio:.3f} ({slowest} over {fastest}); "
            f"aim ≤ {1 + args.tolerance:.2f}."
        )
        print(
            f"{self.requests_sent} requests ({args.warmup} warm-up rounds not counted) on "
            f"{self.connections_opened} connection(s): "
            + (
                "the server kept the connection alive."
                if self.connections_opened == 1
                else "gunicorn's sync workers close the connection after every answer, so "
                "each request opened a new one."
            )
        )
        identical = len(set().union(*self.bodies.values())) == 1
        print(
            "Response bodies: "
            + ("byte-identical for every request and state." if identical else "they differ.")
        )
        print(
            f"Rows after: {self.new_rows} new addresses recorded; prepared addresses still in "
            "their state: "
            + ", ".join(f"{state} {count}" for state, count in self.states_after.items())
            + "."
        )
        if args.worker:
            print(f"The worker's inbox took {len(self.inbox.messages)} confirmation mail(s).")
        print("\n### Statements per signup (in-process, literals replaced by ?)\n")
        for state in STATES:
            kinds = ", ".join(statement_kind(sql) for sql in self.statements[state])
            print(f"- {state}: {len(self.statements[state])}: {kinds}")
        print(
            "\nSame statements in every state (shape, kind and number): "
            + ("yes" if self.same_statements else "NO")
        )
        for number, sql in enumerate(self.statements[STATES[0]], 1):
            print(f"  {number}. {statement_shape(sql)[:300]}")
        print()
        failures = []
        if not passed:
            failures.append(
                f"the medians differ by {100 * (ratio - 1):.1f} %, over "
                f"{100 * args.tolerance:.0f} %"
            )
        if not self.same_statements:
            failures.append("the states run different SQL statements")
        if not identical:
            failures.append("the answers' bodies differ")
        for failure in failures:
            print(f"FAIL: {failure}")
        if not failures:
            print(
                f"PASS: medians within {100 * args.tolerance:.0f} % of each other, the same "
                "statements and the same answer in every state."
            )
        return 1 if failures else 0

    def describe_machine(self, load_after):
        import django

        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        worker = "with the task worker running" if self.args.worker else "no task worker running"
        return "\n".join(
            [
                f"- Machine: {model.group(1) if model else platform.processor()}, "
                f"`nproc` {len(os.sched_getaffinity(0))}; load average {self.facts['load']} "
                f"before, {load_after} after",
                f"- Python {platform.python_version()}, Django {django.get_version()}, "
                f"{self.facts['postgres']}, cache {self.facts['cache']}",
                f"- gunicorn, {WORKERS} workers (gunicorn.conf.py"
                + (f", {self.args.threads} threads each" if self.args.threads > 1 else ", sync")
                + f"), DEBUG off; {worker}",
                f"- Command: `.venv/bin/python bench/signup.py --requests {self.args.requests} "
                f"--warmup {self.args.warmup}"
                + (f" --threads {self.args.threads}" if self.args.threads > 1 else "")
                + (" --worker" if self.args.worker else "")
                + "`",
            ]
        )

    def run(self):
        self.facts["load"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        self.prepare()
        self.setup_django()
        self.make_addresses()
        self.count_statements()
        self.start()
        print(f"{self.args.requests} signups per state, after {self.args.warmup} warm-up rounds")
        self.measure()
        self.check_rows()
        return self.report()

    def cleanup(self):
        self.cleanups.close()


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="signups per state")
    parser.add_argument("--warmup", type=int, default=25, help="uncounted rounds first")
    parser.add_argument(
        "--tolerance", type=float, default=0.10, help="how far apart the medians may be"
    )
    parser.add_argument("--worker", action="store_true", help="run the task worker beside gunicorn")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (GUNICORN_THREADS; above 1, connections stay open)",
    )
    parser.add_argument("--pg-bin", help="folder of initdb and pg_ctl (default: the newest)")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0 or args.threads < 1:
        parser.error("--requests and --threads must be at least 1, --warmup not negative")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    status = run_and_clean_up(
        Bench(args),
        "worker, gunicorn, redis-server, PostgreSQL, temporary files",
    )
    raise SystemExit(status)


if __name__ == "__main__":
    main()
