"""The article's JSON-LD: its type, authors, publisher, pictures and dates, safely embedded."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.staticfiles import finders
from PIL import Image as PILImage

from articles import seo
from articles.models import Article, Image, Rendition
from articles.services import correct
from tests.articles.seo.head import PUBLISHED, SITE, add_rendition, json_ld, page
from tests.factories import ArticleFactory, ImageFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


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
            correct(article, note="The tanker was Liberian-flagged.")
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
