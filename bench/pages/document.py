"""The site bench's report, printed and written into docs/performance.md with how it is measured."""

import platform
import re
import shlex
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench.common.machine import cpu_count, cpu_model, load_average
from bench.common.markdown import other_sections
from bench.common.web_server import WORKERS
from bench.pages.slices import STATIC
from bench.pages.walks import (
    COLD,
    FRAGMENT_KEY_PREFIX,
    FRAGMENTS,
    MISSES_PER_SECOND,
    PAGE_KEY_PREFIX,
    WARM_UP_CLIENTS,
)
from bench.pages.wrk import BUST_PARAM

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
  `request()`). The page cache (`rs_cms/pagecache`) takes no request with a query parameter
  that no page reads, so the page is rendered in full, by the same middleware stack, minus the
  cache's own read and write of a real miss (one `get_many` and one `set` of the page in Redis).
  A session cookie would bypass it too, but would add the session lookup a reader never causes.
  Before measuring, the script checks that such a request runs database queries
  (`pg_stat_activity.query_start` moves), i.e. was rendered; should a cache ever store these
  misses, Redis is flushed after every uncached slice, so memory stays bounded, and the report
  says how many entries one slice left. **Cached** is the plain address, fetched twice before
  its slice; the script checks that a repeat runs no query.
- **Article misses** are real page-cache misses on plain article addresses, each slice asking
  for a range of published articles (newest first) of its own, disjoint from every other
  slice's and from the measured article: wrk's Lua reads the range in `init()`, thread n of
  N asks for paths n, n + N, ..., so no address is asked for twice (a thread that ran out would
  start again: counted, and reported as wraps), and `response()` counts the answers that carry
  `X-Page-Cache: miss`, reported as the miss share. A range holds enough articles for
  {MISSES_PER_SECOND[FRAGMENTS]} (fragments warm) or {MISSES_PER_SECOND[COLD]} (cold) misses a
  second, shrunk evenly when the database holds too few. **Fragments warm**: before the slice,
  each article of its range is fetched once ({WARM_UP_CLIENTS} clients at a time), so its
  page and its fragments are kept; then only the stored pages are deleted from Redis (`SCAN`
  and `DEL` of `*{PAGE_KEY_PREFIX}*`), keeping fragments, tag versions and the site chrome, as
  after another article's edit, and the script checks that no page and some fragments remain.
  **Cold**: articles nobody has asked for in this run, with nothing kept but the chrome any
  running site has warm (one article fetched, then every page and fragment,
  `*{FRAGMENT_KEY_PREFIX}*`, deleted, and checked gone). The warm-up runs before the server is
  let go idle, so it never lands in the slice; after a walk its pages and fragments are
  deleted, so memory stays bounded.
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
  repeated plain request (a page-cache hit should cost none), and that page dropped from the
  cache with its fragments kept (a miss after another article's edit). The admin article list as a
  logged-in superuser, median of 5 after a warm-up; the newsletter export through
  `export_issue`, median of 3 per format.
"""


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


def describe_run(args, facts, pages):
    pages = {page.key: page for page in pages}
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
        "- Article walks, articles per slice: "
        + ", ".join(f"{walk} {size:,}" for walk, size in facts.get("walk_ranges", {}).items())
        + ".",
        "- Cached article answered without a database query: "
        f"{'yes' if facts.get('cache_hit_without_db') else 'no'}.",
        f"- Code: {facts.get('code', '?')}.",
    ]
    return "\n".join(lines)


def describe_machine(facts):
    meminfo = Path("/proc/meminfo").read_text()
    memory = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.MULTILINE).group(1)) / 1024**2
    quota = Path("/sys/fs/cgroup/cpu.max")
    limit = quota.read_text().split() if quota.exists() else ["max"]
    cgroup = "none" if limit[0] == "max" else f"{int(limit[0]) / int(limit[1]):.1f} CPUs"
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    uname = platform.uname()
    return "\n".join(
        [
            f"- CPU: {cpu_model()}, `nproc` {cpu_count()} (cgroup CPU limit: {cgroup})",
            f"- Memory: {memory:.1f} GiB",
            f"- Kernel: {uname.system} {uname.release} ({uname.machine})",
            f"- Python {platform.python_version()}, Django {facts['django']}, "
            f"PostgreSQL {facts['postgres']}, Redis {facts['redis']}, "
            f"gunicorn {facts['gunicorn']}, {(wrk.stdout or wrk.stderr).split(' [')[0]}",
            f"- Load average (1, 5, 15 min): {load_average(facts['load_before'])} at the "
            f"start, {load_average(facts['load_after'])} at the end",
        ]
    )


def print_report(sections, notes, minutes):
    print()
    for title, body in sections:
        print(f"## {title}\n\n{body}\n")
    if notes:
        print("## Notes\n\n" + "\n".join(f"- {note}" for note in notes) + "\n")
    print(f"done in {minutes:.1f} min")


def write_document(args, facts, notes, pages, sections):
    """The report into args.write, keeping the other benchmarks' sections of that file."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = ["# Performance\n"]
    if args.note:
        parts.append(f"> {args.note}\n")
    parts.append(
        "Measured by `bench/site.py` (see *How it is measured* below) on "
        f"{now}, in {facts['minutes']:.0f} minutes. The headline figures are the ratios "
        "to a static file of the same size served by the same server: requests/second "
        "on a shared machine swing with other load, while the CPU ratio holds.\n"
    )
    parts.append("## Machine\n\n" + describe_machine(facts) + "\n")
    parts.append("## Run\n\n" + describe_run(args, facts, pages) + "\n")
    for title, body in sections:
        parts.append(f"## {title}\n\n{body}\n")
    if notes:
        parts.append("## Notes\n\n" + "\n".join(f"- {note}" for note in notes) + "\n")
    parts.append("## How it is measured\n\n" + METHOD)
    path = Path(args.write)
    # Other benchmarks (bench/signup.py, bench/task_backends.py, the fault drill) have
    # their sections in the same file: they stay, after this one's.
    own = {"Machine", "Run", "Notes", "How it is measured", *(title for title, _ in sections)}
    if path.exists():
        parts += other_sections(path.read_text(), own)
    path.write_text("\n".join(parts))
    print(f"wrote {path}")
