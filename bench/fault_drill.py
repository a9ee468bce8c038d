#!/usr/bin/env python
"""Fault drill, not a test: PostgreSQL, then Redis, stopped and restarted under load.

    .venv/bin/python bench/fault_drill.py [--seconds 30] [--outage 8] [--clients 4]

It leaves the PostgreSQL and Redis that others use alone: it makes its own throwaway PostgreSQL
cluster (initdb from /usr/lib/postgresql/*/bin, run as the `postgres` user when started as root,
on a free loopback port with its socket in a temporary folder) and its own redis-server on a
free port (without one installed, CACHE_URL points at a closed port: the cache is down all
along, which is what the Redis part drills). It migrates, loads the demo (`load_demo`),
collects the static files and serves the site with gunicorn (gunicorn.conf.py, 2 workers,
DEBUG off, a persistent connection per worker), as bench/site.py does.

Then two rounds of --seconds each, with --clients threads reading pages (the page cache's
addresses, and the same pages with a query string the cache never takes, so the database is
read every time) and posting newsletter signups, each with an address of its own:

1. PostgreSQL: stopped (`pg_ctl stop -m fast`, which cuts the workers' connections) a third of
   the way in, started again --outage seconds later.
2. Redis: stopped the same way, then started again (empty, as after a restart).

It prints every request's outcome, by round, window (before, during, after the fault) and kind:
served (2xx/3xx), the friendly 503 page (recognised by its heading), 500s, other answers, and
connection errors. Then what was lost: every signup that was answered with success must be in
the database afterwards, and every article and subscription there before must still be there.

It exits non-zero if anything was lost, any 500 (or other unexpected answer) was seen, the
site did not serve again within --grace seconds of PostgreSQL coming back, or any request
failed while only Redis was down. Everything it makes is removed on exit, Ctrl-C included.
"""

import argparse
import contextlib
import glob
import http.client
import itertools
import os
import pwd
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.site import (  # noqa: E402  (the repository root goes on the path first)
    WORKERS,
    child_pids,
    fetch,
    free_port,
    gunicorn_command,
    markdown_table,
    raise_exit,
    run_checked,
    server_environment,
)

DATABASE = "rs_cms"
OUTCOMES = ["served", "friendly 503", "500", "other answer", "connection error"]
KINDS = ["page, cacheable", "page, uncached", "signup"]
WINDOWS = ["before", "during", "after"]


@dataclass
class Result:
    drill: str
    kind: str
    started: float
    outcome: str
    detail: str = ""
    cache: str = ""
    seconds: float = 0.0


def postgres_bin(explicit=None):
    """The newest PostgreSQL server programs installed, or the folder given."""
    if explicit:
        return Path(explicit)
    found = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not found:
        raise SystemExit("No PostgreSQL server programs under /usr/lib/postgresql/*/bin.")
    newest = max(found, key=lambda path: int(re.search(r"/(\d+)/bin/", path).group(1)))
    return Path(newest).parent


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


