"""Whole public pages for anonymous readers, from the shared cache, never staler than the news.

Every stored page carries the *content generation* it was rendered under (generation.py). A
page whose generation is not the current one is never served, so an edit shows on the next
request, on every app server.

Time changes pages too, with no one saving anything: a page expires PAGE_CACHE_SECONDS after it
was rendered, or sooner, at the next scheduled change (a scheduled article going out, a
donation appeal's window opening or closing). So a scheduled story appears on time, with no
worker."""

import hashlib
import math
import re
import time
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csp import get_nonce
from django.utils.cache import (
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_etags, split_directive_names

from rs_cms.pagecache import holes
from rs_cms.pagecache.cdn import HEADERS as CDN_HEADERS
from rs_cms.pagecache.cdn import purging, tag_headers
from rs_cms.pagecache.generation import GENERATION_KEY, local, start_generation
from rs_cms.pagecache.schedule import catch_up, moves_tags, next_scheduled_change
from rs_cms.pagecache.tags import collected, collecting, tags_are_current, versions_after

# The version in the prefix changes whenever Entry does (or moves: v3, from articles/cache.py),
# so old entries are simply missed.
PAGE_KEY_PREFIX = "pagecache:v4:"
DEFAULT_SECONDS = 60
# A CDN may go on serving an expired page this long while it fetches a fresh one.
STALE_WHILE_REVALIDATE = 30

PAGE_NUMBER = re.compile(r"[0-9]{1,6}")
# Added by newsletters, social sites and ads; no page reads them, so they share the page's copy.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"})
# Headers set per response, never stored. Last-Modified is left out altogether: it counts
# whole seconds, and a page can change twice in one, so If-Modified-Since would answer 304 to
# a reader holding the older copy. The ETag, a hash of the page itself, validates alone.
UNSTORED_HEADERS = frozenset({"cache-control", "set-cookie", "x-page-cache", "last-modified"})


class Entry(NamedTuple):
    """A stored page: what is needed to answer a request, and when it stops being good."""

    generation: int
    expires_at: float
    status: int
    headers: dict
    content: bytes
    # ((tag, version), …) for a page that described itself (tag_page()): it is good while
    # they are; None for a page good while the generation is.
    tags: tuple | None = None
    # Whether the content has holes to fill whenever it is served (holes.py).
    holes: bool = False
    # Until when a CDN may keep it: as long as this cache when the CDN is told of changes
    # (a page with tags, CDN_PURGE set), else no longer than PAGE_CACHE_SECONDS.
    shared_until: float = 0.0

    def is_current(self, generation):
        if self.tags is not None:
            return tags_are_current(self.tags)
        return self.generation == generation


def page_cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS)


def tagged_page_seconds():
    """How long a page that describes itself (tags.py) may be kept: a change to what it shows
    retires it sooner, so it need not expire as soon as a page following the generation."""
    return max(page_cache_seconds(), getattr(settings, "PAGE_CACHE_TAGGED_SECONDS", 0))


# Which requests and responses the cache may take.


