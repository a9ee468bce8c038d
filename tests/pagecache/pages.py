"""The public pages a story shows on, and how a reader's requests for them are read."""

from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rs_cms.pagecache.generation import local
from rs_cms.pagecache.middleware import page_key
from tests.forms import soup_of

PUBLIC_CACHE_CONTROL = {
    "public",
    "max-age=0",
    "s-maxage=60",
    "stale-while-revalidate=30",
}


def listing_pages(newsroom):
    return [
        reverse("articles:home"),
        newsroom.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "taiwan-strait"}),
        newsroom.author.get_absolute_url(),
        reverse("articles:kind", kwargs={"kind": newsroom.story.kind}),
    ]


def feeds(newsroom):
    kwargs = {
        "section": {"slug": newsroom.section.slug},
        "tag": {"slug": "taiwan-strait"},
        "author": {"slug": newsroom.author.slug},
    }
    return [
        reverse(f"feeds:{scope}-{kind}", kwargs=kwargs.get(scope))
        for scope in ("site", "section", "tag", "author")
        for kind in ("rss", "atom")
    ]


def sitemaps():
    return [
        reverse("sitemap-index"),
        reverse("sitemap-section", kwargs={"section": "articles"}),
        reverse("sitemap-news"),
    ]


def every_public_page(newsroom):
    return [
        *listing_pages(newsroom),
        newsroom.story.get_absolute_url(),
        newsroom.host.get_absolute_url(),
        *feeds(newsroom),
        reverse("feeds:index"),
        *sitemaps(),
        reverse("robots-txt"),
    ]


def count_queries(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return response, len(queries)


def warm(client, urls):
    """Read each page twice, so the cache holds it; fail if it does not."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss", url
        again, queries = count_queries(lambda url=url: client.get(url))
        assert (again["X-Page-Cache"], queries) == ("hit", 0), url


def text(response):
    return response.content.decode()


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def headlines(response):
    return [
        element.get_text(strip=True)
        for element in soup_of(response).select(
            "h1, .teaser__headline, .related-story__headline, .latest a"
        )
    ]


def forget_page(url):
    """What PAGE_CACHE_SECONDS does to a stored page, at once: the next request renders it."""
    cache.delete(page_key(RequestFactory().get(url)))
    local.clear()


def read(reader, url):
    """(the response, its queries) for one request."""
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(url)
    assert response.status_code == 200, url
    return response, len(queries)