class Postgres:
    """A throwaway PostgreSQL cluster in `folder`, run as the postgres user when we are root."""

    def __init__(self, bin_dir, folder):
        self.bin_dir = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_user = []
        folder.mkdir()
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise SystemExit("Running as root, and there is no postgres user.") from None
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        folder.chmod(0o700)

    def run(self, program, *arguments):
        return run_checked([*self.as_user, str(self.bin_dir / program), *arguments], cwd="/")

    def init(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self):
        options = f"-p {self.port} -h 127.0.0.1 -k {self.folder}"
        log = str(self.folder / "postgres.log")
        self.run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", log, "-o", options
        )

    def stop(self):
        self.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def stop_if_running(self):
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(SystemExit):
                self.stop()

    def url(self, database=DATABASE):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class Redis:
    """A throwaway redis-server on a free port, keeping nothing on disk."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while not port_is_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def port_is_open(port):
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


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
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("X-Page-Cache", "")
    except (OSError, http.client.HTTPException) as error:
        return None, str(error).encode(), ""
    finally:
        connection.close()


class Drill:
    def __init__(self, args):
        self.args = args
        self.cleanups = contextlib.ExitStack()
        self.results = []
        self.results_lock = threading.Lock()
        self.acknowledged = []  # signup addresses answered with success
        self.events = {}  # drill -> (fault started, fault over)
        self.run_id = secrets.token_hex(3)

    # Setting up

    def prepare(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="rs-cms-fault-drill-"))
        self.cleanups.callback(shutil.rmtree, self.workdir, ignore_errors=True)
        # The postgres user must reach its folder inside ours.
        self.workdir.chmod(0o711)

        self.postgres = Postgres(postgres_bin(self.args.pg_bin), self.workdir / "postgres")
        print(f"PostgreSQL ({self.postgres.bin_dir}): initdb, start on port {self.postgres.port}")
        self.postgres.init()
        self.postgres.start()
        self.cleanups.callback(self.postgres.stop_if_running)
        import psycopg

        with psycopg.connect(self.postgres.url("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")

        if shutil.which("redis-server"):
            self.redis = Redis(self.workdir)
            self.redis.start()
            self.cleanups.callback(self.redis.stop)
            cache_port = self.redis.port
            print(f"redis-server on port {cache_port}")
        else:
            self.redis = None
            cache_port = free_port()
            print(f"no redis-server: CACHE_URL points at closed port {cache_port} (cache down)")

        self.env = server_environment(
            database_url=self.postgres.url(),
            cache_url=f"redis://127.0.0.1:{cache_port}/0",
            workdir=self.workdir,
            # Every client posts from 127.0.0.1: the drill needs far more than a reader's share.
            SIGNUP_RATE_LIMIT="1000000",
        )
        print("migrate, load_demo, collectstatic")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("load_demo")
        self.manage("collectstatic", "--no-input", "-v", "0")

    def manage(self, *command):
        return run_checked([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env)

    def start_server(self):
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = self.workdir / "gunicorn.log"
        log = self.cleanups.enter_context(self.log_path.open("wb"))
        self.server = subprocess.Popen(
            gunicorn_command(port),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.cleanups.callback(self.stop_server)
        print(f"gunicorn on {self.base_url}: {WORKERS} workers, gunicorn.conf.py")
        deadline = time.monotonic() + 120
        answer = "nothing"
        while True:
            if self.server.poll() is not None:
                sys.stderr.write(self.log_path.read_text(errors="replace")[-4000:])
                raise SystemExit("gunicorn exited during start-up")
            if len(child_pids(self.server.pid)) >= WORKERS:
                with contextlib.suppress(OSError):
                    answer = fetch(self.base_url, "/", timeout=10)[0]
                    if answer == 200:
                        return
            if time.monotonic() > deadline:
                sys.stderr.write(self.log_path.read_text(errors="replace")[-4000:])
                raise SystemExit(f"gunicorn did not serve / within 120 s (last answer: {answer})")
            time.sleep(0.2)

    def stop_server(self):
        if self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()

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
        print(f"pages: {', '.join(self.pages)}; signups to {self.signup_path}")

    def snapshot(self):
        """Ids of every article and subscription in the database now."""
        import psycopg

        with psycopg.connect(self.postgres.url()) as connection:
            articles = {row[0] for row in connection.execute("SELECT id FROM articles_article")}
            subscriptions = {
                row[0] for row in connection.execute("SELECT id FROM newsletter_subscription")
            }
        return articles, subscriptions

    # Load

    def client(self, number, drill, stop):
        counter = itertools.count()
        kinds = itertools.cycle(KINDS[number % len(KINDS) :] + KINDS[: number % len(KINDS)])
        while not stop.is_set():
            n = next(counter)
            kind = next(kinds)
            page = self.pages[(n + number) % len(self.pages)]
            started = time.monotonic()
            email = ""
            if kind == "page, cacheable":
                status, body, cached = request(self.base_url, "GET", page)
            elif kind == "page, uncached":
                # The page cache takes no address with a parameter no page reads.
                path = f"{page}?drill={self.run_id}-{number}-{n}"
                status, body, cached = request(self.base_url, "GET", path)
            else:
                email = f"drill-{self.run_id}-{drill}-{number}-{n}@example.org"
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
            )
            with self.results_lock:
                self.results.append(result)
                if email and outcome == "served":
                    self.acknowledged.append(email)

    def run_drill(self, name, stop_service, start_service):
        """Load for --seconds; the service stops a third of the way in, for --outage seconds."""
        seconds, outage = self.args.seconds, self.args.outage
        stop = threading.Event()
        threads = [
            threading.Thread(target=self.client, args=(number, name, stop), daemon=True)
            for number in range(self.args.clients)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(seconds / 3)
        print(f"{name}: stopping it under load")
        fault_started = time.monotonic()
        stop_service()
        time.sleep(outage)
        print(f"{name}: starting it again")
        start_service()
        fault_over = time.monotonic()
        self.events[name] = (fault_started, fault_over)
        time.sleep(max(seconds - (fault_over - began), self.args.grace + 5))
        stop.set()
        for thread in threads:
            thread.join()

    def window(self, result):
        fault_started, fault_over = self.events[result.drill]
        if result.started < fault_started:
            return "before"
        return "during" if result.started < fault_over else "after"

    # The report

    def report(self, before, after, lost_signups):
        failures = []
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
                    )
        print("\n## Requests\n")
        print(
            markdown_table(
                ["fault", "window", "kind", "requests", *OUTCOMES, "page-cache hits", "p50 ms"],
                rows,
            )
        )
        print(
            "\nWindows, by when a request was sent: before the stop command, between it and the "
            "service accepting connections again, after that. Page-cache hits are answers "
            "served from the cache (X-Page-Cache: hit)."
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
        return failures

    def lost_signups(self):
        import psycopg

        with psycopg.connect(self.postgres.url()) as connection:
            found = {
                row[0].lower()
                for row in connection.execute(
                    "SELECT email FROM newsletter_subscription WHERE email LIKE %s",
                    [f"drill-{self.run_id}-%"],
                )
            }
        return [email for email in self.acknowledged if email.lower() not in found]

    def run(self):
        self.prepare()
        self.start_server()
        self.choose_pages()
        before = self.snapshot()
        self.run_drill("PostgreSQL", self.postgres.stop, self.postgres.start)
        if self.redis:
            self.run_drill("Redis", self.redis.stop, self.redis.start)
        else:
            self.run_drill("Redis", lambda: None, lambda: None)
        after = self.snapshot()
        failures = self.report(before, after, self.lost_signups())
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
        print()
        if failures:
            for failure in failures:
                print(f"FAIL: {failure}")
            return 1
        print("PASS: nothing lost, no 500, service resumed by itself after each fault.")
        return 0

    def cleanup(self):
        self.cleanups.close()


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each round of load")
    parser.add_argument("--outage", type=int, default=8, help="seconds each service is down")
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument(
        "--grace",
        type=float,
        default=3,
        help="seconds after PostgreSQL is back by which every request must be served again",
    )
    parser.add_argument("--pg-bin", help="folder of initdb and pg_ctl (default: the newest)")
    args = parser.parse_args(argv)
    if args.seconds < args.outage + args.grace + 5:
        parser.error("--seconds must leave room for the outage, the grace and some load after")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, raise_exit)
    drill = Drill(args)
    try:
        status = drill.run()
    except KeyboardInterrupt:
        raise SystemExit("interrupted") from None
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("cleaning up: gunicorn, redis-server, PostgreSQL, temporary files")
        drill.cleanup()
    raise SystemExit(status)


if __name__ == "__main__":
    main()
