"""{% picture %} and the pages that show pictures through it, from their renditions."""

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.images import renditions
from articles.models import Article, Image, Rendition
from tests.articles.images.photos import camera_exif, image_of, picture_file, widths
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    RelatedStoryFactory,
    SectionFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load images %}" + source).render(Context(context))


def soup(html):
    return BeautifulSoup(html, "html.parser")


def srcset_widths(value):
    return [int(candidate.split()[-1].rstrip("w")) for candidate in value.split(", ")]


def with_renditions(image):
    """The image as a page gets it: renditions prefetched."""
    return Image.objects.prefetch_related("renditions").get(pk=image.pk)


class TestPictureTag:
    def test_sources_and_img_from_the_renditions(self):
        image = image_of(800, 400)
        renditions.make_renditions(image)

        html = render(
            '{% picture image sizes="(min-width: 50em) 50vw, 100vw" %}',
            image=with_renditions(image),
        )

        picture = soup(html).picture
        sources = picture.find_all("source")
        mime_types = {"avif": "image/avif", "webp": "image/webp"}
        expected = [mime_types[format] for format in renditions.formats() if format != "jpeg"]
        assert [source["type"] for source in sources] == expected
        for source in sources:
            assert srcset_widths(source["srcset"]) == [320, 640, 800]
            assert source["sizes"] == "(min-width: 50em) 50vw, 100vw"
        img = picture.img
        assert srcset_widths(img["srcset"]) == [320, 640, 800]
        assert img["src"] == image.renditions.get(format="jpeg", width=800).file.url
        assert img["src"].endswith(".jpg")
        assert img["sizes"] == "(min-width: 50em) 50vw, 100vw"
        assert (img["width"], img["height"]) == ("800", "400")
        assert img["alt"] == image.alt_text
        assert img["loading"] == "lazy"
        assert img["decoding"] == "async"
        assert not img.has_attr("fetchpriority")

    def test_img_src_is_a_middling_width(self):
        image = image_of(2000, 1000)
        renditions.make_renditions(image)

        img = soup(render("{% picture image %}", image=with_renditions(image))).img

        assert img["src"] == image.renditions.get(format="jpeg", width=1280).file.url

    def test_eager_high_priority_decorative_with_a_class(self):
        image = image_of(400, 200)
        renditions.make_renditions(image)

        img = soup(
            render(
                '{% picture image loading="eager" fetchpriority="high" alt="" class="lead" %}',
                image=with_renditions(image),
            )
        ).img

        assert not img.has_attr("loading")
        assert img["fetchpriority"] == "high"
        assert img["alt"] == ""
        assert img["class"] == ["lead"]

    def test_alt_text_is_escaped(self):
        image = ImageFactory(alt_text='Crowd "outside" <the> embassy')

        html = render("{% picture image %}", image=image)

        assert 'alt="Crowd &quot;outside&quot; &lt;the&gt; embassy"' in html

    def test_size_is_as_shown_for_a_photo_stored_on_its_side(self):
        image = ImageFactory(file=picture_file(400, 200, exif=camera_exif(orientation=6)))
        renditions.make_renditions(image)

        img = soup(render("{% picture image %}", image=with_renditions(image))).img

        assert (img["width"], img["height"]) == ("200", "400")

    def test_missing_renditions_show_the_display_copy_and_ask_for_nothing(
        self, django_capture_on_commit_callbacks
    ):
        image = with_renditions(image_of(700, 350))

        with django_capture_on_commit_callbacks() as callbacks:
            html = render("{% picture image %}{% picture image %}", image=image)

        imgs = soup(html).find_all("img")
        assert len(imgs) == 2
        for img in imgs:
            assert img["src"] == image.display_file.url
            assert img["src"].startswith(settings.MEDIA_URL + "images/")
            assert not img.has_attr("srcset")
            assert (img["width"], img["height"]) == ("700", "350")
        assert not soup(html).find("source")
        assert callbacks == []
        assert not image.renditions.exists()

    def test_without_renditions_or_a_display_copy_there_is_no_picture(self):
        image = image_of(700, 350)
        image.display_file = ""

        assert render("{% picture image %}", image=image) == ""

    def test_the_renditions_come_with_the_image_without_a_query(
        self, django_assert_num_queries, django_capture_on_commit_callbacks
    ):
        image = image_of(700, 350)
        renditions.make_renditions(image)
        image = Image.objects.get(pk=image.pk)

        with django_assert_num_queries(0), django_capture_on_commit_callbacks() as callbacks:
            picture = soup(render("{% picture image %}", image=image))

        jpegs = image.renditions.filter(format=Rendition.Format.JPEG).order_by("width")
        assert picture.img["srcset"] == ", ".join(f"{r.file.url} {r.width}w" for r in jpegs)
        assert callbacks == []

    def test_no_image_renders_nothing(self):
        assert render("{% picture image %}", image=None) == ""

    def test_unknown_arguments_are_refused(self):
        with pytest.raises(TemplateSyntaxError, match="style"):
            render('{% picture image style="x" %}', image=ImageFactory())


