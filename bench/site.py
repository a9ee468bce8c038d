#!/usr/bin/env python
"""Benchmark, not a test: the public site under gunicorn on PostgreSQL, driven by wrk.

    .venv/bin/python bench/site.py [--articles 100000] [--seconds 5] [--slices 4]
                                   [--connections 16] [--write docs/performance.md]

It makes a throwaway PostgreSQL database (127.0.0.1:5432, user postgres), migrates it, loads the
demo (`load_demo --articles N` when the command takes it), collects the static files into a
temporary folder and serves the site with gunicorn (2 workers, DEBUG off) on a free loopback
port, caching in Redis db 14 (flushed first). wrk then measures the article page uncached and
cached, the home page, a section page, search, and a static file holding the article's exact
bytes, served by the same gunicorn through whitenoise. Slices alternate: static, page, page,
static, ... The headline is each page's server CPU per request (gunicorn's master and workers
plus the PostgreSQL backends of this database, read from /proc) divided by the static file's,
per round and as the median: on a shared machine requests/second swing with other load while
this ratio holds. In-process it also counts queries per page and times the admin article list
and the newsletter export at the loaded scale.

Everything it makes (database, Redis db, temporary folders, server) is removed on exit, Ctrl-C
included. It writes into the repository only when given --write. It reports targets as
PASS/MISS and always exits 0 once measured: it never fails a build.
"""

import argparse
import contextlib
import http.client
import importlib.util
import io
import json
import math
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
STATIC = "static"
WORKERS = 2
# The query parameter that makes every uncached request a distinct address.
BUST_PARAM = "nocache"
# Gunicorn's access log, when a config turns it on, must not be what the figures measure:
# the config decides, and the report says which config ran.
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"
# The site's address under a benchmark or drill: https, as production's links are.
SITE_URL = "https://review.example.org"

# wrk's Lua hooks. done() prints one machine-readable line; the busting request() gives every
# request its own query string, so no cache can answer it.
LUA_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, \"p50_us\": %d, " ..
    "\"p90_us\": %d, \"p99_us\": %d, \"socket_errors\": %d, \"status_errors\": %d}\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""
LUA_BUST = (
    r"""
local threads, counter = 0, 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
function init(args)
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  base = wrk.path .. separator .. "BUST_PARAM=" .. (args[1] or "0") .. "-" .. thread_id .. "-"
end
function request()
  counter = counter + 1
  return wrk.format(nil, base .. counter)
end
""".replace("BUST_PARAM", BUST_PARAM)
    + LUA_DONE
)

METHOD = f"""\
- **Server.** gunicorn with {WORKERS} workers: the repository's `gunicorn.conf.py` when there
  is one, with `--workers {WORKERS}`, the bind address and `--max-requests 0` given on the
  command line (recycling a worker every thousand requests would add its start-up to whichever
  slice it falls in, the static file's most of all, and flatter every ratio). `DEBUG` off, a
  random `SECRET_KEY`, `ALLOWED_HOSTS` 127.0.0.1 and `SITE_URL`'s host (every request
  carries the latter, as through the proxy: the page cache stores pages for that host only),
  `CONN_MAX_AGE=60` (one persistent database
  connection per worker), no access log, `CACHE_URL` on a Redis database of its own, flushed
  first. A throwaway PostgreSQL database is migrated, loaded by `load_demo --articles N`, then
  `VACUUM ANALYZE`d (as autovacuum soon would); static files are collected into a temporary
  `STATIC_ROOT`. Client and server share the machine over loopback.
- **Static twin.** The article page's bytes, rendered in-process by the same code and settings,
  are written to `STATIC_ROOT/bench/article.html` before gunicorn starts, so whitenoise serves a
  file of the page's size through the same server. wrk sends no `Accept-Encoding`, so both go
  out uncompressed.
- **Uncached pages** get a fresh `?{BUST_PARAM}=<salt>-<thread>-<n>` per request (a wrk Lua
  `request()`). The page cache (`articles/cache.py`) takes no request with a query parameter
  that no page reads, so the page is rendered in full, by the same middleware stack, minus the
  cache's own read and write of a real miss (one `get_many` and one `set` of the page in Redis).
  A session cookie would bypass it too, but would add the session lookup a reader never causes.
  Before measuring, the script checks that such a request runs database queries
  (`pg_stat_activity.query_start` moves), i.e. was rendered; should a cache ever store these
  misses, Redis is flushed after every uncached slice, so memory stays bounded, and the report
  says how many entries one slice left. **Cached** is the plain address, fetched twice before
  its slice; the script checks that a repeat runs no query.
- **Server CPU per request.** User+system CPU time from `/proc/<pid>/stat`: gunicorn's master
  (including `cutime`/`cstime`, the workers it has reaped) and its live workers; plus the
  PostgreSQL client backends and parallel workers of this database (`pg_stat_activity`),
  read every 0.5 s during a slice, since a backend takes its CPU time with it when it exits.
  Read before wrk starts and as soon as it exits; before each slice the server is let go idle
  (nothing in gunicorn's accept queue, no CPU spent for two readings), so requests wrk left
  behind never land in the next slice. Divided by the requests wrk completed. Redis's
  CPU is shown on its own and left out of the ratios: it is the whole Redis server's, shared
  with anything else on the machine that uses it.
- **ABBA.** Each round runs static, P1, P1, static, P2, P2, static, ...; a page's ratio in a
  round uses its two slices and the two static slices around them, so steady drift in the
  machine's load cancels; the page order is reversed every other round. The tables give the
  median over rounds and every round's figure.
- **Latency.** p50/p99 under load are wrk's, the median over slices; with 16 connections on 2
  workers they include queueing. The "1 conn" column is one connection at a time: the time a
  reader waits on an idle server, which the search target uses. Home and section are compared
  with the uncached article by CPU per request, round by round. A page whose single request
  takes over a fifth of a slice is left out of the wrk runs (it would complete a handful and
  leave a queue running into the next slices) and counts as a MISS; its one-connection figure
  is then the median of two timed requests.
- **In-process figures.** Queries per page with Django's test client and
  `CaptureQueriesContext`, as wrk sees the pages: page cache skipped (`?{BUST_PARAM}=`), other
  caches warm after a warm-up pass; for the article also with every cache cleared, and a
  repeated plain request (a page-cache hit should cost none). The admin article list as a
  logged-in superuser, median of 5 after a warm-up; the newsletter export through
  `export_issue`, median of 3 per format.
"""


