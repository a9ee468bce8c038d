"""The pages measured, the ABBA order of their wrk slices, and the arithmetic over slices."""

import math
from dataclasses import dataclass

from bench.common.stats import safe_ratio

STATIC = "static"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    bust: bool = False
    warm: bool = False
    # An article walk (walks.py): "fragments" or "cold"; its requests go to a range of articles.
    walk: str = ""


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
    # An article walk's: the range's length, answers wrk read, page-cache misses among them,
    # times a thread ran out of paths and started again, fragments kept before the slice.
    walked: int = 0
    answered: int = 0
    misses: int = 0
    wraps: int = 0
    fragments: int = 0


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


def abba_ratios(slices, page, metric, baseline=STATIC):
    """metric(page) / metric(baseline) for every run of `page` between two baseline slices."""
    # In run order; a run of `page` slices counts only with a baseline slice right before and
    # right after it, so steady drift in the machine's load cancels.
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


def round_schedule(pages, rounds):
    """Slices in run order: per round static, P1, P1, static, P2, P2, static, ..."""
    # The page order is reversed every other round.
    schedule = []
    for number in range(1, rounds + 1):
        order = pages if number % 2 else list(reversed(pages))
        schedule.append((STATIC, number))
        for page in order:
            schedule += [(page, number), (page, number), (STATIC, number)]
    return schedule
