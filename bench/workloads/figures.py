"""The workload's arithmetic: designs and their ABBA order, phases, shares, merged percentiles."""

import math
from dataclasses import dataclass, field

from bench.common.stats import safe_ratio
from bench.pages.slices import cpu_ms_per_request

NEW, OLD = "new", "old"
DESIGNS = {
    NEW: "new: cache tags (`PAGE_CACHE_TAGS=1`)",
    OLD: "old: global generation (`PAGE_CACHE_TAGS=0`)",
}
PAGE_CACHE_TAGS = {NEW: "1", OLD: "0"}
# New, old, old, new: steady drift in the machine's load weighs on both designs alike.
ABBA = (NEW, OLD, OLD, NEW)


@dataclass
class Phase:
    """One design's measured minutes: what wrk counted, the server CPU, the editor's work."""

    design: str
    number: int
    requests: int = 0
    seconds: float = 0.0
    hits: int = 0
    misses: int = 0
    uncached: int = 0
    errors: int = 0
    app_s: float = 0.0
    db_s: float = 0.0
    cache_s: float = 0.0
    quantiles: list = field(default_factory=list)  # [(percent, ms)], wrk's
    saves: int = 0
    publishes: int = 0


def phase_seed(number):
    """The measured traffic's seed: phases 1 and 2 see one request stream, 3 and 4 another."""
    return (number + 1) // 2


def miss_share(phases):
    """Page-cache misses among all requests."""
    requests = sum(p.requests for p in phases)
    return sum(p.misses for p in phases) / requests if requests else math.nan


def db_ms_per_request(phases):
    requests = sum(p.requests for p in phases)
    return sum(p.db_s for p in phases) * 1000 / requests if requests else math.nan


def cache_ms_per_request(phases):
    requests = sum(p.requests for p in phases)
    return sum(p.cache_s for p in phases) * 1000 / requests if requests else math.nan


def merged_percentile(phases, percent):
    """The latency at `percent` of all the phases' requests together, from each phase's
    quantiles weighted by its requests."""
    measured = [p for p in phases if p.requests and p.quantiles]
    total = sum(p.requests for p in measured)
    if not total:
        return math.nan

    def share_at_or_below(phase, ms):
        return max((p for p, value in phase.quantiles if value <= ms), default=0) / 100

    candidates = sorted({value for phase in measured for _, value in phase.quantiles})
    for ms in candidates:
        below = sum(p.requests * share_at_or_below(p, ms) for p in measured) / total
        if below >= percent / 100 - 1e-9:
            return ms
    return candidates[-1]


def statics_around(statics, numbers):
    """The static slices right before and after each of the phases `numbers` (1-based)."""
    # Static slice k (0-based) runs before phase k + 1; the last one after the last phase.
    indices = sorted({index for number in numbers for index in (number - 1, number)})
    return [statics[index] for index in indices if index < len(statics)]


def cpu_over_static(phases, statics):
    numbers = [p.number for p in phases]
    return safe_ratio(
        cpu_ms_per_request(phases), cpu_ms_per_request(statics_around(statics, numbers))
    )


def old_over_new(phases):
    """Old ÷ new CPU per request: over all phases, and per ABBA pair (1 with 2, 3 with 4)."""

    def ratio(chosen):
        old = [p for p in chosen if p.design == OLD]
        new = [p for p in chosen if p.design == NEW]
        return safe_ratio(cpu_ms_per_request(old), cpu_ms_per_request(new))

    pairs = [[p for p in phases if phase_seed(p.number) == seed] for seed in (1, 2)]
    return ratio(phases), [ratio(pair) for pair in pairs if pair]


def zipf_top_share(articles, exponent, top):
    """The share of article views the `top` most read of `articles` stories take under Zipf."""
    weights = [rank**-exponent for rank in range(1, articles + 1)]
    return sum(weights[:top]) / sum(weights)