# --- Pure helpers (tested in tests/test_bench_helpers.py) -------------------------------------


@dataclass(frozen=True)
class ProcStat:
    ppid: int
    utime: int
    stime: int
    cutime: int
    cstime: int


def parse_proc_stat(text):
    """The fields we need from a /proc/<pid>/stat line (the command name may hold spaces)."""
    fields = text[text.rindex(")") + 2 :].split()
    return ProcStat(
        ppid=int(fields[1]),
        utime=int(fields[11]),
        stime=int(fields[12]),
        cutime=int(fields[13]),
        cstime=int(fields[14]),
    )


def accept_queue(proc_net_tcp, port):
    """Connections waiting to be accepted on the listening socket of `port`, from the text of
    /proc/net/tcp (for a listening socket, rx_queue is its accept queue)."""
    for line in proc_net_tcp.splitlines()[1:]:
        fields = line.split()
        local, state, queues = fields[1], fields[3], fields[4]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
            return int(queues.split(":")[1], 16)
    return 0


def tree_ticks(parent, children):
    """CPU ticks of a process and its children, live ones and those it has already reaped."""
    total = parent.utime + parent.stime + parent.cutime + parent.cstime
    return total + sum(child.utime + child.stime for child in children)


def parse_wrk(output):
    """The summary our Lua done() prints, with times in milliseconds."""
    for line in output.splitlines():
        if line.startswith("BENCH "):
            raw = json.loads(line.removeprefix("BENCH "))
            if not raw["requests"]:
                # wrk reports 0 for percentiles of nothing: no request is not a fast one.
                raw.update(p50_us=math.nan, p90_us=math.nan, p99_us=math.nan)
            return {
                "requests": raw["requests"],
                "seconds": raw["duration_us"] / 1e6,
                "bytes": raw["bytes"],
                "p50_ms": raw["p50_us"] / 1000,
                "p90_ms": raw["p90_us"] / 1000,
                "p99_ms": raw["p99_us"] / 1000,
                "socket_errors": raw["socket_errors"],
                "status_errors": raw["status_errors"],
            }
    raise ValueError(f"wrk printed no summary line:\n{output}")


@dataclass
class Slice:
    """One wrk run and the server CPU it cost."""

    page: str
    round: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    app_s: float = 0.0
    db_s: float = 0.0
    cache_s: float = 0.0
    errors: int = 0
    backends: int = 0


def cpu_ms_per_request(slices):
    """Server CPU (gunicorn + PostgreSQL) per request, in milliseconds, over some slices."""
    requests = sum(s.requests for s in slices)
    return sum(s.app_s + s.db_s for s in slices) * 1000 / requests if requests else math.nan


def db_ms_per_request(slices):
    requests = sum(s.requests for s in slices)
    return sum(s.db_s for s in slices) * 1000 / requests if requests else math.nan


def cache_ms_per_request(slices):
    requests = sum(s.requests for s in slices)
    return sum(s.cache_s for s in slices) * 1000 / requests if requests else math.nan


def requests_per_second(slices):
    seconds = sum(s.seconds for s in slices)
    return sum(s.requests for s in slices) / seconds if seconds else math.nan


def safe_ratio(numerator, denominator):
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator


def abba_ratios(slices, page, metric, baseline=STATIC):
    """metric(page) / metric(baseline) for every run of `page` slices that has a baseline
    slice right before and right after it, in run order."""
    ratios = []
    index = 0
    while index < len(slices):
        if slices[index].page != page:
            index += 1
            continue
        end = index
        while end + 1 < len(slices) and slices[end + 1].page == page:
            end += 1
        if index > 0 and end + 1 < len(slices):
            before, after = slices[index - 1], slices[end + 1]
            if before.page == after.page == baseline:
                ratios.append(safe_ratio(metric(slices[index : end + 1]), metric([before, after])))
        index = end + 1
    return ratios


def round_ratios(slices, page, other, metric):
    """metric(page) / metric(other) within each round where both ran."""
    ratios = []
    for number in sorted({s.round for s in slices}):
        mine = [s for s in slices if s.round == number and s.page == page]
        theirs = [s for s in slices if s.round == number and s.page == other]
        if mine and theirs:
            ratios.append(safe_ratio(metric(mine), metric(theirs)))
    return ratios


def median(values):
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else math.nan


