"""Share-preview links as the tests make and read them."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import Article, PreviewLink
from tests.factories import ArticleFactory
from tests.forms import soup_of

GONE_HEADLINE = "This preview link no longer works"


def make_draft(**kwargs):
    kwargs.setdefault("headline", "The quiet deal on the strait")
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, **kwargs)


def make_link(article, days=3, **kwargs):
    return PreviewLink.objects.create(
        article=article, expires_at=timezone.now() + timedelta(days=days), **kwargs
    )


def path_of(link):
    return urlsplit(previews.url_for(link)).path


def create_url(article):
    return reverse("admin:articles_article_preview_link", args=[article.pk])


def revoke_url(link):
    return reverse("admin:articles_article_revoke_preview_link", args=[link.article_id, link.pk])


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def robots_meta(response):
    meta = soup_of(response).find("meta", attrs={"name": "robots"})
    return meta["content"] if meta else None


def messages_of(response):
    return [li.get_text(" ", strip=True) for li in soup_of(response).select(".messagelist li")]


def assert_private(response):
    assert {"no-cache", "no-store", "private"} <= cache_control(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def assert_refused(response, status, article):
    assert response.status_code == status
    assert_private(response)
    soup = soup_of(response)
    assert soup.find("h1").get_text(strip=True) == GONE_HEADLINE
    assert robots_meta(response) == "noindex, nofollow"
    assert not soup.select(".article__body")
    assert article.headline not in soup.get_text()