def is_personal(request):
    """A request that may be answered for one person: signed in (or was), or authenticating.

    The session cookie is the cheap sign: reading the session itself would cost a query."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def is_public_page(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in settings.PAGE_CACHE_VIEWS


def page_parameters():
    """The query parameters any stored page reads (settings.PAGE_CACHE_VIEWS)."""
    return frozenset().union(*settings.PAGE_CACHE_VIEWS.values())


def canonical_host():
    return urlsplit(settings.SITE_URL).netloc.lower()


def page_numbers(request):
    """{parameter: page number} for the page numbers past the first in the query string, one
    way of writing each (?page=02 is ?page=2, ?page=1 no page number), tracking parameters
    left out; None when it has anything else."""
    numbers, parameters = {}, page_parameters()
    for name, values in request.GET.lists():
        if name in parameters and len(values) == 1 and PAGE_NUMBER.fullmatch(values[0]):
            if int(values[0]) != 1:
                numbers[name] = int(values[0])
        elif not (name.startswith("utm_") or name in TRACKING_PARAMETERS):
            return None
    return numbers


def page_key(request):
    """The page's cache key, or None for a page that is not stored: one asked for on another
    host than SITE_URL's (so a made-up Host header makes no entry), or with a query
    parameter no page reads. The key is the canonical address: every way of writing one
    page's address (parameters in another order, tracking parameters) finds one entry."""
    numbers = page_numbers(request)
    if numbers is None or request.get_host().lower() != canonical_host():
        return None
    address = f"{canonical_host()}{request.path}?{urlencode(sorted(numbers.items()))}"
    return PAGE_KEY_PREFIX + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def may_store(request, response):
    """Only a complete 200 of a public page, the same for every anonymous reader."""
    if not is_public_page(request) or response.status_code != 200 or response.streaming:
        return False
    # A page number the view does not read: the same page as without it.
    read = settings.PAGE_CACHE_VIEWS[request.resolver_match.view_name]
    if not set(page_numbers(request) or {}) <= read:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or get_nonce(request):
        # A cookie, a CSRF token or a CSP nonce is one visitor's, not everyone's.
        return False
    if {"private", "no-store", "no-cache"}.intersection(
        split_directive_names(response.get("Cache-Control", ""))
    ):
        return False
    # The key knows nothing of request headers but the session cookie (see is_personal).
    if set(split_directive_names(response.get("Vary", ""))) - {"cookie"}:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


# Answers.


def store(
    key,
    response,
    generation,
    rendered_at,
    expires_at,
    page_tags=None,
    has_holes=False,
    next_change=math.inf,
):
    if not response.has_header("ETag") and not has_holes:
        set_response_etag(response)
    # A view's own date (a feed's newest item, a sitemap's) would miss a change such as a new
    # image credit; the time of rendering, two renders in one second (UNSTORED_HEADERS).
    response.headers.pop("Last-Modified", None)
    patch_vary_headers(response, ["Cookie"])
    entry = Entry(
        generation=generation,
        expires_at=expires_at,
        status=response.status_code,
        headers={
            name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS
        },
        content=response.content,
        tags=page_tags,
        holes=has_holes,
        # No CDN hears of a scheduled change: it lets the page go at that moment.
        shared_until=min(
            next_change,
            expires_at
            if page_tags is not None and purging() is not None
            else min(expires_at, rendered_at + page_cache_seconds()),
        ),
    )
    cache.set(key, entry, timeout=max(1, math.ceil(expires_at - rendered_at)))
    return entry


def answer(request, response, entry, now, outcome):
    """The headers every cached page carries, then 304 if the reader's copy is current: if
    its ETag is the page's (there is no date to compare, see UNSTORED_HEADERS).

    A CDN may keep the page as long as this server would: s-maxage counts down, so the page
    expires there when it does here (at a scheduled article's time, say). Browsers revalidate
    every time, which is a 304 from the cache. Vary: Cookie keeps a cache that honours it from
    giving this copy to a signed-in editor; a CDN that ignores Vary must be told to pass
    requests carrying the session cookie straight through (their pages are private anyway)."""
    remaining = max(0, math.floor(entry.shared_until - now))
    response.headers["Cache-Control"] = (
        f"public, max-age=0, s-maxage={remaining}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"
    )
    response.headers["X-Page-Cache"] = outcome
    filled_tags = ()
    if entry.holes:
        filled_tags = fill_holes(response, entry.content)
        # The ETag of the page as served: a reader's copy is current only if its holes are.
        set_response_etag(response)
    tag_headers(response, entry.tags, filled_tags)
    if request.method in ("GET", "HEAD") and is_current(request, response.headers["ETag"]):
        not_modified = HttpResponseNotModified()
        for header in ("Cache-Control", "ETag", "Vary", "X-Page-Cache", *CDN_HEADERS):
            if header in response:
                not_modified.headers[header] = response.headers[header]
        return not_modified
    return response


