"""The content generation: one number in the shared cache that every change readers could see
moves on.

The page cache knows no model. The apps that own the content tell it that something changed
(`content_changed()`, or a `changes()` block for a whole workflow), through
rs_cms/pagecache/__init__.py; what time changes by itself, through schedule.py."""

import math
import threading
import time
from collections import OrderedDict
from functools import partial

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

GENERATION_KEY = "pagecache:generation"
# Each process keeps the generation it last read for this long, and its most requested pages
# beside it: a hit then costs no trip to the shared cache. A change made on another server
# reaches this one within LOCAL_GENERATION_SECONDS; one made here, at once.
LOCAL_GENERATION_SECONDS = 0.5
LOCAL_PAGES = 256


class LocalCopies:
    """This process's copy of the generation and of its most requested pages (least recently
    used go first). Only a copy: the shared cache stays the truth, so a page kept here is used
    only while the generation it was made under is still, as far as this process knows,
    the current one."""

    def __init__(self, size=LOCAL_PAGES):
        self.size = size
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.pages = OrderedDict()
        self.forget_generation()

    def forget_generation(self):
        self.generation, self.read_at = None, -math.inf
        # The shared schedule as last read (schedule.py), good for its own generation only.
        self.schedule = None

    def known_generation(self):
        """The generation read less than LOCAL_GENERATION_SECONDS ago, or None."""
        if time.monotonic() - self.read_at < LOCAL_GENERATION_SECONDS:
            return self.generation
        return None

    def remember_generation(self, generation):
        self.generation, self.read_at = generation, time.monotonic()

    def page(self, key):
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def keep(self, key, entry):
        with self.lock:
            self.pages[key] = entry
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


local = LocalCopies()


def known_generation():
    """The content generation as this process read it less than LOCAL_GENERATION_SECONDS ago
    (every request to the page cache reads it when older), or None."""
    return local.known_generation()


def start_generation():
    """A generation for a cache that has none (flushed, evicted, or new)."""
    # A fresh start is the time in nanoseconds, never a number an older page can carry: a page
    # stored under generation g is missed after an eviction because the new one is far above g.
    start = time.time_ns()
    if cache.add(GENERATION_KEY, start, timeout=None):
        return start
    return cache.get(GENERATION_KEY)


def next_generation():
    local.forget_generation()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there: any fresh start is a new generation
        start_generation()


class Pending(threading.local):
    """What this thread owes the generation: database connections, like this, are per thread.

    `owed` holds the aliases of transactions that changed content and have not committed yet;
    `batches` counts the changes() blocks open, and `batched` the aliases they saw change."""

    def __init__(self):
        self.owed = set()
        self.batches = 0
        self.batched = set()
        # {alias: tags} changed inside the changes() blocks open (tags.py).
        self.batched_tags = {}


pending = Pending()


def content_changed(using=None):
    """Make every cached page stale: now, and again when the current transaction commits.

    The second move is the one that counts: a request that renders between the change and its
    commit reads the old rows, and must not store them under the new generation. Inside a
    changes() block, both wait for the block's end, so one workflow moves it once."""
    if pending.batches:
        pending.batched.add(using or DEFAULT_DB_ALIAS)
        return
    move_now_and_at_commit(using or DEFAULT_DB_ALIAS)


def move_now_and_at_commit(alias):
    next_generation()
    if transaction.get_autocommit(alias):
        return
    # Every change registers a callback, but only the first to run at the commit moves the
    # generation: a rolled-back transaction's mark is then simply spent by the next commit.
    pending.owed.add(alias)
    transaction.on_commit(partial(settle, alias), using=alias)


def settle(alias):
    if alias in pending.owed:
        pending.owed.discard(alias)
        next_generation()


def read_with_generation(key):
    """(the content generation now, the value cached at `key` or None), in one trip to the
    shared cache: for fragments kept beside the pages, under the same generation."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = start_generation()
    return generation, found.get(key)
