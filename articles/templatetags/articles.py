from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import cache_tags, dates
from articles.chrome import RAIL_LENGTH, site_chrome
from articles.related import related_stories as related_stories_of
from rs_cms import pagecache

register = template.Library()


def page_chrome(context):
    """The page's own copy of the site chrome, when the context processor gave it one: one
    read of the shared cache a page, however many blocks show a part of it."""
    return context.get("site_chrome") or site_chrome()


@register.inclusion_tag("includes/related_stories.html", takes_context=True)
def related_stories(context, article, limit=3):
    # Beyond its teasers (articles.related), the block shows the article's picks and topic,
    # and the sections' names: what its fragment on the article page is kept under.
    pagecache.shows(cache_tags.article(article.pk), cache_tags.SECTIONS)
    return {"stories": related_stories_of(article, limit, chrome=page_chrome(context))}


@register.inclusion_tag("includes/donation_appeal.html", takes_context=True)
def donation_appeal(context, article=None):
    """The running campaign's appeal, unless the article opts out."""
    if article is not None and not article.show_donation_appeal:
        return {"appeal": None}
    return {"appeal": page_chrome(context).appeal}


@register.simple_tag
def rail(article):
    """LATEST (the newest stories but this one) and the QIOSK strip, from the site chrome: a
    hole in a stored page (chrome.rail_filling), so a story published leaves it stored."""
    return pagecache.hole("rail", article.pk)


@register.inclusion_tag("includes/qiosk.html", takes_context=True)
def qiosk_strip(context, limit=RAIL_LENGTH):
    """Short news items, the magazine's QIOSK."""
    chrome = page_chrome(context)
    pagecache.shows(*cache_tags.of_rail(chrome))
    return {"items": chrome.qiosk[:limit]}


@register.simple_tag
def byline(article):
    """The article's authors, in order and linked: “A”, “A and B”, “A, B and C”.

    A tag rather than an included template: a front page has some thirty bylines."""
    links = [
        format_html('<a href="{}" rel="author">{}</a>', author.get_absolute_url(), author.name)
        for author in article.ordered_authors
    ]
    if len(links) > 1:
        return mark_safe(", ".join(links[:-1]) + " and " + links[-1])
    return mark_safe("".join(links))


@register.filter
def iso(moment):
    """A date and time for <time datetime>: 2026-12-07T09:35:11+00:00 (articles.dates.iso)."""
    if not moment:
        return ""
    return dates.iso(moment)
