"""The sitemap index, its sitemaps, the Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

from articles import sitemaps
from articles.models import Article
from articles.services import correct
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE = "https://review.example.org"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Meridian Review"


def xml_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def locations(client, url, **extra):
    """{loc: lastmod} of a sitemap, lastmod parsed (None when absent)."""
    root = xml_of(client.get(url, **extra))
    found = {}
    for entry in root.findall("sm:url", NS):
        lastmod = entry.findtext("sm:lastmod", namespaces=NS)
        found[entry.findtext("sm:loc", namespaces=NS)] = (
            datetime.fromisoformat(lastmod) if lastmod else None
        )
    return found


def absolute(obj):
    return f"{SITE}{obj.get_absolute_url()}"


@pytest.fixture
def hidden_articles():
    """One article of each kind readers cannot see, with its own author, section and tag."""
    section = SectionFactory(name="Hidden", slug="hidden")
    author = AuthorFactory(name="Unseen Writer", slug="unseen-writer")
    in_the_future = timezone.now() + timedelta(days=1)
    trashed = ArticleFactory(section=section, authors=[author], tags=["Secret"])
    Article.objects.filter(pk=trashed.pk).move_to_trash()
    return [
        ArticleFactory(
            status=Article.Status.DRAFT,
            published_at=timezone.now() - timedelta(hours=2),
            section=section,
            authors=[author],
            tags=["Secret"],
        ),
        ArticleFactory(published_at=in_the_future, section=section, authors=[author]),
        ArticleFactory(status=Article.Status.UNPUBLISHED, section=section, tags=["Secret"]),
        trashed,
    ]


@pytest.fixture
def public_article():
    return ArticleFactory(
        section=SectionFactory(name="Asia-Pacific", slug="asia-pacific"),
        authors=[AuthorFactory(name="Mina Ode", slug="mina-ode")],
        tags=["Shipping"],
    )


class TestIndex:
    def test_lists_every_sitemap_on_the_site_address(self, client, public_article):
        root = xml_of(client.get("/sitemap.xml", HTTP_HOST="testserver"))
        assert root.tag == f"{{{NS['sm']}}}sitemapindex"
        listed = [entry.findtext("sm:loc", namespaces=NS) for entry in root]
        assert listed == [
            f"{SITE}/sitemap-articles.xml",
            f"{SITE}/sitemap-sections.xml",
            f"{SITE}/sitemap-tags.xml",
            f"{SITE}/sitemap-authors.xml",
            f"{SITE}/sitemap-news.xml",
        ]
        for location in listed:
            assert xml_of(client.get(urlsplit(location).path)).tag == f"{{{NS['sm']}}}urlset"

    def test_is_dated_by_the_newest_change(self, client, public_article):
        corrected = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
        with time_machine.travel(corrected, tick=False):
            correct(public_article, note="A date was wrong.")
        root = xml_of(client.get("/sitemap.xml"))
        dates = {
            entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
            for entry in root
        }
        assert datetime.fromisoformat(dates[f"{SITE}/sitemap-articles.xml"]) == corrected
        assert datetime.fromisoformat(dates[f"{SITE}/sitemap-sections.xml"]) == corrected

    def test_long_sitemaps_are_listed_page_by_page(self, client, monkeypatch):
        monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
        ArticleFactory.create_batch(3)
        root = xml_of(client.get("/sitemap.xml"))
        listed = [entry.findtext("sm:loc", namespaces=NS) for entry in root]
        assert listed[:2] == [f"{SITE}/sitemap-articles.xml", f"{SITE}/sitemap-articles.xml?p=2"]
        assert len(locations(client, "/sitemap-articles.xml?p=2")) == 1
        assert client.get("/sitemap-articles.xml?p=3").status_code == 404

    def test_is_kept_out_of_search_results(self, client):
        assert client.get("/sitemap.xml")["X-Robots-Tag"] == "noindex, noodp, noarchive"

    def test_query_count_is_fixed(self, client, django_assert_num_queries):
        ArticleFactory(authors=[AuthorFactory()], tags=["One"])
        # The newest change of any public article; the length of each sitemap, for its page
        # count; the newest story in the Google News sitemap.
        with django_assert_num_queries(7):
            client.get("/sitemap.xml")
        ArticleFactory.create_batch(3, authors=[AuthorFactory(), AuthorFactory()], tags=["A", "B"])
        with django_assert_num_queries(7):
            client.get("/sitemap.xml")


class TestArticleSitemap:
    def test_lists_only_public_articles(self, client, public_article, hidden_articles):
        assert set(locations(client, "/sitemap-articles.xml")) == {absolute(public_article)}

    def test_lastmod_is_the_last_change_readers_saw(self, client, public_article):
        corrected = timezone.now().replace(microsecond=0) + timedelta(hours=2)
        with time_machine.travel(corrected, tick=False):
            correct(public_article, note="A name was misspelt.")
        found = locations(client, "/sitemap-articles.xml")
        assert found == {absolute(public_article): corrected}
        assert found[absolute(public_article)].utcoffset() is not None

    def test_addresses_ignore_the_host_asked_for(self, client, settings, public_article):
        settings.ALLOWED_HOSTS = ["other.example.net"]
        found = locations(client, "/sitemap-articles.xml", HTTP_HOST="other.example.net")
        assert list(found) == [f"{SITE}/asia-pacific/{public_article.slug}/"]

    def test_query_count_does_not_grow_with_articles(self, client, django_assert_num_queries):
        ArticleFactory()
        # The count for the paginator, then the page of articles with their sections.
        with django_assert_num_queries(2):
            client.get("/sitemap-articles.xml")
        ArticleFactory.create_batch(5, section=SectionFactory())
        with django_assert_num_queries(2):
            client.get("/sitemap-articles.xml")


class TestListingSitemaps:
    def test_sections_with_public_articles(self, client, public_article, hidden_articles):
        SectionFactory(name="Empty", slug="empty")
        found = locations(client, "/sitemap-sections.xml")
        assert list(found) == [f"{SITE}/asia-pacific/"]
        assert found[f"{SITE}/asia-pacific/"] == public_article.updated_at.replace(microsecond=0)

    def test_tags_used_by_public_articles(self, client, public_article, hidden_articles):
        tag = public_article.tags.get()
        assert list(locations(client, "/sitemap-tags.xml")) == [f"{SITE}/tag/{tag.slug}/"]

    def test_authors_with_public_articles(self, client, public_article, hidden_articles):
        AuthorFactory(name="Never Published", slug="never-published")
        assert list(locations(client, "/sitemap-authors.xml")) == [f"{SITE}/author/mina-ode/"]

    def test_a_listing_is_dated_by_its_newest_article(self, client):
        section = SectionFactory(name="Middle East", slug="middle-east")
        now = timezone.now().replace(microsecond=0)
        ArticleFactory(section=section, published_at=now - timedelta(days=3))
        ArticleFactory(section=section, published_at=now - timedelta(days=1))
        ArticleFactory(section=section, published_at=now + timedelta(days=1))  # scheduled
        assert locations(client, "/sitemap-sections.xml") == {
            f"{SITE}/middle-east/": now - timedelta(days=1)
        }

    @pytest.mark.parametrize("name", ["sections", "tags", "authors"])
    def test_query_count_does_not_grow(self, client, django_assert_num_queries, name):
        ArticleFactory(authors=[AuthorFactory()], tags=["One"])
        with django_assert_num_queries(2):
            client.get(f"/sitemap-{name}.xml")
        for _ in range(3):
            ArticleFactory(authors=[AuthorFactory(), AuthorFactory()], tags=["Two", "Three"])
        with django_assert_num_queries(2):
            response = client.get(f"/sitemap-{name}.xml")
        assert len(locations(client, f"/sitemap-{name}.xml")) > 1
        assert response.status_code == 200


class TestNewsSitemap:
    def entries(self, client):
        root = xml_of(client.get("/sitemap-news.xml"))
        return [
            {
                "loc": url.findtext("sm:loc", namespaces=NS),
                "name": url.findtext("news:news/news:publication/news:name", namespaces=NS),
                "language": url.findtext("news:news/news:publication/news:language", namespaces=NS),
                "date": datetime.fromisoformat(
                    url.findtext("news:news/news:publication_date", namespaces=NS)
                ),
                "title": url.findtext("news:news/news:title", namespaces=NS),
            }
            for url in root.findall("sm:url", NS)
        ]

    def test_lists_the_last_two_days_only(self, client, hidden_articles):
        # The hidden ones were all dated within the last two days: only their status hides them.
        now = timezone.now().replace(microsecond=0)
        fresh = ArticleFactory(
            headline="Talks & tariffs <resume>", published_at=now - timedelta(hours=47)
        )
        ArticleFactory(published_at=now - timedelta(hours=49))
        entries = self.entries(client)
        assert entries == [
            {
                "loc": absolute(fresh),
                "name": "The Meridian Review",
                "language": "en",
                "date": now - timedelta(hours=47),
                "title": "Talks & tariffs <resume>",
            }
        ]
        assert entries[0]["date"].utcoffset() is not None

    def test_a_story_drops_out_after_48_hours(self, client):
        published = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
        story = ArticleFactory(published_at=published)
        with time_machine.travel(published + timedelta(hours=47, minutes=59), tick=False):
            assert [entry["loc"] for entry in self.entries(client)] == [absolute(story)]
        with time_machine.travel(published + timedelta(hours=48, minutes=1), tick=False):
            assert self.entries(client) == []

    def test_newest_first(self, client):
        older = ArticleFactory(published_at=timezone.now() - timedelta(hours=5))
        newer = ArticleFactory(published_at=timezone.now() - timedelta(hours=1))
        assert [entry["loc"] for entry in self.entries(client)] == [
            absolute(newer),
            absolute(older),
        ]

    def test_query_count_does_not_grow(self, client, django_assert_num_queries):
        ArticleFactory()
        with django_assert_num_queries(2):
            client.get("/sitemap-news.xml")
        ArticleFactory.create_batch(4, section=SectionFactory())
        with django_assert_num_queries(2):
            client.get("/sitemap-news.xml")


class TestRobots:
    def test_allows_all_but_the_newsroom_and_previews(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert lines == [
            "User-agent: *",
            "Disallow: /admin/",
            "Disallow: /preview/",
            "Disallow: /search/",
            "",
            f"Sitemap: {SITE}/sitemap.xml",
        ]

    def test_points_at_an_index_that_answers(self, client):
        lines = client.get("/robots.txt").content.decode().splitlines()
        sitemap = next(
            line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap:")
        )
        assert xml_of(client.get(urlsplit(sitemap).path)).tag == f"{{{NS['sm']}}}sitemapindex"

    def test_answers_no_posts(self, client):
        assert client.post("/robots.txt").status_code == 405
