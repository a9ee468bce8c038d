"""What an article page tells search engines and social networks: JSON-LD, OpenGraph, Twitter
cards, canonical and feed links."""

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage

from articles import dates, previews, seo
from articles.models import Article, Correction, Image, PreviewLink, Rendition
from newsletter.export import export_issue
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    IssueFactory,
    IssueItemFactory,
    NewsletterFactory,
    SectionFactory,
    jpeg_bytes,
)
from tests.forms import soup_of

pytestmark = pytest.mark.django_db

SITE = "https://review.example.org"
PUBLISHED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Meridian Review"


@pytest.fixture
def article():
    return ArticleFactory(
        headline="Shipping lanes under strain",
        dek="Why the strait matters more than ever.",
        seo_description="The strait, the ships and the navies: a briefing.",
        kind=Article.Kind.ANALYSIS,
        section=SectionFactory(name="Asia-Pacific", slug="asia-pacific"),
        top_image=ImageFactory(caption="A tanker at anchor.", credit="Photo: R. Amari / Agency"),
        authors=[
            AuthorFactory(name="Mina Ode", slug="mina-ode"),
            AuthorFactory(name="Tom Reyes", slug="tom-reyes"),
        ],
        tags=["Taiwan Strait", "Shipping"],
        published_at=PUBLISHED,
    )


