"""The site bench's tables: results, ratios round by round, targets, queries and timings."""

import math
import statistics
from dataclasses import dataclass

from bench.common.markdown import fmt, markdown_table
from bench.common.stats import median
from bench.pages.checks import Checked
from bench.pages.slices import (
    STATIC,
    abba_ratios,
    cache_ms_per_request,
    cpu_ms_per_request,
    db_ms_per_request,
    requests_per_second,
    round_ratios,
)


@dataclass
class Measured:
    """Everything a run measured, for its tables."""

    pages: list
    checked: Checked
    unloaded: dict  # page key -> its one-connection slice
    slices: list  # the loaded slices, in run order
    queries: list  # (label, path, queries)
    timings: list  # (label, ms)
    redis_measured: bool

    def one_connection_p50(self, key):
        """p50 at one connection; for a page too slow for wrk, its single requests' median."""
        if key in self.checked.too_slow:
            return statistics.median(self.checked.single_ms[key])
        return self.unloaded[key].p50_ms if key in self.unloaded else math.nan


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


def verdict(value, op, limit):
    """PASS or MISS for `value op limit`; n/a when there is nothing to judge."""
    if value is None or math.isnan(value):
        return "n/a"
    passed = {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]
    return "PASS" if passed else "MISS"


def tables(measured, facts):
    """(results, ratios per round, targets, walks, queries, timings), as Markdown tables."""
    slices = measured.slices
    pages = {page.key: page for page in measured.pages}
    cpu_ratio = {k: abba_ratios(slices, k, cpu_ms_per_request) for k in pages if k != STATIC}
    rps_ratio = {k: abba_ratios(slices, k, requests_per_second) for k in pages if k != STATIC}
    per_round = markdown_table(
        ["page", "CPU ÷ static, per round", "req/s ÷ static, per round"],
        [
            [
                pages[key].label,
                ", ".join(fmt(r, 2) for r in cpu_ratio[key]),
                ", ".join(fmt(r, 3) for r in rps_ratio[key]),
            ]
            for key in cpu_ratio
            if key not in measured.checked.too_slow
        ],
    )
    queries = markdown_table(
        ["page", "path", "queries"],
        [[label, f"`{path}`", n] for label, path, n in measured.queries],
    )
    timings = markdown_table(["", "ms"], [[label, fmt(ms, 1)] for label, ms in measured.timings])
    return (
        results_table(measured, cpu_ratio, rps_ratio),
        per_round,
        targets_table(measured, facts, cpu_ratio, rps_ratio),
        walks_table(measured),
        queries,
        timings,
    )


def results_table(measured, cpu_ratio, rps_ratio):
    rows = []
    for page in measured.pages:
        key = page.key
        mine = [s for s in measured.slices if s.page == key]
        rows.append(
            [
                page.label,
                fmt(measured.checked.sizes.get(key)),
                fmt(requests_per_second(mine), 1),
                fmt(median([s.p50_ms for s in mine])),
                fmt(median([s.p99_ms for s in mine])),
                fmt(measured.one_connection_p50(key)),
                fmt(cpu_ms_per_request(mine), 3),
                fmt(db_ms_per_request(mine), 3),
                fmt(cache_ms_per_request(mine), 3) if measured.redis_measured else "–",
                "1" if key == STATIC else fmt(median(cpu_ratio[key]), 2),
                "1" if key == STATIC else fmt(median(rps_ratio[key]), 3),
            ]
        )
    return markdown_table(
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


def targets(measured, facts, cpu_ratio, rps_ratio):
    slices = measured.slices
    home_vs = round_ratios(slices, "home", "article", cpu_ms_per_request)
    section_vs = round_ratios(slices, "section", "article", cpu_ms_per_request)
    article_queries = next(n for label, _, n in measured.queries if label == "article, uncached")
    cpu = {key: median(ratios) for key, ratios in cpu_ratio.items()}
    rps = {key: median(ratios) for key, ratios in rps_ratio.items()}
    return [
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
            measured.one_connection_p50("search"),
            "<",
            100,
            unit=" ms",
        ),
        Target(
            "Article miss, fragments warm: CPU ÷ static",
            cpu["article-miss"],
            "<=",
            13,
            {"article-miss"},
        ),
        Target("Cold article: CPU ÷ static", cpu["article-cold"], "<=", 25, {"article-cold"}),
        Target("Admin article list", facts["admin_ms"], "<", 300, unit=" ms"),
        Target("Uncached article: queries", float(article_queries), "<=", 10, digits=0),
    ]


def targets_table(measured, facts, cpu_ratio, rps_ratio):
    pages = {page.key: page for page in measured.pages}
    too_slow = measured.checked.too_slow
    invalid = not facts.get("bypass_verified", True)
    rows = []
    for check in targets(measured, facts, cpu_ratio, rps_ratio):
        aim = f"{check.op.replace('<=', '≤').replace('>=', '≥')} {check.limit}{check.unit}"
        if slow := check.needs & too_slow.keys():
            shown = ", ".join(
                f"{pages[key].label}: {too_slow[key]:,.0f} ms a request" for key in slow
            )
            rows.append([check.label, shown, aim, "MISS (too slow to measure)"])
            continue
        result = verdict(check.value, check.op, check.limit)
        if invalid and check.needs & {"article", "home", "section"}:
            result += " (invalid: bypass failed)"
        rows.append([check.label, fmt(check.value, check.digits) + check.unit, aim, result])
    return markdown_table(["target", "measured", "aim", ""], rows)


def miss_share(slices):
    """The share of a walk's answers that were page-cache misses, over some slices."""
    answered = sum(s.answered for s in slices)
    return sum(s.misses for s in slices) / answered if answered else math.nan


def walks_table(measured):
    """Per article walk: articles per slice, answers, the misses among them, wraps, fragments."""
    rows = []
    for page in measured.pages:
        if not page.walk:
            continue
        mine = [s for s in measured.slices if s.page == page.key]
        rows.append(
            [
                page.label,
                fmt(max((s.walked for s in mine), default=0)),
                fmt(max((s.answered for s in mine), default=0)),
                fmt(sum(s.answered for s in mine)),
                fmt(sum(s.misses for s in mine)),
                f"{fmt(miss_share(mine) * 100, 1)} %",
                fmt(sum(s.wraps for s in mine)),
                fmt(min((s.fragments for s in mine), default=0)),
            ]
        )
    return markdown_table(
        [
            "page",
            "articles per slice",
            "most answers in a slice",
            "answers",
            "misses",
            "miss share",
            "wraps",
            "fragments kept before a slice (fewest)",
        ],
        rows,
    )
