"""Sitemaps, the Google News sitemap and robots.txt: every address on SITE_URL, not the
host a request happened to arrive on."""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.models import Article, Author, Section
from articles.seo import absolute_url

# Google News takes stories from the last two days, at most 1,000 in one sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def public_articles():
    """Public articles, each with `modified`: the last change readers saw (seo.date_modified)."""
    return Article.objects.published().annotate(modified=Greatest("updated_at", "published_at"))


def newest_public_change():
    return public_articles().aggregate(latest=Max("modified"))["latest"]


def newest_change(**match):
    """The latest `modified` among public articles matching `match` (lookups on OuterRef)."""
    articles = public_articles().filter(**match).order_by("-modified").values("modified")
    return Subquery(articles[:1])


class PublicSitemap(Sitemap):
    """Addresses on SITE_URL's scheme and host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ListingSitemap(PublicSitemap):
    """Pages that list public articles, dated by their newest change; empty ones left out."""

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        # Asking each listing for its date would take seconds at 100,000 articles; no listing
        # changed later than the newest public change.
        return newest_public_change()


class ArticleSitemap(PublicSitemap):
    # Google takes 50,000 addresses a page; a page of 10,000 renders in about a second.
    limit = 10_000

    def items(self):
        return public_articles().select_related("section").order_by("-published_at", "-pk")

    def lastmod(self, item):
        return item.modified

    def get_latest_lastmod(self):
        return newest_public_change()


class SectionSitemap(ListingSitemap):
    def items(self):
        lastmod = newest_change(section=OuterRef("pk"))
        return Section.objects.annotate(lastmod=lastmod).filter(lastmod__isnull=False)


class TagSitemap(ListingSitemap):
    def items(self):
        lastmod = newest_change(tagged_items__tag=OuterRef("pk"))
        return Tag.objects.annotate(lastmod=lastmod).filter(lastmod__isnull=False).order_by("name")

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


class AuthorSitemap(ListingSitemap):
    def items(self):
        lastmod = newest_change(bylines__author=OuterRef("pk"))
        return Author.objects.annotate(lastmod=lastmod).filter(lastmod__isnull=False)


class NewsSitemap(PublicSitemap):
    """Google News: the stories of the last 48 hours, newest first."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        stories = Article.objects.published().filter(published_at__gte=since)
        stories = stories.select_related("section")
        return stories.order_by("-published_at", "-pk")[:NEWS_LIMIT]

    def get_latest_lastmod(self):
        since = timezone.now() - NEWS_WINDOW
        stories = Article.objects.published().filter(published_at__gte=since)
        return stories.aggregate(latest=Max("published_at"))["latest"]


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}
INDEX_TEMPLATE = "sitemaps/index.xml"
SITEMAP_TEMPLATE = "sitemaps/sitemap.xml"
NEWS_TEMPLATE = "sitemaps/news.xml"


def _index_entries(location, lastmod, pages):
    """The index's entries for one sitemap: one per page, as Django's own index lists them."""
    yield {"location": location, "lastmod": lastmod}
    for page in range(2, pages + 1):
        yield {"location": f"{location}?p={page}", "lastmod": lastmod}


def listing_pages(sitemap):
    """How many pages a listing sitemap may fill: its rows, used or not, at `limit` a page.

    Counting only the listings with a public article would ask of every tag whether one of
    its articles is public (a second at 100,000 articles); 50,000 tags are rare enough."""
    rows = sitemap.items().model.objects.count()
    return max(1, math.ceil(rows / sitemap.limit))


def no_robots_index(response):
    """Sitemaps are for crawlers to read, not for search results (as Django's views do)."""
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
def index(request):
    """/sitemap.xml: every sitemap, the Google News one included, at its SITE_URL address."""
    # Every listing changes when one of its articles does: the newest change of any public
    # article dates them all, read once (a listing's own date is in its sitemap).
    newest = newest_public_change()
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        if isinstance(sitemap, ListingSitemap):
            pages = listing_pages(sitemap)
        else:
            pages = sitemap.paginator.num_pages
        entries += _index_entries(location, newest, pages)
    news = NewsSitemap()
    entries += _index_entries(
        absolute_url(reverse("sitemap-news")), news.get_latest_lastmod(), news.paginator.num_pages
    )
    context = {"sitemaps": entries}
    return no_robots_index(
        TemplateResponse(request, INDEX_TEMPLATE, context, content_type="application/xml")
    )


@require_safe
def robots_txt(request):
    # The admin only at its well-known address: a custom ADMIN_PATH listed here would be published.
    admin = [f"Disallow: {reverse('admin:index')}"] if settings.ADMIN_PATH == "admin/" else []
    lines = [
        "User-agent: *",
        *admin,
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
