from django import template

from articles.models import Article, DonationAppeal

register = template.Library()


@register.inclusion_tag("includes/related_stories.html")
def related_stories(article, limit=3):
    return {"stories": article.get_related_stories(limit)}


@register.inclusion_tag("includes/donation_appeal.html")
def donation_appeal(article=None):
    """The running campaign's appeal, unless the article opts out."""
    if article is not None and not article.show_donation_appeal:
        return {"appeal": None}
    return {"appeal": DonationAppeal.objects.current().first()}


@register.inclusion_tag("includes/latest.html")
def latest_articles(exclude=None, limit=5):
    articles = Article.objects.published().exclude(kind=Article.Kind.QIOSK)
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return {"articles": articles.select_related("section")[:limit]}


@register.inclusion_tag("includes/qiosk.html")
def qiosk_strip(limit=5):
    """Short news items, the magazine's QIOSK."""
    items = Article.objects.published().filter(kind=Article.Kind.QIOSK)
    return {"items": items.select_related("section")[:limit]}