def percentile(values, fraction):
    """The nearest-rank percentile: the smallest value with `fraction` of them at or below it."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def verdict(value, op, limit):
    """PASS or MISS for `value op limit`; n/a when there is nothing to judge."""
    if value is None or math.isnan(value):
        return "n/a"
    passed = {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]
    return "PASS" if passed else "MISS"


def round_schedule(pages, rounds):
    """Slices in run order: per round static, P1, P1, static, P2, P2, static, ...; the page
    order is reversed every other round."""
    schedule = []
    for number in range(1, rounds + 1):
        order = pages if number % 2 else list(reversed(pages))
        schedule.append((STATIC, number))
        for page in order:
            schedule += [(page, number), (page, number), (STATIC, number)]
    return schedule


def markdown_table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def other_sections(markdown, titles):
    """The `## ` sections of a Markdown text whose titles are not among `titles`, each with its
    heading and everything up to the next `## ` heading."""
    kept = []
    for section in re.split(r"^(?=## )", markdown, flags=re.MULTILINE):
        if section.startswith("## ") and section[3:].splitlines()[0].strip() not in titles:
            kept.append(section.rstrip("\n") + "\n")
    return kept


def fmt(value, digits=2):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


# --- Processes, /proc and the network ---------------------------------------------------------


def read_stat(pid):
    try:
        return parse_proc_stat(Path(f"/proc/{pid}/stat").read_text())
    except (FileNotFoundError, ProcessLookupError):
        return None


def child_pids(parent):
    children = Path(f"/proc/{parent}/task/{parent}/children")
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        return [int(pid) for pid in children.read_text().split()]
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (stat := read_stat(entry.name)) and stat.ppid == parent:
            pids.append(int(entry.name))
    return pids


def process_ticks(pid):
    stat = read_stat(pid)
    return stat.utime + stat.stime if stat else None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(base_url, path, timeout=120):
    """GET without following redirects, for SITE_URL's host as a reader's request through the
    proxy is (the page cache stores no other host's pages): (status, body)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": urlsplit(SITE_URL).netloc})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def with_param(path, param):
    return path + ("&" if "?" in path else "?") + param


def run_checked(cmd, **kwargs):
    """Run a command; on failure show what it printed."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(map(str, cmd))}")
    return result.stdout


def ensure_tools():
    """wrk from Debian, gunicorn and redis-py in this environment: installed when missing."""
    if not shutil.which("wrk"):
        if os.geteuid() != 0:
            raise SystemExit("wrk is missing: sudo apt-get install -y wrk")
        print("wrk is missing: apt-get install -y wrk")
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False).returncode:
            subprocess.run(["apt-get", "update", "-q"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    for module in ("gunicorn", "redis"):
        if importlib.util.find_spec(module) is None:
            print(f"{module} is missing: pip install {module} into {sys.prefix}")
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", module], check=True)


@dataclass(frozen=True)
class Target:
    """One line of the issue's targets: `value op limit`, judged PASS or MISS."""

    label: str
    value: float
    op: str
    limit: float
    needs: frozenset = frozenset()  # pages it is measured on
    unit: str = ""
    digits: int = 2


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    bust: bool = False
    warm: bool = False


class CpuMeter:
    """CPU ticks of the server between begin() and end(): gunicorn's process tree, the
    PostgreSQL backends of the bench database, and Redis."""

    def __init__(self, master_pid, port, monitor, dbname, redis_pid):
        self.master_pid = master_pid
        self.port = port
        self.monitor = monitor
        self.dbname = dbname
        self.redis_pid = redis_pid
        self.first = {}
        self.last = {}

    def app_ticks(self):
        master = read_stat(self.master_pid)
        if master is None:
            raise SystemExit("gunicorn has stopped")
        workers = [stat for pid in child_pids(self.master_pid) if (stat := read_stat(pid))]
        return tree_ticks(master, workers)

    def backend_ticks(self):
        rows = self.monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s"
            " AND backend_type IN ('client backend', 'parallel worker')",
            [self.dbname],
        ).fetchall()
        return {pid: ticks for (pid,) in rows if (ticks := process_ticks(pid)) is not None}

    def cache_ticks(self):
        if self.redis_pid is None:
            return 0
        return process_ticks(self.redis_pid) or 0

    def busy_ticks(self):
        # Not Redis's: other programs on the machine may be using it.
        return self.app_ticks() + sum(self.backend_ticks().values())

    def wait_idle(self, interval=0.2, limit=60):
        """Whether the server went idle within `limit` seconds: nothing waiting to be accepted
        and at most a tick spent, twice in a row (an idle gunicorn worker still wakes up to say
        it is alive; on a busy machine a working one may get no CPU for a moment)."""
        deadline = time.monotonic() + limit
        previous, quiet = self.busy_ticks(), 0
        while time.monotonic() < deadline:
            time.sleep(interval)
            current = self.busy_ticks()
            waiting = accept_queue(Path("/proc/net/tcp").read_text(), self.port)
            quiet = quiet + 1 if current - previous <= 1 and not waiting else 0
            if quiet == 2:
                return True
            previous = current
        return False

    def begin(self):
        self.first = self.backend_ticks()
        self.last = dict(self.first)
        self.app_start = self.app_ticks()
        self.cache_start = self.cache_ticks()

    def poll(self):
        # A backend that appeared during the slice was born during it: it started from zero.
        for pid, ticks in self.backend_ticks().items():
            self.first.setdefault(pid, 0)
            self.last[pid] = ticks

    def end(self):
        app = self.app_ticks() - self.app_start
        cache = self.cache_ticks() - self.cache_start
        self.poll()
        db = sum(self.last[pid] - self.first[pid] for pid in self.last)
        return app / CLK_TCK, db / CLK_TCK, cache / CLK_TCK, len(self.last)


