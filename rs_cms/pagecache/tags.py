"""Cache tags: what a stored page shows, so a change retires only the pages that show it.

A page that describes itself completely (`tag_page()`) is stored with the version of each of
its tags, and served while every one of them is still at that version; the content generation
does not retire it. Fragments it uses (the site chrome, related teasers) add their own tags
(`shows()`). The app that owns the content moves a tag's version when the thing it names
changes (`tags_changed()`), now and again when the transaction commits, as the generation.
Pages that do not describe themselves keep following the generation."""

import threading
import time
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

from rs_cms.pagecache.cdn import purge_later
from rs_cms.pagecache.generation import (
    GENERATION_KEY,
    LOCAL_GENERATION_SECONDS,
    local,
    pending,
)

TAG_KEY = "pagecache:tag:"
# How many tag versions a process keeps a copy of, at most (about 100 bytes each).
LOCAL_TAGS = 50_000
# The tags a page on the way to the cache shows: None when no page is being stored.
collected = ContextVar("pagecache_tags", default=None)


class Collected:
    """The tags of the page being rendered, whether the page described itself whole, whether
    it has holes, and the generation read before its rows were (None if unknown): what it keeps
    of itself (fragments.py) is kept only if that is still the current one."""

    def __init__(self, generation=None, whole=False):
        self.tags = set()
        self.whole = whole
        self.generation = generation
        # Whether it has holes, filled whenever it is served (holes.py).
        self.holes = False
        # Fragments looked up ahead, in one read (fragments.prefetch()): {key: entry or None}.
        self.prefetched = {}


def collecting():
    """Start collecting the tags of the page about to be rendered; returns the collection."""
    # The page cache has just read the generation (or this process's copy of it, which can
    # only be older): read before the view reads a row, so a change made since has moved it.
    found = Collected(generation=local.generation)
    collected.set(found)
    return found


def shows(*tags):
    """The page being rendered shows what `tags` name (a fragment's or a part's)."""
    found = collected.get()
    if found is not None:
        found.tags.update(tags)


def tag_page(*tags):
    """The page being rendered is described whole by `tags` and those its fragments add:
    it is kept until one of them changes, whatever else does (unless PAGE_CACHE_TAGS is off:
    then it follows the generation, as every page once did)."""
    found = collected.get()
    if found is not None:
        found.tags.update(tags)
        found.whole = settings.PAGE_CACHE_TAGS


# Versions.


class LocalVersions:
    """This process's copy of tag versions, for LOCAL_GENERATION_SECONDS: a hit then asks
    nothing of the shared cache, as with the generation."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.read_at, self.versions = {}, {}

    def known(self, tags):
        now = time.monotonic()
        with self.lock:
            if all(now - self.read_at.get(tag, -1e9) < LOCAL_GENERATION_SECONDS for tag in tags):
                return {tag: self.versions[tag] for tag in tags}
        return None

    def remember(self, versions):
        now = time.monotonic()
        with self.lock:
            if len(self.versions) > LOCAL_TAGS:
                # Only a copy: starting again costs one read of the shared cache per page.
                self.read_at, self.versions = {}, {}
            self.versions.update(versions)
            self.read_at.update(dict.fromkeys(versions, now))

    def forget(self, tags):
        with self.lock:
            for tag in tags:
                self.read_at.pop(tag, None)


local_versions = LocalVersions()


def versions(tags):
    """{tag: its version now}, starting a version for a tag the cache has none of."""
    tags = sorted(tags)
    known = local_versions.known(tags)
    if known is not None:
        return known
    found = cache.get_many([TAG_KEY + tag for tag in tags])
    result = {}
    for tag in tags:
        version = found.get(TAG_KEY + tag)
        if version is None:
            version = start_version(tag)
        result[tag] = version
    local_versions.remember(result)
    return result


def start_version(tag):
    # As for the generation: a fresh start is far above any version an older page carries.
    start = time.time_ns()
    if cache.add(TAG_KEY + tag, start, timeout=None):
        return start
    return cache.get(TAG_KEY + tag, start)


def move(tags):
    local_versions.forget(tags)
    for tag in tags:
        try:
            cache.incr(TAG_KEY + tag)
        except ValueError:  # not there: a fresh start is a new version
            start_version(tag)


def tags_changed(tags, using=None):
    """What `tags` name changed: the pages showing it are retired now, and again when the
    transaction commits (inside a changes() block, both wait for its end)."""
    tags = set(tags)
    if not tags:
        return
    alias = using or DEFAULT_DB_ALIAS
    if pending.batches:
        pending.batched_tags.setdefault(alias, set()).update(tags)
        return
    move_now_and_at_commit(tags, alias)


def move_now_and_at_commit(tags, alias):
    move(tags)
    if transaction.get_autocommit(alias):
        purge_later(tags)
    else:
        transaction.on_commit(partial(settle, tags), using=alias)


def settle(tags):
    """At the commit: move the tags again, and tell the CDN (cdn.py) to let go of them."""
    move(tags)
    purge_later(tags)


def versions_after(tags, generation):
    """((tag, version), …) for `tags` as the shared cache has them now, and whether the
    generation has moved on from `generation` (a change came while the page rendered)."""
    tags = sorted(tags)
    found = cache.get_many([GENERATION_KEY, *(TAG_KEY + tag for tag in tags)])
    moved = found.get(GENERATION_KEY) != generation
    stored = tuple((tag, found.get(TAG_KEY + tag) or start_version(tag)) for tag in tags)
    return stored, moved


def tags_are_current(stored):
    """Whether every tag a page was stored with is still at the version it had."""
    return versions([tag for tag, _ in stored]) == dict(stored)
