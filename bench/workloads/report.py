"""The workload's report: one `## Newsroom workload` section, printed and written into
docs/performance.md in place of the last one, every other section kept."""

from datetime import UTC, datetime
from pathlib import Path

from bench.common.markdown import fmt, markdown_table, replace_section
from bench.common.web_server import WORKERS
from bench.pages.document import describe_machine
from bench.pages.report import verdict
from bench.pages.slices import cpu_ms_per_request, requests_per_second
from bench.workloads.figures import (
    ABBA,
    DESIGNS,
    NEW,
    OLD,
    cache_ms_per_request,
    cpu_over_static,
    db_ms_per_request,
    merged_percentile,
    miss_share,
    old_over_new,
    zipf_top_share,
)

TITLE = "Newsroom workload"
# The targets.
NEW_OVER_STATIC_AT_MOST = 2
OLD_OVER_NEW_AT_LEAST = 5

METHOD = f"""\
- **Readers.** wrk with a Lua script (`bench/workloads/traffic.py`). Of the requests,
  the home page takes `--home-share`, a section page (uniformly among sections)
  `--section-share`, and the rest go to the public articles by a Zipf law: rank r is read in
  proportion to 1/r^s. Rank 1 is the newest story, as in a newsroom (the list is read from the
  loaded database, newest first, before the run; stories published during it are not in it,
  but show on the home, section and latest lists). The script builds the Zipf CDF in `init()`
  and draws a rank per request by binary search, with a fixed seed per thread: phases 1 and 2
  see one request stream, 3 and 4 another, and each warm-up a stream of its own.
- **Steady offered load.** wrk's `delay()` gives each request a slot in its thread's
  schedule, one every threads ÷ `--rate` seconds, so both designs are offered the same rate
  whatever their latency; a thread whose connections are all busy does not catch up later.
  The table gives the rate achieved. The default, 100 req/s, is one the old design keeps up
  with on 2 cores, wrk and PostgreSQL included (on a shared machine, 200 was too much).
  Latency is wrk's (from sending to the answer, with its own correction for coordinated
  omission); a design's p50/p99 merge its two phases' quantiles weighted by their requests.
- **Hits and misses.** Every page the page cache handles answers `X-Page-Cache: hit` or
  `miss`; each wrk thread counts them in `response()` and `done()` adds the threads' counts
  (`thread:get`). The miss share is misses ÷ all requests.
- **Editor.** A separate process (`python -m bench.workloads.editor`, the server's settings,
  database, Redis db and `PAGE_CACHE_TAGS`) every `--save-every` seconds changes the dek of a
  published story (half the time one of the 200 newest, else any) and saves it through
  `articles.services.save_article`; every `--publish-every` seconds it writes a new story in a
  random section with a topic (copied from a published one, with its tags and bylines)
  through `save_article` and publishes it with `articles.services.publish_now` (the first
  halfway through the first interval, so a phase as long as one sees one). It starts with
  the measured minutes; the table counts what it did in them.
- **Designs, ABBA.** One invocation runs new, old, old, new, each phase with a fresh gunicorn
  ({WORKERS} workers, `gunicorn.conf.py`, `--max-requests 0`) started with
  `PAGE_CACHE_TAGS=1` (new) or `0` (old: every change retires every cached page), Redis
  flushed before its warm-up.
- **Warm-up: a site that has been up a while.** Before the editor starts, wrk replays the very
  request stream the phase will send (same seed, same count), as fast as the server answers,
  not measured: the cache then holds every page the measured minutes read, and their misses
  are the ones the edits cause. What it leaves out is the same for both designs: on a real
  site a story read less often than pages are kept (`PAGE_CACHE_TAGGED_SECONDS`) also misses
  at its first read, at the cold article's cost (`bench/site.py`).
- **Server CPU per request.** As `bench/site.py` measures it, from `/proc`: gunicorn's master
  and workers plus the PostgreSQL backends of the database (not the editor's, told apart by
  its `application_name`: readers' cost only), divided by the requests wrk completed. Redis
  is shown apart (the whole Redis server's). **÷ static:** the same measure for a static file
  of the newest article's bytes served by the same gunicorn through whitenoise (wrk at full
  speed, 16 connections, as `bench/site.py`), in a slice before every phase and after the
  last; a phase is divided by the static slices right before and after it, a design by those
  around its phases. The data: a throwaway PostgreSQL database loaded by
  `load_demo --articles N`, `VACUUM ANALYZE`d, static files collected to a temporary folder.
"""


def results_table(phases, statics):
    rows = []

    def row(label, chosen):
        quantiles = {percent: merged_percentile(chosen, percent) for percent in (50, 99)}
        return [
            label,
            fmt(sum(p.requests for p in chosen)),
            fmt(requests_per_second(chosen), 1),
            f"{miss_share(chosen):.1%}",
            fmt(cpu_ms_per_request(chosen), 3),
            fmt(db_ms_per_request(chosen), 3),
            fmt(cache_ms_per_request(chosen), 3),
            fmt(cpu_over_static(chosen, statics), 2),
            fmt(quantiles[50]),
            fmt(quantiles[99]),
            f"{sum(p.saves for p in chosen)} / {sum(p.publishes for p in chosen)}",
        ]

    for phase in phases:
        rows.append(row(f"phase {phase.number}: {phase.design}", [phase]))
    for design in (NEW, OLD):
        rows.append(row(f"**{DESIGNS[design]}**", [p for p in phases if p.design == design]))
    return markdown_table(
        [
            "design",
            "requests",
            "req/s",
            "misses",
            "CPU ms/req",
            "of which PostgreSQL",
            "Redis ms/req",
            "CPU ÷ static",
            "p50 ms",
            "p99 ms",
            "saves / publishes",
        ],
        rows,
    )