TEASERS = Template(
    '{% for article in articles %}{% include "includes/teaser.html" with article=article only %}'
    "{% endfor %}"
)


class TestTeasers:
    def listing(self):
        return Article.objects.published().for_listing().prefetch_related("top_image__renditions")

    def add_articles(self, count, section):
        for _ in range(count):
            image = ImageFactory()
            renditions.make_renditions(image)
            ArticleFactory(section=section, top_image=image, authors=[AuthorFactory()])

    def test_teasers_show_decorative_pictures_from_the_renditions(self):
        self.add_articles(2, SectionFactory())

        page = soup(TEASERS.render(Context({"articles": self.listing()})))

        for img in page.select(".teaser__image img"):
            assert img["alt"] == ""
            assert img["loading"] == "lazy"
            assert srcset_widths(img["srcset"]) == [32]

    def test_queries_do_not_grow_with_the_number_of_images(self):
        section = SectionFactory()

        def count():
            with CaptureQueriesContext(connection) as queries:
                TEASERS.render(Context({"articles": self.listing()}))
            return len(queries)

        self.add_articles(2, section)
        few = count()
        self.add_articles(6, section)
        assert count() == few


def rendition_ready(**fields):
    image = ImageFactory(**fields)
    renditions.make_renditions(image)
    return image


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return soup(response.content.decode())


# These wait for changes outside this feature's files (see the rendition report); each XPASS
# says the change is in: remove its marker.
class TestPagesUseRenditions:
    def test_listings_and_home_page(self, client):
        section = SectionFactory(slug="europe")
        ArticleFactory(section=section, top_image=rendition_ready())

        for url in ["/", "/europe/"]:
            assert page_of(client, url).select_one(".teaser__image img[srcset]")

    def test_article_top_image(self, client):
        article = ArticleFactory(top_image=rendition_ready())

        img = page_of(client, article.get_absolute_url()).select_one(".article__top-image img")

        assert img.has_attr("srcset")
        assert img["fetchpriority"] == "high"
        assert not img.has_attr("loading")

    def test_related_stories(self, client):
        article = ArticleFactory()
        RelatedStoryFactory(article=article, related=ArticleFactory(top_image=rendition_ready()))

        page = page_of(client, article.get_absolute_url())

        assert page.select_one(".related-story__figure img[srcset]")["loading"] == "lazy"

    def test_author_photo(self, client):
        author = AuthorFactory(slug="mina", photo=rendition_ready())
        ArticleFactory(authors=[author])

        img = page_of(client, "/author/mina/").select_one(".author-card img")

        assert img.has_attr("srcset")
        assert img["class"] == ["author-card__photo"]

    def test_an_upload_in_the_admin_queues_its_renditions(
        self, editor_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(
                reverse("admin:articles_image_add"),
                {
                    "file": SimpleUploadedFile("harbour.jpg", jpeg_bytes(64, 48), "image/jpeg"),
                    "alt_text": "Cranes over the harbour at dusk",
                    "credit": "Photo: R. Amari / Agency",
                },
            )

        assert response.status_code == 302
        assert widths(Image.objects.get()) == [64]

    def test_file_clean_up_is_connected_when_django_starts(self):
        # A fresh process: here, the tests' own imports have connected it already.
        check = (
            "import sys, django; django.setup(); print('articles.images.renditions' in sys.modules)"
        )
        result = subprocess.run(
            [sys.executable, "-c", check],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
        assert result.stdout.strip() == "True"
