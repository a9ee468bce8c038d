"""Summaries of timings where NaN means nothing was measured."""

import math
import statistics


def median(values):
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else math.nan


def percentile(values, fraction):
    """The nearest-rank percentile: the smallest value with `fraction` of them at or below it."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def safe_ratio(numerator, denominator):
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator
