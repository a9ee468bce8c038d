from django import template

from articles.models import Article, site_chrome

register = template.Library()


@register.inclusion_tag("includes/related_stories.html")
def related_stories(article, limit=3):
    return {"stories": article.get_related_stories(limit)}


@register.inclusion_tag("includes/donation_appeal.html", takes_context=True)
def donation_appeal(context, article=None):
    """The running campaign's appeal, unless the article opts out."""
    if article is not None and not article.show_donation_appeal:
        return {"appeal": None}
    # The page's own copy of the chrome, when the context processor gave it one.
    chrome = context.get("site_chrome") or site_chrome()
    return {"appeal": chrome.appeal}


def headlines(articles, limit):
    """The newest `limit` of `articles`, with just what a one-line link shows."""
    return (
        articles.select_related("section")
        .only("headline", "slug", "kind", "published_at", "section__name", "section__slug")
        .order_by("-published_at", "-pk")[:limit]
    )


@register.inclusion_tag("includes/rail.html")
def rail(article, limit=5):
    """LATEST (the newest stories but this one) and the QIOSK strip, in one query."""
    public = Article.objects.published().order_by("-published_at", "-pk")
    newest = public.exclude(kind=Article.Kind.QIOSK).exclude(pk=article.pk).values("pk")
    qiosk = public.filter(kind=Article.Kind.QIOSK).values("pk")
    both = headlines(Article.objects.published().in_any([newest[:limit], qiosk[:limit]]), 2 * limit)
    return {
        "articles": [story for story in both if story.kind != Article.Kind.QIOSK],
        "items": [story for story in both if story.kind == Article.Kind.QIOSK],
    }


@register.inclusion_tag("includes/qiosk.html")
def qiosk_strip(limit=5):
    """Short news items, the magazine's QIOSK."""
    return {"items": headlines(Article.objects.published().filter(kind=Article.Kind.QIOSK), limit)}