# --- The run ----------------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.cleanups = contextlib.ExitStack()
        self.notes = []
        self.slices = []
        self.unloaded = {}
        self.sizes = {}
        self.queries = []
        self.timings = []
        self.facts = {}
        self.single_ms = {}
        self.too_slow = {}
        self.server = None

    def note(self, text):
        print(f"NOTE: {text}")
        self.notes.append(text)

    # Setting up

    def prepare(self):
        import psycopg
        import redis
        from psycopg import sql

        args = self.args
        self.workdir = Path(tempfile.mkdtemp(prefix="rs-cms-bench-site-"))
        self.cleanups.callback(shutil.rmtree, self.workdir, ignore_errors=True)
        static_root, media_root = self.workdir / "static", self.workdir / "media"

        self.dbname = f"rs_cms_bench_{os.getpid()}_{secrets.token_hex(3)}"
        self.monitor = psycopg.connect(f"{args.postgres}/postgres", autocommit=True)
        self.cleanups.callback(self.monitor.close)
        self.monitor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.dbname)))
        self.cleanups.callback(
            self.monitor.execute,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.dbname)),
        )

        self.redis = redis.Redis.from_url(args.redis_url)
        self.cleanups.callback(self.redis.close)
        self.redis.flushdb()
        self.cleanups.callback(self.redis.flushdb)
        info = self.redis.info("server")
        self.facts["redis"] = info.get("redis_version", "?")
        redis_pid = info.get("process_id")
        self.redis_pid = redis_pid if redis_pid and process_ticks(redis_pid) is not None else None
        if self.redis_pid is None:
            self.note("Redis runs out of this machine's sight: its CPU is not measured.")

        self.env = server_environment(
            database_url=f"{args.postgres}/{self.dbname}",
            cache_url=args.redis_url,
            workdir=None,
            MEDIA_ROOT=str(media_root),
            PRIVATE_MEDIA_ROOT=str(self.workdir / "private-media"),
            STATIC_ROOT=str(static_root),
            CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"),
        )

        print(f"database {self.dbname}: migrating")
        self.manage("migrate", "--no-input", "-v", "0")
        takes_articles = "--articles" in self.manage("load_demo", "--help")
        command = (
            ["load_demo", "--articles", str(args.articles)] if takes_articles else ["load_demo"]
        )
        print(f"loading: manage.py {' '.join(command)}")
        started = time.perf_counter()
        output = self.manage(*command)
        self.facts["load_seconds"] = time.perf_counter() - started
        self.facts["load_command"] = "manage.py " + " ".join(command)
        if not takes_articles:
            self.note(
                "load_demo does not take --articles yet: the plain demo was loaded, so these "
                "figures are at demo scale, not the requested "
                f"{args.articles:,} articles."
            )
        print(f"  {output.strip().splitlines()[0] if output.strip() else 'done'}")
        print(f"  in {self.facts['load_seconds']:.1f} s; VACUUM ANALYZE, collectstatic")
        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.static_root = static_root

    def manage(self, *command):
        return run_checked([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env)

    # In-process: pages to measure, queries, admin, export, the static twin

    def measure_in_process(self):
        os.environ.update(self.env)
        # The test client's host, and a private cache we can clear page by page.
        os.environ.update(
            ALLOWED_HOSTS=f"{self.env['ALLOWED_HOSTS']},testserver", CACHE_URL="locmem://bench"
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connections

        self.cleanups.callback(connections.close_all)
        try:
            self._measure_in_process()
        finally:
            # The database backends left during the wrk runs must all be gunicorn's.
            connections.close_all()

    def _measure_in_process(self):
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from articles.models import Article
        from newsletter.export import FORMATS
        from newsletter.models import Issue

        self.facts["django"] = django_version()
        self.facts["articles"] = Article.objects.count()
        self.facts["published"] = Article.objects.published().count()
        print(f"{self.facts['articles']:,} articles ({self.facts['published']:,} published)")

        published = Article.objects.published()
        if self.args.article:
            article = published.get(slug=self.args.article.rstrip("/").split("/")[-1])
        else:
            # The fullest story: most related picks, with a top image; newest among equals.
            article = (
                published.exclude(kind=Article.Kind.QIOSK)
                .exclude(top_image=None)
                .annotate(picks=Count("related_picks"))
                .order_by("-picks", "-published_at")
                .first()
            )
        article_path = article.get_absolute_url()
        section_path = article.section.get_absolute_url()
        search_path = f"/search/?q={quote_plus(self.args.query)}"
        self.pages = [
            Page(
                STATIC,
                "static file, same bytes",
                f"/{settings.STATIC_URL.strip('/')}/bench/article.html",
            ),
            Page("article", "article, uncached", article_path, bust=True),
            Page("article-cached", "article, cached", article_path, warm=True),
            Page("home", "home, uncached", "/", bust=True),
            Page("section", "section, uncached", section_path, bust=True),
            Page("search", "search, uncached", search_path, bust=True),
        ]
        tag = article.topic or article.tags.first()
        author = article.authors.first()
        query_pages = [
            ("article, uncached", article_path),
            ("home", "/"),
            ("section", section_path),
            ("tag", reverse("articles:tag", kwargs={"slug": tag.slug}) if tag else None),
            ("author", author.get_absolute_url() if author else None),
            ("search", search_path),
        ]
        query_pages = [(label, path) for label, path in query_pages if path]

        def get(path, client=None):
            # A fresh client per page: a cookie from the last answer would change the request.
            # Pages are asked for on SITE_URL's host, the one the page cache stores.
            reader = Client(HTTP_HOST=urlsplit(SITE_URL).netloc)
            response = (client or reader).get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code} in-process")
            return response

        def count_queries(path):
            with CaptureQueriesContext(connection) as captured:
                response = get(path)
            return len(captured), response

        # As wrk sees them: the page cache skipped, every other cache warm (a warm-up pass).
        for _, path in query_pages:
            get(path)
            get(with_param(path, f"{BUST_PARAM}=warm"))
        for label, path in query_pages:
            count, response = count_queries(with_param(path, f"{BUST_PARAM}=queries"))
            self.queries.append((label, path, count))
            if path != article_path:
                continue
            twin = response.content
            cache.clear()
            count, _ = count_queries(with_param(path, f"{BUST_PARAM}=cold"))
            self.queries.append(("article, every cache cold", path, count))
            get(path)
            count, _ = count_queries(path)
            self.queries.append(("article, repeated (page cache)", path, count))

        static_twin = self.static_root / "bench" / "article.html"
        static_twin.parent.mkdir(parents=True, exist_ok=True)
        static_twin.write_bytes(twin)

        user = get_user_model().objects.create_superuser(
            "bench-admin", "bench@example.org", secrets.token_urlsafe(16)
        )
        backends = settings.AUTHENTICATION_BACKENDS
        model_backend = "django.contrib.auth.backends.ModelBackend"
        admin = Client()
        admin.force_login(user, backend=model_backend if model_backend in backends else None)
        changelist = reverse("admin:articles_article_changelist")
        get(changelist, admin)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                get(changelist, admin)
            times.append((time.perf_counter() - started) * 1000)
        self.facts["admin_ms"] = statistics.median(times)
        self.queries.append(("admin article list", changelist, len(captured)))
        self.timings.append((f"admin article list ({changelist})", self.facts["admin_ms"]))

        issue = Issue.objects.select_related("newsletter").order_by("pk").first()
        if issue is None:
            self.note("No newsletter issue in the demo: the export was not timed.")
            return
        items = issue.items.count()
        for export_format in FORMATS:
            target = self.workdir / f"issue.{export_format}"
            times = []
            for _ in range(3):
                started = time.perf_counter()
                call_command(
                    "export_issue",
                    issue.newsletter.slug,
                    str(issue.number),
                    "--format",
                    export_format,
                    "--to",
                    "proof@example.org",
                    "-o",
                    str(target),
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )
                times.append((time.perf_counter() - started) * 1000)
            size = target.stat().st_size
            self.timings.append(
                (
                    f"newsletter export, {items}-item issue as {export_format} ({size:,} bytes)",
                    statistics.median(times),
                )
            )

    # The server

    def start_server(self):
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        log_path = self.workdir / "gunicorn.log"
        log = self.cleanups.enter_context(log_path.open("wb"))
        # Recycling a worker every thousand requests would add its start-up to the slice it
        # falls in: most of all to the static file's, which would flatter every ratio.
        command = gunicorn_command(port, "--max-requests", "0")
        self.facts["gunicorn_config"] = (
            "gunicorn.conf.py" if GUNICORN_CONFIG.exists() else "none (gunicorn's defaults)"
        )
        print(
            f"gunicorn on {self.base_url}: {WORKERS} workers, "
            f"config {self.facts['gunicorn_config']}"
        )
        # Its own session: Ctrl-C reaches us, and we stop it in order.
        self.server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.cleanups.callback(self.stop_server)
        deadline = time.monotonic() + 120
        while True:
            if self.server.poll() is not None:
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise SystemExit("gunicorn exited during start-up")
            if len(child_pids(self.server.pid)) >= WORKERS:
                with contextlib.suppress(OSError):
                    if fetch(self.base_url, self.pages[0].path, timeout=5)[0] == 200:
                        break
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 120 s")
            time.sleep(0.2)
        log.flush()
        worker = re.search(r"Using worker: (\S+)", log_path.read_text(errors="replace"))
        self.facts["worker_class"] = worker.group(1) if worker else "?"
        self.meter = CpuMeter(self.server.pid, port, self.monitor, self.dbname, self.redis_pid)

    def stop_server(self):
        if self.server is None or self.server.poll() is not None:
            return
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()

    def ran_queries(self, path):
        """Whether answering GET `path` ran a database query (i.e. the page was rendered)."""
        started = self.monitor.execute("SELECT clock_timestamp()").fetchone()[0]
        status, _ = fetch(self.base_url, path)
        latest = self.monitor.execute(
            "SELECT max(greatest(backend_start, query_start)) FROM pg_stat_activity"
            " WHERE datname = %s AND backend_type = 'client backend'",
            [self.dbname],
        ).fetchone()[0]
        return status, latest is not None and latest > started

    def check_pages(self):
        """Every page answers 200; uncached ones render; the cached one does not."""
        for page in self.pages:
            path = with_param(page.path, f"{BUST_PARAM}=check") if page.bust else page.path
            started = time.perf_counter()
            try:
                status, body = fetch(self.base_url, path)
            except (OSError, http.client.HTTPException) as error:
                status, body = repr(error), b""
            if status != 200:
                if page.key in (STATIC, "article"):
                    raise SystemExit(f"GET {path} answered {status}")
                # Say, a request that outlived gunicorn's timeout and lost its worker.
                failed_ms = (time.perf_counter() - started) * 1000
                self.single_ms[page.key] = [failed_ms]
                self.too_slow[page.key] = failed_ms
                self.note(
                    f"{page.label}: GET {path} answered {status} after {failed_ms:,.0f} ms: left "
                    "out of the wrk runs, and counted a MISS wherever a target needs it."
                )
                continue
            self.sizes[page.key] = len(body)
            # Once more, warm, timed: the page's cost with nothing else running.
            self.single_ms[page.key] = [self.timed_fetch(path) for _ in range(2)]
        print(
            "one request each: "
            + ", ".join(f"{key} {min(times):,.1f} ms" for key, times in self.single_ms.items())
        )
        # A page that takes longer than this would finish a handful of requests per slice
        # and leave a queue of them behind, still running into the next slices.
        limit_ms = 1000 * self.args.seconds / 5
        for page in self.pages:
            if page.key not in self.too_slow and min(self.single_ms[page.key]) > limit_ms:
                self.too_slow[page.key] = min(self.single_ms[page.key])
                self.note(
                    f"{page.label}: one request takes {self.too_slow[page.key]:,.0f} ms, over "
                    f"a fifth of a slice ({limit_ms:,.0f} ms): left out of the wrk runs, and "
                    "counted a MISS wherever a target needs it."
                )
        if abs(self.sizes["article"] - self.sizes[STATIC]) > 0.02 * self.sizes[STATIC]:
            self.note(
                f"the static twin has {self.sizes[STATIC]:,} bytes, the live article "
                f"{self.sizes['article']:,}"
            )
        article = next(page for page in self.pages if page.key == "article")
        _, rendered = self.ran_queries(with_param(article.path, f"{BUST_PARAM}=verify"))
        self.facts["bypass_verified"] = rendered
        if not rendered:
            self.note(
                f"UNCACHED FIGURES ARE NOT VALID: a request with a fresh ?{BUST_PARAM}= ran no "
                "database query, so the page cache answered it. The cache must not ignore "
                "unknown query parameters, or this script needs another way round it."
            )
        fetch(self.base_url, article.path)
        fetch(self.base_url, article.path)
        _, queried = self.ran_queries(article.path)
        self.facts["cache_hit_without_db"] = not queried
        if queried:
            self.note(
                "The cached article ran database queries on a repeated request: the page cache "
                "is not in effect (or consults the database on a hit)."
            )

    def timed_fetch(self, path):
        started = time.perf_counter()
        with contextlib.suppress(OSError, http.client.HTTPException):
            fetch(self.base_url, path)
        return (time.perf_counter() - started) * 1000

    # Measuring

    def run_slice(self, page, number, connections, threads, seconds):
        if not self.meter.wait_idle() and not self.facts.get("never_idle"):
            self.facts["never_idle"] = True
            self.note(
                "The server was still busy a minute after a slice: other work on the machine "
                "shares these processes' CPU readings, or requests outlast their slices."
            )
        if page.warm:
            fetch(self.base_url, page.path)
            fetch(self.base_url, page.path)
        script = self.workdir / ("bust.lua" if page.bust else "done.lua")
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-H",
            f"Host: {urlsplit(SITE_URL).netloc}",
            "-s",
            str(script),
            self.base_url + page.path,
        ]
        if page.bust:
            command += ["--", secrets.token_hex(4)]
        self.meter.begin()
        wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while True:
            try:
                wrk.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                self.meter.poll()
        app_s, db_s, cache_s, backends = self.meter.end()
        output, errors = wrk.communicate()
        if wrk.returncode:
            raise SystemExit(f"wrk failed ({wrk.returncode}): {errors or output}")
        stats = parse_wrk(output)
        if page.bust:
            stored = self.redis.dbsize()
            self.facts["stored_misses"] = max(self.facts.get("stored_misses", 0), stored)
            self.redis.flushdb()
        if stats["status_errors"]:
            self.note(f"{page.label}: {stats['status_errors']} answers were not 2xx/3xx")
        if not stats["requests"]:
            self.note(f"{page.label}: no request completed within a {seconds} s slice")
        return Slice(
            page=page.key,
            round=number,
            requests=stats["requests"],
            seconds=stats["seconds"],
            p50_ms=stats["p50_ms"],
            p99_ms=stats["p99_ms"],
            app_s=app_s,
            db_s=db_s,
            cache_s=cache_s,
            errors=stats["socket_errors"] + stats["status_errors"],
            backends=backends,
        )

    def write_scripts(self):
        (self.workdir / "done.lua").write_text(LUA_DONE)
        (self.workdir / "bust.lua").write_text(LUA_BUST)

    def run_unloaded(self):
        seconds = min(self.args.seconds, 3)
        print(f"\none connection at a time, {seconds} s each")
        for page in self.pages:
            if page.key in self.too_slow:
                continue
            result = self.run_slice(page, 0, 1, 1, seconds)
            self.unloaded[page.key] = result
            print(f"  {page.label:<26} p50 {result.p50_ms:8.2f} ms   p99 {result.p99_ms:8.2f} ms")

    def run_rounds(self):
        args = self.args
        pages = {page.key: page for page in self.pages}
        measured = [key for key in pages if key != STATIC and key not in self.too_slow]
        schedule = round_schedule(measured, args.slices)
        print(
            f"\n{args.slices} rounds of {len(schedule) // args.slices} slices, {args.seconds} s "
            f"each, {args.connections} connections: about "
            f"{len(schedule) * (args.seconds + 0.7) / 60:.0f} min"
        )
        for key, number in schedule:
            result = self.run_slice(
                pages[key], number, args.connections, args.threads, args.seconds
            )
            self.slices.append(result)
            print(
                f"  round {number}  {pages[key].label:<26} {result.requests / result.seconds:9.1f}"
                f" req/s  p50 {result.p50_ms:8.2f} ms  p99 {result.p99_ms:8.2f} ms"
                f"  CPU {cpu_ms_per_request([result]):7.3f} ms/req"
                f" (PostgreSQL {db_ms_per_request([result]):.3f})"
            )
        crowded = sorted({pages[s.page].label for s in self.slices if s.backends > WORKERS + 2})
        if crowded:
            self.note(
                "More PostgreSQL processes than the workers' connections took part in slices of "
                f"{', '.join(crowded)} (parallel query workers, or reconnections): one that "
                "exits between two readings (0.5 s apart) takes its CPU time with it."
            )

    # Reporting

    def one_connection_p50(self, key):
        """p50 at one connection; for a page too slow for wrk, its single requests' median."""
        if key in self.too_slow:
            return statistics.median(self.single_ms[key])
        return self.unloaded[key].p50_ms if key in self.unloaded else math.nan

    def report(self):
        slices = self.slices
        pages = {page.key: page for page in self.pages}
        by_page = {key: [s for s in slices if s.page == key] for key in pages}
        cpu_ratio = {k: abba_ratios(slices, k, cpu_ms_per_request) for k in pages if k != STATIC}
        rps_ratio = {k: abba_ratios(slices, k, requests_per_second) for k in pages if k != STATIC}

        rows = []
        for key, page in pages.items():
            mine = by_page[key]
            rows.append(
                [
                    page.label,
                    fmt(self.sizes.get(key)),
                    fmt(requests_per_second(mine), 1),
                    fmt(median([s.p50_ms for s in mine])),
                    fmt(median([s.p99_ms for s in mine])),
                    fmt(self.one_connection_p50(key)),
                    fmt(cpu_ms_per_request(mine), 3),
                    fmt(db_ms_per_request(mine), 3),
                    fmt(cache_ms_per_request(mine), 3) if self.redis_pid else "–",
                    "1" if key == STATIC else fmt(median(cpu_ratio[key]), 2),
                    "1" if key == STATIC else fmt(median(rps_ratio[key]), 3),
                ]
            )
        results = markdown_table(
            [
                "page",
                "bytes",
                "req/s",
                "p50 ms",
                "p99 ms",
                "p50 ms, 1 conn",
                "CPU ms/req",
                "of which PostgreSQL",
                "Redis ms/req (whole server)",
                "CPU ÷ static",
                "req/s ÷ static",
            ],
            rows,
        )
        per_round = markdown_table(
            ["page", "CPU ÷ static, per round", "req/s ÷ static, per round"],
            [
                [
                    pages[key].label,
                    ", ".join(fmt(r, 2) for r in cpu_ratio[key]),
                    ", ".join(fmt(r, 3) for r in rps_ratio[key]),
                ]
                for key in cpu_ratio
                if key not in self.too_slow
            ],
        )

        home_vs = round_ratios(slices, "home", "article", cpu_ms_per_request)
        section_vs = round_ratios(slices, "section", "article", cpu_ms_per_request)
        article_queries = next(n for label, _, n in self.queries if label == "article, uncached")
        cpu = {key: median(ratios) for key, ratios in cpu_ratio.items()}
        rps = {key: median(ratios) for key, ratios in rps_ratio.items()}
        checks = [
            Target("Uncached article: CPU ÷ static file", cpu["article"], "<=", 13, {"article"}),
            Target(
                "Uncached article: req/s ÷ static file",
                rps["article"],
                ">=",
                0.1,
                {"article"},
                digits=3,
            ),
            Target(
                "Cached article: CPU ÷ static file",
                cpu["article-cached"],
                "<=",
                1.1,
                {"article-cached"},
            ),
            Target(
                "Cached article: req/s ÷ static file",
                rps["article-cached"],
                ">=",
                0.9,
                {"article-cached"},
                digits=3,
            ),
            Target(
                "Home: CPU per request ÷ uncached article's",
                median(home_vs),
                "<=",
                2,
                {"home", "article"},
            ),
            Target(
                "Section: CPU per request ÷ uncached article's",
                median(section_vs),
                "<=",
                2,
                {"section", "article"},
            ),
            Target(
                "Search: p50, one connection",
                self.one_connection_p50("search"),
                "<",
                100,
                unit=" ms",
            ),
            Target("Admin article list", self.facts["admin_ms"], "<", 300, unit=" ms"),
            Target("Uncached article: queries", float(article_queries), "<=", 10, digits=0),
        ]
        invalid = not self.facts.get("bypass_verified", True)
        target_rows = []
        for check in checks:
            aim = f"{check.op.replace('<=', '≤').replace('>=', '≥')} {check.limit}{check.unit}"
            if slow := check.needs & self.too_slow.keys():
                shown = ", ".join(
                    f"{pages[key].label}: {self.too_slow[key]:,.0f} ms a request" for key in slow
                )
                target_rows.append([check.label, shown, aim, "MISS (too slow to measure)"])
                continue
            result = verdict(check.value, check.op, check.limit)
            if invalid and check.needs & {"article", "home", "section"}:
                result += " (invalid: bypass failed)"
            shown = fmt(check.value, check.digits) + check.unit
            target_rows.append([check.label, shown, aim, result])
        targets = markdown_table(["target", "measured", "aim", ""], target_rows)

        queries = markdown_table(
            ["page", "path", "queries"],
            [[label, f"`{path}`", n] for label, path, n in self.queries],
        )
        timings = markdown_table(["", "ms"], [[label, fmt(ms, 1)] for label, ms in self.timings])
        return results, per_round, targets, queries, timings

    def describe_run(self):
        args, facts = self.args, self.facts
        pages = {page.key: page for page in self.pages}
        stored = facts.get("stored_misses", 0)
        lines = [
            f"- Data: {facts['articles']:,} articles ({facts['published']:,} published), "
            f"loaded by `{facts['load_command']}` in {facts['load_seconds']:.0f} s.",
            f"- Command: `bench/site.py {' '.join(measuring_arguments(args))}`: "
            f"{args.slices} rounds, {args.seconds} s slices, wrk {args.threads} thread(s), "
            f"{args.connections} connections.",
            f"- gunicorn {facts.get('gunicorn', '?')}: {WORKERS} workers, worker class "
            f"`{facts.get('worker_class', '?')}`, config: {facts.get('gunicorn_config')}.",
            f"- Pages: article `{pages['article'].path}`, section `{pages['section'].path}`, "
            f"search `{pages['search'].path}`, static twin `{pages[STATIC].path}`.",
            "- Uncached bypass verified (a fresh query string ran database queries): "
            f"{'yes' if facts.get('bypass_verified') else 'NO'}. Most Redis keys found after "
            f"an uncached slice, before flushing: {stored:,}.",
            "- Cached article answered without a database query: "
            f"{'yes' if facts.get('cache_hit_without_db') else 'no'}.",
            f"- Code: {facts.get('code', '?')}.",
        ]
        return "\n".join(lines)

    def run(self):
        started = time.monotonic()
        self.facts["load_before"] = os.getloadavg()
        self.prepare()
        self.measure_in_process()
        import gunicorn

        self.facts["gunicorn"] = gunicorn.__version__
        self.facts["postgres"] = self.monitor.execute("SHOW server_version").fetchone()[0]
        self.facts["code"] = git_describe()
        self.write_scripts()
        self.start_server()
        self.check_pages()
        self.run_unloaded()
        self.run_rounds()
        self.facts["load_after"] = os.getloadavg()
        self.facts["minutes"] = (time.monotonic() - started) / 60
        results, per_round, targets, queries, timings = self.report()
        sections = [
            ("Results", results),
            ("Ratios to the static file, round by round", per_round),
            ("Targets", targets),
            ("Queries per page (in-process)", queries),
            ("Newsroom and newsletter at this scale (in-process)", timings),
        ]
        print()
        for title, body in sections:
            print(f"## {title}\n\n{body}\n")
        if self.notes:
            print("## Notes\n\n" + "\n".join(f"- {note}" for note in self.notes) + "\n")
        print(f"done in {self.facts['minutes']:.1f} min")
        if self.args.write:
            self.write_document(sections)

    def write_document(self, sections):
        facts = self.facts
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        parts = ["# Performance\n"]
        if self.args.note:
            parts.append(f"> {self.args.note}\n")
        parts.append(
            "Measured by `bench/site.py` (see *How it is measured* below) on "
            f"{now}, in {facts['minutes']:.0f} minutes. The headline figures are the ratios "
            "to a static file of the same size served by the same server: requests/second "
            "on a shared machine swing with other load, while the CPU ratio holds.\n"
        )
        parts.append("## Machine\n\n" + describe_machine(facts) + "\n")
        parts.append("## Run\n\n" + self.describe_run() + "\n")
        for title, body in sections:
            parts.append(f"## {title}\n\n{body}\n")
        if self.notes:
            parts.append("## Notes\n\n" + "\n".join(f"- {note}" for note in self.notes) + "\n")
        parts.append("## How it is measured\n\n" + METHOD)
        path = Path(self.args.write)
        # Other benchmarks (bench/signup.py, bench/task_backends.py, the fault drill) have
        # their sections in the same file: they stay, after this one's.
        own = {"Machine", "Run", "Notes", "How it is measured", *(title for title, _ in sections)}
        if path.exists():
            parts += other_sections(path.read_text(), own)
        path.write_text("\n".join(parts))
        print(f"wrote {path}")

    def cleanup(self):
        self.cleanups.close()


