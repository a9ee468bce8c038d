"""What every public page shows around its content (the section navigation, the running
donation appeal, LATEST and QIOSK), kept in the shared cache beside the pages."""

import math
from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from articles import cache_tags
from articles.models import Article, DonationAppeal, Section
from rs_cms import pagecache

# How many stories LATEST and QIOSK show.
RAIL_LENGTH = 5


def headlines(articles, limit):
    """The newest `limit` of `articles`, with just what a one-line link shows."""
    return (
        articles.select_related("section")
        .only("headline", "slug", "kind", "published_at", "section__name", "section__slug")
        .order_by("-published_at", "-pk")[:limit]
    )


class SiteChrome(NamedTuple):
    """What every public page shows around its content, and for how long it holds."""

    sections: list
    appeal: DonationAppeal | None
    # The newest stories (one spare, for the page of one of them) and QIOSK items.
    latest: list
    qiosk: list
    generation: int
    read_at: datetime
    good_until: datetime
    # The first moment after it was read when public pages change by themselves, or None.
    next_change: datetime | None

    def holds_at(self, moment):
        return self.read_at <= moment < self.good_until

    def latest_except(self, pk, limit=RAIL_LENGTH):
        return [story for story in self.latest if story.pk != pk][:limit]


# The version changes whenever SiteChrome does, so a copy an older release kept is missed.
SITE_CHROME_KEY = "articles:site-chrome:v2"
# The longest a copy is used, whatever happens.
SITE_CHROME_SECONDS = 60


def site_chrome(moment=None):
    """The section navigation, the running donation appeal, LATEST and QIOSK as readers see
    them at `moment` (now), from the shared cache: every public page shows them, so pages
    read them without a query.

    A copy is kept for the content generation it was read under, as whole pages are
    (rs_cms/pagecache): any change readers could see, a section, an appeal or an article
    saved or deleted among them, retires it. So does the next scheduled change (the start or
    end of an appeal, a scheduled story going out), at that very moment."""
    now = timezone.now()
    moment = moment or now
    generation, chrome = pagecache.read_with_generation(SITE_CHROME_KEY)
    if chrome is None or chrome.generation != generation or not chrome.holds_at(moment):
        chrome = load_site_chrome(moment, generation)
        # Never keep what readers will see only later: a copy read for a moment to come.
        if chrome.holds_at(now):
            seconds = math.ceil((chrome.good_until - now).total_seconds())
            cache.set(SITE_CHROME_KEY, chrome, seconds)
    pagecache.shows(*cache_tags.of_chrome())
    return chrome


def load_site_chrome(now, generation):
    # The running appeal and those still to come, in one query: what readers see changes when
    # the one ends or the next one starts.
    appeals = list(DonationAppeal.objects.running_or_due(now))
    appeal = DonationAppeal.current_among(appeals, now)
    changes = [appeal.starts_at for appeal in appeals if appeal.starts_at > now]
    if appeal is not None and appeal.ends_at is not None:
        changes.append(appeal.ends_at)
    # LATEST, QIOSK and the next story due to go out (LATEST changes at its time), in one query.
    public = Article.objects.published().order_by("-published_at", "-pk")
    newest = public.exclude(kind=Article.Kind.QIOSK).values("pk")[: RAIL_LENGTH + 1]
    qiosk = public.filter(kind=Article.Kind.QIOSK).values("pk")[:RAIL_LENGTH]
    due = Article.objects.scheduled_after(now).order_by("published_at", "pk").values("pk")[:1]
    rows = list(headlines(Article.objects.in_any([newest, qiosk, due]), 2 * RAIL_LENGTH + 2))
    shown = [story for story in rows if story.published_at <= now]
    changes += [story.published_at for story in rows if story.published_at > now]
    next_change = min(changes, default=None)
    good_until = min(filter(None, [now + timedelta(seconds=SITE_CHROME_SECONDS), next_change]))
    return SiteChrome(
        sections=list(Section.objects.all()),
        appeal=appeal,
        latest=[story for story in shown if story.kind != Article.Kind.QIOSK],
        qiosk=[story for story in shown if story.kind == Article.Kind.QIOSK],
        generation=generation,
        read_at=now,
        good_until=good_until,
        next_change=next_change,
    )


def next_public_change(moment):
    """When public pages next change by themselves after `moment` (a scheduled story goes out,
    an appeal's window opens or closes), or None: the page cache's schedule
    (ArticlesConfig.ready).

    The site chrome knows it, worked out in one place: the copy in the shared cache answers
    for any moment it holds at, at no cost, and the page cache asks before rendering, so the
    page's own chrome is then that copy."""
    return site_chrome(moment).next_change


def changed_between(start, end):
    """The cache tags of what changed by itself after `start` until `end`: the stories whose
    time came (their lists, and the pages that picked them) and the appeal, if a window
    opened or closed. The page cache's schedule (ArticlesConfig.ready)."""
    went_out = Article.objects.published().filter(published_at__gt=start, published_at__lte=end)
    pks = list(went_out.values_list("pk", flat=True))
    changed = {cache_tags.article(pk) for pk in pks}
    if pks:
        changed |= Article.objects.filter(pk__in=pks).list_tags()
    windows = DonationAppeal.objects.filter(
        Q(starts_at__gt=start, starts_at__lte=end) | Q(ends_at__gt=start, ends_at__lte=end)
    )
    if windows.exists():
        changed.add(cache_tags.APPEAL)
    return changed


class RenderedRail(NamedTuple):
    """This process's copy of the rail, as rendered from one copy of the site chrome."""

    chrome: SiteChrome | None
    # {the article left out of LATEST, or None: HTML}
    html: dict


class LocalRail:
    """The process's current RenderedRail, replaced whole (one assignment: thread-safe)."""

    copy = RenderedRail(chrome=None, html={})


def rail_filling(argument):
    """LATEST and QIOSK beside the article `argument` (its pk): a hole in its stored page
    (settings.PAGE_CACHE_HOLES), filled whenever the page is served.

    A hit asks nothing of the shared cache for it: this process renders the rail once for each
    copy of the site chrome, used while the generation it was read under is the one the page
    cache has just seen and the chrome holds."""
    now = timezone.now()
    copy = LocalRail.copy
    if not (
        copy.chrome is not None
        and copy.chrome.generation == pagecache.known_generation()
        and copy.chrome.holds_at(now)
    ):
        copy = LocalRail.copy = RenderedRail(chrome=site_chrome(), html={})
    chrome = copy.chrome
    left_out = int(argument) if argument else None
    # Only an article among the newest has a rail of its own; every other shares one.
    if left_out not in {story.pk for story in chrome.latest}:
        left_out = None
    html = copy.html.get(left_out)
    if html is None:
        html = copy.html[left_out] = render_to_string(
            "includes/rail.html",
            {"articles": chrome.latest_except(left_out), "items": chrome.qiosk[:RAIL_LENGTH]},
        )
    return pagecache.Filling(html=html, tags=frozenset(cache_tags.of_rail(chrome)))
