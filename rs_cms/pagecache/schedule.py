"""Time changes pages with no one saving anything (a scheduled story goes out, an appeal's
window opens or closes). With no worker to act at that moment, the first request after it
does: it asks the app which tags changed (`changed_between`) and moves them, and the
generation, once, whoever asks first. Only the pages that show what changed are retired.

The app that owns the content sets both functions once at start-up (`set_schedule()`): when
pages next change after a moment, and the tags of what changed in a span of time. Without the
second, pages expire at the next change, all of them, as they once did.

The shared cache keeps one schedule: (the generation it was worked out under, the watermark,
the next change after it). Everything due at or before the watermark has been applied. A new
generation (an edit may have scheduled a story) works the next change out again from the
watermark, so nothing due in between is skipped; two servers racing may apply a change twice,
which retires a few pages twice, never none."""

import math
from datetime import UTC, datetime
from typing import NamedTuple

from django.core.cache import cache

from rs_cms.pagecache.generation import local, next_generation
from rs_cms.pagecache.tags import tags_changed

SCHEDULE_KEY = "pagecache:schedule:v1"
DUE_KEY = "pagecache:schedule-due:"
# The claim on applying one change; long enough for the app to name its tags.
DUE_SECONDS = 60


class Schedule(NamedTuple):
    generation: int
    # Timestamps: everything due at or before `applied` is applied; the next change after it.
    applied: float
    next_change: float


class Functions:
    """The app's two functions (set_schedule())."""

    next_change_after = None
    changed_between = None


def set_schedule(next_change_after, changed_between=None):
    """`next_change_after(moment)`: the first datetime after `moment` when public pages change
    with no one saving, or None. `changed_between(start, end)`: the cache tags of what changed
    by itself after `start` and until `end` (datetimes)."""
    Functions.next_change_after = staticmethod(next_change_after)
    Functions.changed_between = staticmethod(changed_between) if changed_between else None


def moves_tags():
    """Whether a scheduled change moves the tags it touches (else every page expires at it)."""
    return Functions.changed_between is not None


def as_datetime(timestamp):
    return datetime.fromtimestamp(timestamp, tz=UTC)


def change_after(timestamp):
    """The first moment after `timestamp` when public pages change by themselves; inf if none."""
    if Functions.next_change_after is None:
        return math.inf
    moment = Functions.next_change_after(as_datetime(timestamp))
    return moment.timestamp() if moment is not None else math.inf


def schedule(generation, now):
    """The schedule for `generation`: this process's copy, the shared one, or worked out anew
    (from the shared watermark, or from `now` when there is none)."""
    known = local.schedule
    if known is not None and known.generation == generation:
        return known
    known = cache.get(SCHEDULE_KEY)
    if known is None or known.generation != generation:
        applied = known.applied if known is not None else now
        known = Schedule(generation, applied, change_after(applied))
        cache.set(SCHEDULE_KEY, known, timeout=None)
    local.schedule = known
    return known


def catch_up(generation, now):
    """Apply the scheduled changes due by `now`, if any and if no other request is already:
    move the tags they touched and the generation. Whether it moved anything."""
    due = schedule(generation, now)
    if now < due.next_change:
        return False
    if not moves_tags():
        # The pages expired at the change (middleware.py): only the next one is to be found.
        local.schedule = Schedule(generation, now, change_after(now))
        cache.set(SCHEDULE_KEY, local.schedule, timeout=None)
        return False
    if not cache.add(f"{DUE_KEY}{due.applied}", True, timeout=DUE_SECONDS):
        return False
    tags = Functions.changed_between(as_datetime(due.applied), as_datetime(now))
    tags_changed(tags)
    next_generation()
    cache.set(SCHEDULE_KEY, Schedule(None, now, math.inf), timeout=None)
    local.schedule = None
    return True


def next_scheduled_change(generation, now):
    """The next moment pages change by themselves, as a timestamp (inf if none is known)."""
    return schedule(generation, now).next_change