def statics_line(statics):
    figures = ", ".join(fmt(cpu_ms_per_request([s]), 3) for s in statics)
    return (
        f"Static twin, CPU ms/req in its slices before each phase and after the last: {figures} "
        f"(at {fmt(requests_per_second(statics), 0)} req/s)."
    )


def targets_table(phases, statics):
    new = [p for p in phases if p.design == NEW]
    new_static = cpu_over_static(new, statics)
    overall, _ = old_over_new(phases)
    rows = [
        ["New design: workload CPU ÷ static", fmt(new_static, 2), f"≤ {NEW_OVER_STATIC_AT_MOST}"]
        + [verdict(new_static, "<=", NEW_OVER_STATIC_AT_MOST)],
        ["Old ÷ new, CPU per request", fmt(overall, 2), f"≥ {OLD_OVER_NEW_AT_LEAST}"]
        + [verdict(overall, ">=", OLD_OVER_NEW_AT_LEAST)],
    ]
    return markdown_table(["target", "measured", "goal", ""], rows)


def ratio_line(phases):
    overall, pairs = old_over_new(phases)
    return (
        f"**Old ÷ new, CPU per request: {fmt(overall, 2)}** (per ABBA pair: "
        + ", ".join(f"phases {2 * i + 1}–{2 * i + 2} {fmt(r, 2)}" for i, r in enumerate(pairs))
        + ")."
    )


def describe_run(args, facts, site):
    top = {n: zipf_top_share(site.articles, args.zipf, n) for n in (10, 100, 1000)}
    article_share = 1 - args.home_share - args.section_share
    return "\n".join(
        [
            f"- Command: `bench/workload.py {' '.join(measuring_arguments(args))}`; "
            f"phases {', '.join(ABBA)}, each {args.minutes:g} min after a warm-up (the stream "
            f"replayed, at most {args.warmup} s); wrk {args.threads} thread(s), "
            f"{args.connections} connections, {args.rate:g} req/s offered.",
            f"- Data: {facts['articles']:,} articles, {site.articles:,} public, "
            f"{site.sections} sections, loaded by `{facts['load_command']}` in "
            f"{facts['load_seconds']:.0f} s.",
            f"- Mix: home {args.home_share:.0%}, section pages {args.section_share:.0%}, "
            f"articles {article_share:.0%} by Zipf s = {args.zipf:g} over {site.articles:,} "
            f"ranks, newest first: the top 10 stories take {top[10]:.0%} of article views, "
            f"the top 100 {top[100]:.0%}, the top 1,000 {top[1000]:.0%}.",
            f"- Editor: a save every {args.save_every:g} s, a new story published every "
            f"{args.publish_every:g} s.",
            "- Page cache: `PAGE_CACHE_SECONDS` {} (pages following the generation: the old "
            "design's), `PAGE_CACHE_TAGGED_SECONDS` {} (pages with tags).".format(
                *facts["page_cache_seconds"]
            ),
            f"- Static twin: `{site.static_path}`, {site.twin_bytes:,} bytes (`{site.newest}`).",
            f"- Code: {facts.get('code', '?')}.",
        ]
    )


def measuring_arguments(args):
    return [
        f"--articles {args.articles}",
        f"--minutes {args.minutes:g}",
        f"--warmup {args.warmup}",
        f"--rate {args.rate:g}",
        f"--connections {args.connections}",
        f"--threads {args.threads}",
        f"--zipf {args.zipf:g}",
        f"--save-every {args.save_every:g}",
        f"--publish-every {args.publish_every:g}",
    ]


def section(args, facts, notes, site, phases, statics):
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"## {TITLE}\n",
        f"Measured by `bench/workload.py` on {now}, in {facts['minutes']:.0f} minutes: readers "
        "spread over the articles as real traffic is, while an editor saves and publishes; the "
        "page cache with tags (new) against today's global generation (old), side by side in "
        "one run.\n",
        results_table(phases, statics) + "\n",
        statics_line(statics) + "\n",
        ratio_line(phases) + "\n",
        "### Targets\n\n" + targets_table(phases, statics) + "\n",
        "### Run\n\n" + describe_run(args, facts, site) + "\n",
        "### Machine\n\n" + describe_machine(facts) + "\n",
    ]
    if notes:
        parts.append("### Notes\n\n" + "\n".join(f"- {note}" for note in notes) + "\n")
    parts.append("### How it is measured\n\n" + METHOD)
    return "\n".join(parts)


def publish(args, text):
    """Print the section; with --write, put it in that file in place of the last one."""
    print("\n" + text)
    if args.write:
        path = Path(args.write)
        existing = path.read_text() if path.exists() else ""
        path.write_text(replace_section(existing, TITLE, text))
        print(f"wrote {path}")
