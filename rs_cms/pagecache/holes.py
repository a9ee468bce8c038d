"""Holes: a part of a stored page filled in each time the page is served, so that what changes
on every page at once (LATEST, after each story published) does not retire every page.

A template asks for the part through `hole(name, argument)`. While a page is being rendered for
the cache, that writes a mark in its place; the page is stored with the mark, and whenever it
is served (a hit or the miss that stored it) the mark is replaced by what the app's filler for
`name` gives (settings.PAGE_CACHE_HOLES: a dotted path to a function of the argument that
returns a Filling). Otherwise (a signed-in editor, a preview, PAGE_CACHE_TAGS off) the part is
rendered in place at once. The page's own tags leave out what the hole shows; a CDN, which
keeps the page whole, is sent the filling's tags too (cdn.py)."""

import re
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from rs_cms.pagecache.tags import collected

# Names are lowercase words, arguments short tokens: nothing a reader's text could be (pages
# escape text, and the sanitiser drops comments from rich text).
NAME = re.compile(r"[a-z][a-z-]{0,30}")
ARGUMENT = re.compile(r"[0-9A-Za-z_-]{0,40}")
MARK = re.compile(rb"<!--pagecache:hole ([a-z][a-z-]{0,30}) ([0-9A-Za-z_-]{0,40})-->")


class Filling(NamedTuple):
    """What a hole is filled with: its HTML, and the cache tags of what that shows."""

    html: str
    tags: frozenset


@cache
def filler(name):
    return import_string(settings.PAGE_CACHE_HOLES[name])


def hole(name, argument=""):
    """The part `name` of the page being rendered: a mark the page cache fills in whenever
    it serves the page, or the part itself when no page is being stored."""
    argument = str(argument)
    if not (NAME.fullmatch(name) and ARGUMENT.fullmatch(argument)):
        raise ValueError(f"Not a hole: {name!r} {argument!r}")
    found = collected.get()
    if found is None or not settings.PAGE_CACHE_TAGS:
        return mark_safe(filler(name)(argument).html)
    found.holes = True
    return mark_safe(f"<!--pagecache:hole {name} {argument}-->")


def fill(content):
    """(`content` with each hole filled, the tags of what the fillings show)."""
    tags = set()

    def filled(match):
        filling = filler(match[1].decode())(match[2].decode())
        tags.update(filling.tags)
        return filling.html.encode()

    return MARK.sub(filled, content), tags
