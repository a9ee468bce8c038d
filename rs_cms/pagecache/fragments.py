"""Fragments: parts of a page kept in the shared cache under their own content's tags, so a page
rebuilt after someone else's change reuses them (an article's body, a teaser card).

A fragment is the HTML one render made, kept under a key of its name and arguments with the
tags shown while it rendered (`shows()`, `tag_page()`) and their versions, as pages are
(tags.py); it is used while every one of them is still at that version. Its tags reach the page
either way: collected as it renders, or passed on from the stored copy, so the page's own tags
are the same on a hit as on a fresh render.

Only a page being rendered for the page cache that describes itself with tags (`tag_page()`
before its template renders) uses them. Anything else (a staff preview, a share preview, every
page with PAGE_CACHE_TAGS off) renders each fragment afresh, as if there were none."""

import hashlib
import math
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

from rs_cms.pagecache.schedule import moves_tags, next_scheduled_change
from rs_cms.pagecache.tags import Collected, collected, shows, versions, versions_after

# The version changes whenever Fragment does, so entries an older release kept are missed.
FRAGMENT_KEY_PREFIX = "pagecache:fragment:v1:"
# The longest a fragment is kept. Its tags retire it when what it shows changes; this bounds
# what no tag retires (a release that changes a template shows within the day) and lets a
# fragment no page asks for any more leave the cache. Longer than a page is kept
# (PAGE_CACHE_TAGGED_SECONDS), so a page that expired is rebuilt from its fragments.
FRAGMENT_SECONDS = 24 * 3600


class Fragment(NamedTuple):
    """A stored fragment: its HTML, and what it showed at which version."""

    html: str
    # ((tag, version), …), as a stored page's.
    tags: tuple
    # As a page's: at the next scheduled change, what it shows may change by itself.
    expires_at: float

    def is_current(self, now, current):
        """Whether it is still good at `now`, given `current`: {tag: its version now}."""
        return now < self.expires_at and all(current[tag] == version for tag, version in self.tags)


def fragment_key(name, args):
    digest = hashlib.md5(repr(tuple(args)).encode(), usedforsecurity=False).hexdigest()
    return f"{FRAGMENT_KEY_PREFIX}{name}:{digest}"


def in_use(page):
    """Whether fragments come from the cache while `page` (a collection, or None) renders."""
    return page is not None and page.whole and settings.PAGE_CACHE_TAGS


def prefetch(named):
    """Look up the fragments `named` ([(name, args), …]) the page is about to use, and the
    versions of their tags, in one read each: the page then reads none of them one by one."""
    page = collected.get()
    if not in_use(page):
        return
    keys = [fragment_key(name, args) for name, args in named]
    found = cache.get_many(keys)
    page.prefetched.update({key: found.get(key) for key in keys})
    # Remembered by this process for a moment (tags.LocalVersions): read here, asked again below.
    versions({tag for entry in found.values() for tag, _ in entry.tags})


def fragment(name, args, render):
    """The HTML `render()` makes, kept under `name` and `args` (plain values: ids, flags)."""
    return fragment_batch(name, [(args, render)])[0]


def fragment_batch(name, parts):
    """[render() for each (args, render) in `parts`], each kept under `name` and its `args`,
    all looked up in one read of the shared cache (a list's teaser cards, say)."""
    page = collected.get()
    if not in_use(page):
        return [str(render()) for _, render in parts]
    keys = [fragment_key(name, args) for args, _ in parts]
    found = {key: page.prefetched.pop(key) for key in keys if key in page.prefetched}
    unread = [key for key in keys if key not in found]
    found = {key: entry for key, entry in found.items() if entry is not None}
    if unread:
        found |= cache.get_many(unread)
    current = versions({tag for entry in found.values() for tag, _ in entry.tags})
    now = time.time()
    html, made = [], {}
    for key, (_, render) in zip(keys, parts, strict=True):
        entry = found.get(key)
        if entry is not None and entry.is_current(now, current):
            shows(*(tag for tag, _ in entry.tags))
            html.append(entry.html)
        else:
            made[key] = rendering(page, render)
            html.append(made[key][0])
    if made:
        keep(made, page.generation, now)
    return html


def rendering(page, render):
    """(the HTML `render()` makes, the tags shown while it did); those tags reach the page too."""
    # Fragments inside this one are used as they would be in the page itself.
    inside = Collected(generation=page.generation, whole=page.whole)
    token = collected.set(inside)
    try:
        html = str(render())
    finally:
        collected.reset(token)
    page.tags.update(inside.tags)
    return html, inside.tags


def keep(made, generation, now):
    """Store `made` ({key: (html, tags)}) under its tags' versions, unless a change came since
    the page read `generation`: its rows may then be older than the versions read now."""
    if generation is None:
        return
    stored, moved = versions_after(set().union(*(tags for _, tags in made.values())), generation)
    if moved:
        return
    version = dict(stored)
    expires_at = now + FRAGMENT_SECONDS
    if not moves_tags():
        # Time changes what it shows with no tag moved: it expires at the next change. Asked
        # for no page, as the page cache asks before a page renders: what the owner of the
        # content reads to answer (the site chrome) is not something this page shows.
        token = collected.set(None)
        try:
            expires_at = min(expires_at, next_scheduled_change(generation, now))
        finally:
            collected.reset(token)
    entries = {
        key: Fragment(html, tuple(sorted((tag, version[tag]) for tag in tags)), expires_at)
        for key, (html, tags) in made.items()
    }
    cache.set_many(entries, timeout=max(1, math.ceil(expires_at - now)))
