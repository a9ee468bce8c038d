"""RSS and Atom feeds, read as a feed reader would (feedparser), and the /feeds/ page."""

import calendar
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.utils import timezone

from articles import feeds
from articles.models import Article, Rendition
from articles.services import correct
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    jpeg_bytes,
)
from tests.forms import soup_of

pytestmark = pytest.mark.django_db

SITE = "https://review.example.org"
MEDIA = "{http://search.yahoo.com/mrss/}"
FORMATS = [("rss", "rss20", "application/rss+xml"), ("atom", "atom10", "application/atom+xml")]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Meridian Review"


def parsed(response, version):
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    return feed


def absolute(obj):
    return f"{SITE}{obj.get_absolute_url()}"


def timestamp(struct):
    return calendar.timegm(struct)


@pytest.fixture
def section():
    return SectionFactory(name="Asia-Pacific", slug="asia-pacific")


@pytest.fixture
def article(section):
    return ArticleFactory(
        headline="Ports & power <at sea>",
        dek="Who runs the harbours, & why it matters.",
        section=section,
        top_image=ImageFactory(caption="A tanker at anchor.", credit="Photo: R. Amari / Agency"),
        authors=[
            AuthorFactory(name="Mina Ode", slug="mina-ode"),
            AuthorFactory(name="Tom Reyes", slug="tom-reyes"),
        ],
        tags=["Shipping", "Taiwan Strait"],
        published_at=timezone.now().replace(microsecond=0) - timedelta(hours=3),
    )


@pytest.fixture
def hidden(section):
    """What readers cannot see: a draft, a scheduled, an unpublished and a trashed article."""
    trashed = ArticleFactory(section=section, headline="Trashed")
    Article.objects.filter(pk=trashed.pk).move_to_trash()
    return [
        ArticleFactory(section=section, headline="Draft", status=Article.Status.DRAFT),
        ArticleFactory(
            section=section,
            headline="Scheduled",
            published_at=timezone.now() + timedelta(hours=2),
        ),
        ArticleFactory(section=section, headline="Unpublished", status=Article.Status.UNPUBLISHED),
        trashed,
    ]