# --- The machine ------------------------------------------------------------------------------


def django_version():
    import django

    return django.get_version()


def git_describe():
    result = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty=+uncommitted changes"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"


def describe_machine(facts):
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text()
    memory = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.MULTILINE).group(1)) / 1024**2
    quota = Path("/sys/fs/cgroup/cpu.max")
    limit = quota.read_text().split() if quota.exists() else ["max"]
    cgroup = "none" if limit[0] == "max" else f"{int(limit[0]) / int(limit[1]):.1f} CPUs"
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    uname = platform.uname()
    before, after = facts["load_before"], facts["load_after"]
    return "\n".join(
        [
            f"- CPU: {model.group(1) if model else platform.processor()}, "
            f"`nproc` {len(os.sched_getaffinity(0))} (cgroup CPU limit: {cgroup})",
            f"- Memory: {memory:.1f} GiB",
            f"- Kernel: {uname.system} {uname.release} ({uname.machine})",
            f"- Python {platform.python_version()}, Django {facts['django']}, "
            f"PostgreSQL {facts['postgres']}, Redis {facts['redis']}, "
            f"gunicorn {facts['gunicorn']}, {(wrk.stdout or wrk.stderr).split(' [')[0]}",
            f"- Load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in before)} at the "
            f"start, {', '.join(f'{x:.2f}' for x in after)} at the end",
        ]
    )


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="load_demo --articles N")
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk slice")
    parser.add_argument("--slices", type=int, default=4, help="ABBA rounds per page")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--article", help="the article's path (default: the fullest story)")
    parser.add_argument("--query", default="ports", help="the search term")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--write", metavar="PATH", help="write the report here (Markdown)")
    parser.add_argument("--note", help="a line to put at the top of the written report")
    args = parser.parse_args(argv)
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections")
    return args


