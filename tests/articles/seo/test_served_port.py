"""Absolute links follow SITE_URL, and SITE_URL follows the port `make run` serves on."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from articles import previews
from articles.models import PreviewLink
from newsletter.export import export_issue
from tests.articles.seo.head import meta, page
from tests.factories import IssueFactory, IssueItemFactory, NewsletterFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def served_site_url():
    """SITE_URL as `PORT=8123 make run` starts Django: DEBUG on, SITE_URL unset."""
    given = {"SITE_URL", "HOST", "PORT", "DEBUG", "SECRET_KEY"}
    env = {name: value for name, value in os.environ.items() if name not in given}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL)",
        ],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "rs_cms.settings", "DEBUG": "1", "PORT": "8123"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class TestLinksFollowTheServedPort:
    """Every absolute link is built on SITE_URL, which follows the port `make run` serves on."""

    @pytest.fixture(autouse=True)
    def _served(self, settings, served_site_url):
        assert served_site_url == "http://127.0.0.1:8123"
        settings.SITE_URL = served_site_url
        settings.DEBUG = True

    def on_the_port(self, text):
        assert "http://127.0.0.1:8123/" in text
        assert "127.0.0.1:8000" not in text
        assert "https://review.example.org" not in text

    def test_canonical_share_and_feed_links_on_pages(self, client, article):
        soup = soup_of(page(client, article))
        assert soup.find("link", rel="canonical")["href"] == (
            f"http://127.0.0.1:8123{article.get_absolute_url()}"
        )
        assert meta(soup, "og:url") == [f"http://127.0.0.1:8123{article.get_absolute_url()}"]
        feeds = soup.find_all("link", rel="alternate")
        assert feeds
        assert all(link["href"].startswith("http://127.0.0.1:8123/") for link in feeds)

    @pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/sitemap.xml"])
    def test_feeds_and_sitemaps(self, client, article, url):
        self.on_the_port(client.get(url).text)

    def test_the_articles_sitemap(self, client, article):
        response = client.get("/sitemap-articles.xml")
        assert f"<loc>http://127.0.0.1:8123{article.get_absolute_url()}</loc>" in response.text

    def test_the_confirmation_mail(self, client, mailoutbox):
        newsletter = NewsletterFactory()
        client.post(
            reverse("newsletter:signup"),
            {"email": "reader@example.org", "newsletter": newsletter.slug},
        )
        assert len(mailoutbox) == 1
        self.on_the_port(mailoutbox[0].body)
        assert "http://127.0.0.1:8123/newsletter/confirm/" in mailoutbox[0].body

    def test_share_links(self, article):
        link = PreviewLink.objects.create(
            article=article, expires_at=datetime.now(UTC) + timedelta(days=1)
        )
        assert previews.url_for(link).startswith("http://127.0.0.1:8123/preview/")

    def test_the_newsletter_export(self, article):
        issue = IssueFactory(newsletter=NewsletterFactory())
        IssueItemFactory(issue=issue, article=article)
        for fmt in ("html", "json"):
            content, _type, _name = export_issue(issue, fmt)
            self.on_the_port(content.decode())
