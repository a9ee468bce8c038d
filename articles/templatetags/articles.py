from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import RAIL_LENGTH, site_chrome

register = template.Library()


@register.inclusion_tag("includes/related_stories.html", takes_context=True)
def related_stories(context, article, limit=3):
    # The page's own copy of the chrome, when the context processor gave it one.
    chrome = context.get("site_chrome") or site_chrome()
    return {"stories": article.get_related_stories(limit, chrome=chrome)}


@register.inclusion_tag("includes/donation_appeal.html", takes_context=True)
def donation_appeal(context, article=None):
    """The running campaign's appeal, unless the article opts out."""
    if article is not None and not article.show_donation_appeal:
        return {"appeal": None}
    # The page's own copy of the chrome, when the context processor gave it one.
    chrome = context.get("site_chrome") or site_chrome()
    return {"appeal": chrome.appeal}


@register.inclusion_tag("includes/rail.html", takes_context=True)
def rail(context, article, limit=RAIL_LENGTH):
    """LATEST (the newest stories but this one) and the QIOSK strip, from the site chrome."""
    chrome = context.get("site_chrome") or site_chrome()
    return {"articles": chrome.latest_except(article, limit), "items": chrome.qiosk[:limit]}


@register.inclusion_tag("includes/qiosk.html", takes_context=True)
def qiosk_strip(context, limit=RAIL_LENGTH):
    """Short news items, the magazine's QIOSK."""
    chrome = context.get("site_chrome") or site_chrome()
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