def measuring_arguments(args):
    """The options that shape the figures, as a command line."""
    words = [
        f"--articles {args.articles}",
        f"--seconds {args.seconds}",
        f"--slices {args.slices}",
        f"--connections {args.connections}",
        f"--threads {args.threads}",
    ]
    if args.article:
        words.append(f"--article {args.article}")
    if args.query != "ports":
        words.append(f"--query {shlex.quote(args.query)}")
    return words


def gunicorn_command(port, *options):
    """gunicorn serving the app with WORKERS workers on a loopback port. It reads
    ./gunicorn.conf.py by itself; the command line wins over it."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        *options,
        "rs_cms.wsgi:application",
    ]


def server_environment(database_url, cache_url, workdir, **settings):
    """The environment the app runs in under a benchmark or drill: production's, on loopback.

    Inherited S3 settings would send the demo's media to a bucket, and an access log would be
    measured with every request: production runs without one."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("MEDIA_S3_") and name != "GUNICORN_ACCESS_LOG"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="rs_cms.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        # Clients that want the page cache send SITE_URL's host, as readers behind the proxy
        # do: the cache stores pages for that host only.
        ALLOWED_HOSTS=f"127.0.0.1,{urlsplit(SITE_URL).hostname}",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        CONN_MAX_AGE="60",
        # Production links are https (the newsletter export refuses anything else).
        SITE_URL=SITE_URL,
        # wrk and the clients speak plain http on loopback (in production the proxy in front
        # terminates TLS): no redirect to https.
        SECURE_SSL_REDIRECT="0",
    )
    if workdir is not None:
        env.update(
            MEDIA_ROOT=str(workdir / "media"),
            # Uploaded originals live apart from the public media: in the workdir too, never
            # in the repository's folder.
            PRIVATE_MEDIA_ROOT=str(workdir / "private-media"),
            STATIC_ROOT=str(workdir / "static"),
        )
    env.update(settings)
    return env


def raise_exit(signum, frame):
    raise SystemExit(128 + signum)


def stop_on_signals():
    """TERM and HUP end a bench as Ctrl-C does: through its cleanup."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, raise_exit)


def run_and_clean_up(bench, leftovers):
    """bench.run(), then bench.cleanup() whatever stopped it; returns what run() returned."""
    stop_on_signals()
    try:
        return bench.run()
    except KeyboardInterrupt:
        raise SystemExit("interrupted") from None
    finally:
        # A second Ctrl-C must not leave a database or a server behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print(f"cleaning up: {leftovers}")
        bench.cleanup()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    stop_on_signals()
    ensure_tools()
    run_and_clean_up(Bench(args), "gunicorn, Redis db, database, temporary files")


if __name__ == "__main__":
    main()