def add_rendition(image, format, width):
    height = round(width * 9 / 16)
    return Rendition.objects.create(
        image=image,
        format=format,
        width=width,
        height=height,
        file=ContentFile(jpeg_bytes(width // 10, height // 10), name=f"r{width}.{format}"),
    )


def json_ld(response):
    """The page's one JSON-LD block, decoded."""
    assert response.status_code == 200
    blocks = soup_of(response).find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def meta(soup, name):
    """The content of every <meta property|name=…> with that name, in order."""
    tags = soup.find_all("meta", attrs={"property": name}) + soup.find_all(
        "meta", attrs={"name": name}
    )
    return [tag["content"] for tag in tags]


def page(client, article):
    return client.get(article.get_absolute_url())


class TestJsonLd:
    @pytest.mark.parametrize(
        ("kind", "schema_type"),
        [
            (Article.Kind.ANALYSIS, "AnalysisNewsArticle"),
            (Article.Kind.OPINION, "OpinionNewsArticle"),
            (Article.Kind.REPORTING, "ReportageNewsArticle"),
            (Article.Kind.REVIEW, "ReviewNewsArticle"),
            (Article.Kind.NEWS, "NewsArticle"),
            (Article.Kind.QIOSK, "NewsArticle"),
        ],
    )
    def test_type_follows_the_kind(self, client, kind, schema_type):
        article = ArticleFactory(kind=kind)
        data = json_ld(page(client, article))
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == schema_type

    def test_describes_the_article_with_absolute_addresses(self, client, article):
        data = json_ld(page(client, article))
        url = f"{SITE}/asia-pacific/{article.slug}/"
        assert data["headline"] == "Shipping lanes under strain"
        assert data["description"] == "The strait, the ships and the navies: a briefing."
        assert data["url"] == url
        assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
        assert data["articleSection"] == "Asia-Pacific"
        assert sorted(data["keywords"]) == ["Shipping", "Taiwan Strait"]
        assert data["isAccessibleForFree"] is True

    def test_description_falls_back_to_the_dek(self, client, article):
        article.seo_description = ""
        article.save()
        assert json_ld(page(client, article))["description"] == article.dek

    def test_authors_are_people_with_their_pages(self, client, article):
        authors = json_ld(page(client, article))["author"]
        assert authors == [
            {"@type": "Person", "name": "Mina Ode", "url": f"{SITE}/author/mina-ode/"},
            {"@type": "Person", "name": "Tom Reyes", "url": f"{SITE}/author/tom-reyes/"},
        ]
        # The author page the data points at is really there.
        assert client.get(urlsplit(authors[0]["url"]).path).status_code == 200

    def test_an_unsigned_article_is_the_magazines_own(self, client):
        data = json_ld(page(client, ArticleFactory()))
        assert [author["@type"] for author in data["author"]] == ["Organization"]
        assert data["author"][0]["name"] == "The Meridian Review"

    def test_publisher_has_a_logo_that_exists(self, client, article):
        publisher = json_ld(page(client, article))["publisher"]
        assert publisher["@type"] == "Organization"
        assert publisher["name"] == "The Meridian Review"
        logo = publisher["logo"]
        assert logo["@type"] == "ImageObject"
        assert logo["url"] == f"{SITE}/static/img/logo.png"
        with PILImage.open(finders.find("img/logo.png")) as drawn:
            assert drawn.size == (logo["width"], logo["height"])

    def test_top_image_carries_its_caption_and_credit(self, client, article):
        image = article.top_image
        images = json_ld(page(client, article))["image"]
        assert images == [
            {
                "@type": "ImageObject",
                "url": f"{SITE}{image.display_file.url}",
                "encodingFormat": "image/jpeg",
                "width": image.display_width,
                "height": image.display_height,
                "caption": "A tanker at anchor.",
                "creditText": "Photo: R. Amari / Agency",
            }
        ]
        assert (image.display_width, image.display_height) == (32, 18)

    def test_an_own_graphic_is_credited_to_the_magazine(self, client):
        graphic = ImageFactory(caption="Where the ships go.", credit="", no_credit_needed=True)
        images = json_ld(page(client, ArticleFactory(top_image=graphic)))["image"]
        assert images[0]["creditText"] == "The Meridian Review"
        assert images[0]["caption"] == "Where the ships go."

    def test_a_jpeg_rendition_stands_in_for_the_display_copy(self, django_assert_num_queries):
        image = ImageFactory()
        for format, width in [("avif", 1280), ("jpeg", 640), ("jpeg", 1920), ("jpeg", 1280)]:
            add_rendition(image, format, width)
        with_renditions = Image.objects.get(pk=image.pk)
        chosen = Rendition.objects.get(image=image, format="jpeg", width=1280)
        with django_assert_num_queries(0):
            shown = seo.image_object(with_renditions)
        assert shown == {
            "@type": "ImageObject",
            "url": f"{SITE}{chosen.file.url}",
            "encodingFormat": "image/jpeg",
            "width": 1280,
            "height": 720,
            "caption": image.caption,
            "creditText": image.credit,
        }
        # Until the renditions exist, the display copy; with neither, nothing to share.
        waiting = ImageFactory()
        assert seo.image_object(waiting)["url"] == f"{SITE}{waiting.display_file.url}"
        waiting.display_file = ""
        assert seo.image_object(waiting) is None

    def test_narrow_renditions_give_the_widest(self):
        image = ImageFactory()
        for width in [320, 960, 640]:
            add_rendition(image, "jpeg", width)
        with_renditions = Image.objects.prefetch_related("renditions").get(pk=image.pk)
        assert seo.image_object(with_renditions)["width"] == 960

    def test_no_top_image_no_image_entry(self, client):
        assert "image" not in json_ld(page(client, ArticleFactory(top_image=None)))

    def test_dates_are_iso_with_an_offset(self, client, article):
        data = json_ld(page(client, article))
        published = datetime.fromisoformat(data["datePublished"])
        assert published.utcoffset() is not None
        assert published == PUBLISHED
        assert datetime.fromisoformat(data["dateModified"]) == PUBLISHED

    def test_a_correction_moves_date_modified(self, client, article):
        corrected = PUBLISHED + timedelta(days=2, hours=3)
        with time_machine.travel(corrected, tick=False):
            Correction.objects.create(article=article, note="The tanker was Liberian-flagged.")
        data = json_ld(page(client, article))
        assert datetime.fromisoformat(data["datePublished"]) == PUBLISHED
        assert datetime.fromisoformat(data["dateModified"]) == corrected

    def test_a_draft_published_later_is_not_modified_before_it_was_published(self, client):
        with time_machine.travel(PUBLISHED - timedelta(days=3), tick=False):
            draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        with time_machine.travel(PUBLISHED, tick=False):
            Article.objects.filter(pk=draft.pk).publish_now()
        data = json_ld(page(client, draft))
        assert datetime.fromisoformat(data["datePublished"]) == PUBLISHED
        assert datetime.fromisoformat(data["dateModified"]) == PUBLISHED

    def test_a_headline_cannot_close_the_script(self, client):
        headline = 'Talks </script><script>alert("x")</script> & <!-- resume'
        article = ArticleFactory(headline=headline, dek="Less <b>than</b> & more")
        response = page(client, article)
        data = json_ld(response)
        assert data["headline"] == headline
        assert data["description"] == "Less <b>than</b> & more"
        # Nothing escaped the data block to become a script of its own.
        injected = [
            script
            for script in soup_of(response).find_all("script")
            if "alert" in (script.string or "") and script.get("type") != "application/ld+json"
        ]
        assert injected == []
        assert b"</script><script>" not in response.content


class TestSocialTags:
    def test_opengraph_describes_the_article(self, client, article):
        soup = soup_of(page(client, article))
        image = article.top_image
        url = f"{SITE}/asia-pacific/{article.slug}/"
        assert meta(soup, "og:type") == ["article"]
        assert meta(soup, "og:title") == ["Shipping lanes under strain"]
        assert meta(soup, "og:description") == ["The strait, the ships and the navies: a briefing."]
        assert meta(soup, "og:url") == [url]
        assert meta(soup, "og:site_name") == ["The Meridian Review"]
        assert meta(soup, "og:image") == [f"{SITE}{image.display_file.url}"]
        assert meta(soup, "og:image:width") == ["32"]
        assert meta(soup, "og:image:height") == ["18"]
        assert meta(soup, "og:image:alt") == [image.alt_text]
        assert meta(soup, "article:section") == ["Asia-Pacific"]
        assert sorted(meta(soup, "article:tag")) == ["Shipping", "Taiwan Strait"]
        assert meta(soup, "article:author") == [
            f"{SITE}/author/mina-ode/",
            f"{SITE}/author/tom-reyes/",
        ]
        published = meta(soup, "article:published_time")
        assert [datetime.fromisoformat(value) for value in published] == [PUBLISHED]
        modified = meta(soup, "article:modified_time")
        assert [datetime.fromisoformat(value) for value in modified] == [PUBLISHED]

    def test_canonical_is_the_absolute_article_address(self, client, article):
        links = soup_of(page(client, article)).find_all("link", rel="canonical")
        assert [link["href"] for link in links] == [f"{SITE}/asia-pacific/{article.slug}/"]

    def test_twitter_card_shows_the_large_image(self, client, article):
        soup = soup_of(page(client, article))
        assert meta(soup, "twitter:card") == ["summary_large_image"]
        assert meta(soup, "twitter:title") == ["Shipping lanes under strain"]
        assert meta(soup, "twitter:description") == [
            "The strait, the ships and the navies: a briefing."
        ]
        assert meta(soup, "twitter:image") == [f"{SITE}{article.top_image.display_file.url}"]
        assert meta(soup, "twitter:image:alt") == [article.top_image.alt_text]

    def test_without_a_picture_the_card_is_a_summary(self, client):
        soup = soup_of(page(client, ArticleFactory(top_image=None)))
        assert meta(soup, "twitter:card") == ["summary"]
        assert meta(soup, "og:image") == []
        assert meta(soup, "twitter:image") == []

    def test_meta_description_is_the_seo_description_else_the_dek(self, client, article):
        assert meta(soup_of(page(client, article)), "description") == [
            "The strait, the ships and the navies: a briefing."
        ]
        article.seo_description = ""
        article.save()
        assert meta(soup_of(page(client, article)), "description") == [article.dek]

    def test_quotes_in_a_headline_stay_inside_the_attribute(self, client):
        article = ArticleFactory(headline='The "grey zone" <and> its limits')
        soup = soup_of(page(client, article))
        assert meta(soup, "og:title") == ['The "grey zone" <and> its limits']
        assert meta(soup, "twitter:title") == ['The "grey zone" <and> its limits']

    def test_more_authors_and_tags_cost_no_more_queries(self, client, django_assert_num_queries):
        section = SectionFactory()
        few = ArticleFactory(section=section, authors=[AuthorFactory()], tags=["One"])
        many = ArticleFactory(
            section=section,
            authors=[AuthorFactory() for _ in range(4)],
            tags=["One", "Two", "Three", "Four"],
            top_image=ImageFactory(),
        )
        client.get(few.get_absolute_url())  # warm the content-type cache
        with CaptureQueriesContext(connection) as baseline:
            assert page(client, few).status_code == 200
        with django_assert_num_queries(len(baseline)):
            assert page(client, many).status_code == 200


class TestHeadLinks:
    def feed_links(self, response):
        links = soup_of(response).find_all("link", rel="alternate")
        return [(link["type"], link["title"], link["href"]) for link in links]

    def test_every_page_advertises_the_site_feeds(self, client):
        assert self.feed_links(client.get(reverse("articles:home"))) == [
            ("application/rss+xml", "The Meridian Review (RSS)", f"{SITE}/feeds/rss/"),
            ("application/atom+xml", "The Meridian Review (Atom)", f"{SITE}/feeds/atom/"),
        ]

    def test_advertised_feeds_answer(self, client, article):
        response = client.get(article.get_absolute_url())
        links = self.feed_links(response)
        assert len(links) == 4
        for mime_type, _title, href in links:
            feed = client.get(urlsplit(href).path)
            assert feed.status_code == 200
            assert feed["Content-Type"].split(";")[0] == mime_type

    def test_a_section_page_adds_its_section_feeds(self, client, article):
        links = self.feed_links(client.get(reverse("articles:section", args=["asia-pacific"])))
        assert links[2:] == [
            (
                "application/rss+xml",
                "Asia-Pacific | The Meridian Review (RSS)",
                f"{SITE}/feeds/section/asia-pacific/rss/",
            ),
            (
                "application/atom+xml",
                "Asia-Pacific | The Meridian Review (Atom)",
                f"{SITE}/feeds/section/asia-pacific/atom/",
            ),
        ]

    def test_tag_and_author_pages_add_their_feeds(self, client, article):
        tag = article.tags.get(name="Shipping")
        tag_links = self.feed_links(client.get(reverse("articles:tag", args=[tag.slug])))
        assert [href for _type, _title, href in tag_links[2:]] == [
            f"{SITE}/feeds/tag/{tag.slug}/rss/",
            f"{SITE}/feeds/tag/{tag.slug}/atom/",
        ]
        assert tag_links[2][1] == "Shipping | The Meridian Review (RSS)"
        author_links = self.feed_links(client.get(reverse("articles:author", args=["mina-ode"])))
        assert [href for _type, _title, href in author_links[2:]] == [
            f"{SITE}/feeds/author/mina-ode/rss/",
            f"{SITE}/feeds/author/mina-ode/atom/",
        ]

    def test_listing_pages_are_their_own_canonical_page_by_page(self, client):
        section = SectionFactory(name="Middle East", slug="middle-east")
        ArticleFactory.create_batch(13, section=section)
        first = soup_of(client.get("/middle-east/")).find_all("link", rel="canonical")
        assert [link["href"] for link in first] == [f"{SITE}/middle-east/"]
        second = soup_of(client.get("/middle-east/?page=2&utm_source=x"))
        assert [link["href"] for link in second.find_all("link", rel="canonical")] == [
            f"{SITE}/middle-east/?page=2"
        ]
        home = soup_of(client.get("/")).find_all("link", rel="canonical")
        assert [link["href"] for link in home] == [f"{SITE}/"]


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
        Correction.objects.create(
            article=article, note="A date was wrong.", published_at=self.UPDATED
        )
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