class TestSiteFeed:
    @pytest.mark.parametrize(("fmt", "version", "mime_type"), FORMATS)
    def test_describes_the_site(self, client, fmt, version, mime_type):
        response = client.get(f"/feeds/{fmt}/")
        assert response["Content-Type"] == f"{mime_type}; charset=utf-8"
        feed = parsed(response, version).feed
        assert feed.title == "The Meridian Review"
        assert feed.link == f"{SITE}/"
        self_links = [link.href for link in feed.links if link.rel == "self"]
        assert self_links == [f"{SITE}/feeds/{fmt}/"]

    @pytest.mark.parametrize(("fmt", "version", "mime_type"), FORMATS)
    def test_items_describe_the_article(self, client, article, fmt, version, mime_type):
        [entry] = parsed(client.get(f"/feeds/{fmt}/"), version).entries
        assert entry.title == "Ports & power <at sea>"
        assert entry.link == absolute(article)
        # The summary is HTML: its text is the dek, ampersand and all.
        summary = BeautifulSoup(entry.summary, "html.parser").get_text()
        assert summary == "Who runs the harbours, & why it matters."
        assert [author.name for author in entry.authors] == ["Mina Ode", "Tom Reyes"]
        assert sorted(tag.term for tag in entry.tags) == ["Shipping", "Taiwan Strait"]
        assert timestamp(entry.published_parsed) == article.published_at.timestamp()
        assert (
            entry.id
            == f"tag:review.example.org,{article.published_at:%Y-%m-%d}:article:{article.pk}"
        )

    def test_atom_authors_link_to_their_pages(self, client, article):
        [entry] = parsed(client.get("/feeds/atom/"), "atom10").entries
        assert [author.href for author in entry.authors] == [
            f"{SITE}/author/mina-ode/",
            f"{SITE}/author/tom-reyes/",
        ]

    @pytest.mark.parametrize(("fmt", "version", "mime_type"), FORMATS)
    def test_top_image_is_media_content_with_its_credit(
        self, client, article, fmt, version, mime_type
    ):
        # Until the renditions exist, the display copy: never the private original.
        image = article.top_image
        [entry] = parsed(client.get(f"/feeds/{fmt}/"), version).entries
        assert entry.media_content == [
            {
                "url": f"{SITE}{image.display_file.url}",
                "medium": "image",
                "type": "image/jpeg",
                "width": "32",
                "height": "18",
            }
        ]
        assert [credit["content"] for credit in entry.media_credit] == ["Photo: R. Amari / Agency"]

    def test_a_jpeg_rendition_stands_in_for_the_display_copy(self, client, article):
        # Renditions are upright and carry no metadata (camera, GPS) the original may hold.
        for format, width in [("webp", 1280), ("jpeg", 640), ("jpeg", 1280)]:
            Rendition.objects.create(
                image=article.top_image,
                format=format,
                width=width,
                height=width // 2,
                file=ContentFile(jpeg_bytes(), name=f"r{width}.{format}"),
            )
        chosen = Rendition.objects.get(format="jpeg", width=1280)
        [entry] = parsed(client.get("/feeds/rss/"), "rss20").entries
        assert entry.media_content == [
            {
                "url": f"{SITE}{chosen.file.url}",
                "medium": "image",
                "type": "image/jpeg",
                "width": "1280",
                "height": "640",
            }
        ]

    @pytest.mark.parametrize("fmt", ["rss", "atom"])
    def test_the_caption_is_the_media_description(self, client, article, fmt):
        root = ET.fromstring(client.get(f"/feeds/{fmt}/").content)
        contents = list(root.iter(f"{MEDIA}content"))
        assert [content.findtext(f"{MEDIA}description") for content in contents] == [
            "A tanker at anchor."
        ]

    def test_an_own_graphic_is_credited_to_the_magazine(self, client):
        graphic = ImageFactory(credit="", no_credit_needed=True)
        ArticleFactory(top_image=graphic)
        [entry] = parsed(client.get("/feeds/rss/"), "rss20").entries
        assert [credit["content"] for credit in entry.media_credit] == ["The Meridian Review"]

    def test_an_article_without_a_picture_has_no_media(self, client):
        ArticleFactory(top_image=None)
        [entry] = parsed(client.get("/feeds/rss/"), "rss20").entries
        assert "media_content" not in entry

    @pytest.mark.parametrize(("fmt", "version", "mime_type"), FORMATS)
    def test_updated_follows_corrections(self, client, article, fmt, version, mime_type):
        corrected = article.published_at + timedelta(hours=2)
        with time_machine.travel(corrected, tick=False):
            correct(article, note="The port is in Kaohsiung.")
        [entry] = parsed(client.get(f"/feeds/{fmt}/"), version).entries
        assert timestamp(entry.updated_parsed) == corrected.timestamp()
        assert timestamp(entry.published_parsed) == article.published_at.timestamp()

    @pytest.mark.parametrize(("fmt", "version", "mime_type"), FORMATS)
    def test_only_public_articles(self, client, article, hidden, fmt, version, mime_type):
        entries = parsed(client.get(f"/feeds/{fmt}/"), version).entries
        assert [entry.title for entry in entries] == [article.headline]

    def test_the_thirty_newest_newest_first(self, client):
        now = timezone.now()
        articles = [
            ArticleFactory(headline=f"Story {n}", published_at=now - timedelta(minutes=n + 1))
            for n in range(31)
        ]
        entries = parsed(client.get("/feeds/rss/"), "rss20").entries
        assert [entry.link for entry in entries] == [absolute(a) for a in articles[:30]]


class TestNarrowFeeds:
    @pytest.mark.parametrize(("fmt", "version", "mime_type"), FORMATS)
    def test_section_feed(self, client, article, hidden, fmt, version, mime_type):
        ArticleFactory(headline="Elsewhere")
        feed = parsed(client.get(f"/feeds/section/asia-pacific/{fmt}/"), version)
        assert feed.feed.title == "Asia-Pacific | The Meridian Review"
        assert feed.feed.link == f"{SITE}/asia-pacific/"
        assert [entry.title for entry in feed.entries] == [article.headline]

    @pytest.mark.parametrize(("fmt", "version", "mime_type"), FORMATS)
    def test_tag_feed(self, client, article, fmt, version, mime_type):
        ArticleFactory(headline="Untagged")
        draft = ArticleFactory(headline="Tagged draft", status=Article.Status.DRAFT)
        draft.tags.add("Shipping")
        tag = article.tags.get(name="Shipping")
        feed = parsed(client.get(f"/feeds/tag/{tag.slug}/{fmt}/"), version)
        assert feed.feed.title == "Shipping | The Meridian Review"
        assert feed.feed.link == f"{SITE}/tag/{tag.slug}/"
        assert [entry.title for entry in feed.entries] == [article.headline]

    @pytest.mark.parametrize(("fmt", "version", "mime_type"), FORMATS)
    def test_author_feed(self, client, article, fmt, version, mime_type):
        ArticleFactory(headline="Someone else's", authors=[AuthorFactory()])
        feed = parsed(client.get(f"/feeds/author/tom-reyes/{fmt}/"), version)
        assert feed.feed.title == "Tom Reyes | The Meridian Review"
        assert feed.feed.link == f"{SITE}/author/tom-reyes/"
        assert [entry.title for entry in feed.entries] == [article.headline]

    @pytest.mark.parametrize(
        "url",
        [
            "/feeds/section/nowhere/rss/",
            "/feeds/section/nowhere/atom/",
            "/feeds/tag/nothing/rss/",
            "/feeds/tag/nothing/atom/",
            "/feeds/author/nobody/rss/",
            "/feeds/author/nobody/atom/",
        ],
    )
    def test_unknown_names_are_not_found(self, client, url):
        assert client.get(url).status_code == 404


