"""Machine-readable dates are to the whole second, everywhere a machine reads one."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import dates
from articles.models import Article
from articles.services import correct
from tests.articles.seo.head import json_ld, meta, page
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


class TestMachineReadableDates:
    """Every date a machine reads is to the whole second: HTML's <time datetime> allows at
    most three digits of a fraction, and the database keeps six."""

    PUBLISHED = datetime(2026, 12, 7, 9, 35, 11, 642735, tzinfo=UTC)
    UPDATED = datetime(2026, 12, 8, 14, 2, 3, 5, tzinfo=UTC)
    FRACTION = re.compile(r"\d\d:\d\d:\d\d[.,]\d")

    @pytest.fixture
    def story(self, article):
        Article.objects.filter(pk=article.pk).update(
            published_at=self.PUBLISHED, updated_at=self.UPDATED
        )
        correct(article, note="A date was wrong.", published_at=self.UPDATED)
        article.refresh_from_db()
        return article

    def test_the_helper_gives_whole_seconds_with_the_offset(self, settings):
        assert dates.iso(self.PUBLISHED) == "2026-12-07T09:35:11+00:00"
        settings.TIME_ZONE = "Asia/Tokyo"
        assert dates.iso(self.PUBLISHED) == "2026-12-07T18:35:11+09:00"
        assert dates.iso(self.PUBLISHED.date()) == "2026-12-07"

    def test_the_article_page_writes_whole_seconds(self, client, story):
        with time_machine.travel(self.UPDATED + timedelta(days=1)):
            response = page(client, story)
        soup = soup_of(response)
        times = [time["datetime"] for time in soup.find_all("time")]
        assert "2026-12-07T09:35:11+00:00" in times
        assert "2026-12-08T14:02:03+00:00" in times
        assert meta(soup, "article:published_time") == ["2026-12-07T09:35:11+00:00"]
        assert meta(soup, "article:modified_time") == ["2026-12-08T14:02:03+00:00"]
        data = json_ld(response)
        assert data["datePublished"] == "2026-12-07T09:35:11+00:00"
        assert data["dateModified"] == "2026-12-08T14:02:03+00:00"
        assert not self.FRACTION.search(response.text)

    @pytest.mark.parametrize("feed", ["feeds:site-rss", "feeds:site-atom"])
    def test_feeds_write_whole_seconds(self, client, story, feed):
        with time_machine.travel(self.UPDATED + timedelta(days=1)):
            response = client.get(reverse(feed))
        assert response.status_code == 200
        text = response.text
        assert "2026-12-08T14:02:03+00:00" in text
        assert not self.FRACTION.search(text)

    @pytest.mark.parametrize("sitemap", ["/sitemap.xml", "/sitemap-articles.xml"])
    def test_sitemaps_write_whole_seconds(self, client, story, sitemap):
        with time_machine.travel(self.UPDATED + timedelta(days=1)):
            response = client.get(sitemap)
        assert response.status_code == 200
        assert "<lastmod>2026-12-08T14:02:03+00:00</lastmod>" in response.text
        assert not self.FRACTION.search(response.text)

    def test_the_news_sitemap_writes_whole_seconds(self, client, story):
        with time_machine.travel(self.UPDATED):
            response = client.get("/sitemap-news.xml")
        assert "2026-12-07T09:35:11+00:00</news:publication_date>" in response.text
        assert not self.FRACTION.search(response.text)
