"""Dates and times as machines read them: one form for pages, feeds, JSON-LD and sitemaps."""

from datetime import datetime

from django.utils import timezone


def whole_seconds(moment):
    """`moment` without its fraction of a second."""
    return moment.replace(microsecond=0)


def iso(moment):
    """ISO 8601 to the whole second, in the site's time zone with its offset:
    2026-12-07T09:35:11+00:00; a date alone as 2026-12-07.

    HTML's <time datetime> allows at most three digits of a second's fraction, and feed
    readers and crawlers differ on fractions; whole seconds suit every one of them."""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    return timezone.localtime(moment).isoformat(timespec="seconds")