class TestQueryCounts:
    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            # Articles, bylines with authors, tags (pictures bring their renditions along).
            ("/feeds/rss/", 3),
            ("/feeds/atom/", 3),
            # The section, tag or author first.
            ("/feeds/section/asia-pacific/rss/", 4),
            ("/feeds/tag/shipping/atom/", 4),
            ("/feeds/author/mina-ode/rss/", 4),
        ],
    )
    def test_fixed_whatever_the_number_of_articles_authors_and_tags(
        self, client, section, django_assert_num_queries, url, queries
    ):
        mina = AuthorFactory(name="Mina Ode", slug="mina-ode")
        ArticleFactory(section=section, authors=[mina], tags=["Shipping"], top_image=ImageFactory())
        client.get(url)  # warm the content-type cache used by tags
        with django_assert_num_queries(queries):
            client.get(url)
        for n in range(4):
            ArticleFactory(
                section=section,
                authors=[mina, AuthorFactory(), AuthorFactory()],
                tags=["Shipping", f"Topic {n}", f"Theme {n}"],
                top_image=ImageFactory(),
            )
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert len(feedparser.parse(response.content).entries) == 5


class TestFeedPage:
    def test_lists_every_feed(self, client, section, article, hidden):
        SectionFactory(name="Middle East", slug="middle-east")
        AuthorFactory(name="Never Published", slug="never-published")
        ArticleFactory(
            section=section,
            status=Article.Status.DRAFT,
            authors=[AuthorFactory(name="Drafts Only", slug="drafts-only")],
            tags=["Embargoed"],
        )
        response = client.get("/feeds/")
        assert response.status_code == 200
        hrefs = [link["href"] for link in soup_of(response).select("main a[href^='/feeds/']")]
        tags = {tag.name: tag.slug for tag in article.tags.all()}
        assert set(hrefs) == {
            "/feeds/rss/",
            "/feeds/atom/",
            *(
                f"/feeds/section/{slug}/{fmt}/"
                for slug in ["asia-pacific", "middle-east"]
                for fmt in ["rss", "atom"]
            ),
            *(f"/feeds/tag/{slug}/{fmt}/" for slug in tags.values() for fmt in ["rss", "atom"]),
            *(
                f"/feeds/author/{slug}/{fmt}/"
                for slug in ["mina-ode", "tom-reyes"]
                for fmt in ["rss", "atom"]
            ),
        }
        assert len(hrefs) == len(set(hrefs))
        for href in hrefs:
            feed = client.get(href)
            assert feed.status_code == 200, href
            assert not feedparser.parse(feed.content).bozo

    def test_lists_the_most_used_tags_only(self, client, monkeypatch):
        monkeypatch.setattr(feeds, "FEED_PAGE_TAGS", 2)
        ArticleFactory(tags=["Trade", "Navies", "Oil"])
        ArticleFactory(tags=["Trade", "Navies"])
        ArticleFactory(tags=["Trade"])
        hidden = ArticleFactory(status=Article.Status.DRAFT)
        hidden.tags.add("Oil")
        ArticleFactory(status=Article.Status.DRAFT).tags.add("Oil")
        soup = soup_of(client.get("/feeds/"))
        listed = [urlsplit(a["href"]).path for a in soup.select("#feeds-tags ~ ul a")]
        assert listed == [
            "/feeds/tag/trade/rss/",
            "/feeds/tag/trade/atom/",
            "/feeds/tag/navies/rss/",
            "/feeds/tag/navies/atom/",
        ]

    def test_query_count_is_fixed(self, client, django_assert_num_queries):
        ArticleFactory(authors=[AuthorFactory()], tags=["One"])
        client.get("/feeds/")
        # Sections, authors, the most used tags and their names (the navigation comes from
        # the cache).
        with django_assert_num_queries(4):
            client.get("/feeds/")
        for n in range(3):
            ArticleFactory(authors=[AuthorFactory(), AuthorFactory()], tags=[f"Tag {n}", "One"])
        client.get("/feeds/")  # new articles: the cached navigation is read again
        with django_assert_num_queries(4):
            client.get("/feeds/")