def is_current(request, etag):
    """Whether If-None-Match names the page's ETag (weakly compared, as RFC 9110 has it).

    The only validator: a page has no date (UNSTORED_HEADERS), and RFC 9110 has a server
    without one ignore If-Modified-Since and If-Unmodified-Since, which Django's
    get_conditional_response() would answer 412 for a date in the future."""
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in wanted or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in wanted}


def fill_holes(response, content):
    """Answer `content` with its holes filled (holes.py); the tags the fillings show."""
    response.content, tags = holes.fill(content)
    if response.has_header("Content-Length"):
        response.headers["Content-Length"] = str(len(response.content))
    return tags


def unstored(response, shown):
    """A page that is not kept, as readers get it."""
    if shown.holes and not response.streaming:
        fill_holes(response, response.content)
    return response


def keep_private(response):
    """A signed-in reader's page: no shared cache (a CDN) may keep it."""
    patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


class PageCacheMiddleware:
    """Answer anonymous GET and HEAD requests for public pages from the shared cache.

    Goes right after WhiteNoise, before the session middleware: a hit is answered before
    sessions, CSRF, authentication, context processors and the view run, so it costs no
    database query. HEAD requests are answered from the GET copy but never stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A worker serves request after request in one context: nothing collected for the
        # last page may count for this one.
        collected.set(None)
        seconds = page_cache_seconds()
        if seconds <= 0 or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if is_personal(request):
            response = self.get_response(request)
            return keep_private(response) if is_public_page(request) else response
        key = page_key(request)
        if key is None:
            return self.get_response(request)

        # Read the generation before rendering: a change made while the view runs moves it on,
        # and the page stored below is then never served.
        now = time.time()
        generation = local.known_generation()
        entry = None
        if generation is None:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            entry = found.get(key)
            if generation is not None:
                local.remember_generation(generation)
        else:
            entry = local.page(key)
            if entry is None or not (entry.tags or entry.generation == generation):
                entry = cache.get(key)
        if generation is not None and catch_up(generation, now):
            # A scheduled change came due, and this request applied it: look again.
            return self(request)
        if (
            entry is not None
            and generation is not None
            and now < entry.expires_at
            and entry.is_current(generation)
        ):
            local.keep(key, entry)
            cached = HttpResponse(entry.content, status=entry.status, headers=entry.headers)
            return answer(request, cached, entry, now, "hit")
        if generation is None:
            generation = start_generation()
        if request.method == "HEAD" or generation is None:
            return self.get_response(request)
        # Asked before rendering, at the moment the page is read: what the page shows is
        # then what the schedule was worked out for (the owner of the content may keep it
        # beside the pages, as the site chrome does).
        next_change = next_scheduled_change(generation, now)
        shown = collecting()
        response = self.get_response(request)
        if not may_store(request, response):
            return unstored(response, shown)
        page_tags = None
        # Pages follow a scheduled change by its tags (schedule.py), or else expire at it.
        bound = math.inf if moves_tags() else next_change
        expires_at = min(now + seconds, bound)
        if shown.whole:
            # Read after rendering, so kept only if nothing changed meanwhile: a change made
            # while the view read its rows moved the generation too.
            page_tags, moved = versions_after(shown.tags, generation)
            if moved:
                # Not kept here, nor by a CDN: the next request renders it afresh.
                patch_cache_control(response, max_age=0, s_maxage=0)
                response.headers["X-Page-Cache"] = "miss"
                return unstored(response, shown)
            expires_at = min(now + tagged_page_seconds(), bound)
        entry = store(
            key, response, generation, now, expires_at, page_tags, shown.holes, next_change
        )
        local.keep(key, entry)
        return answer(request, response, entry, time.time(), "miss")
