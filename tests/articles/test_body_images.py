import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django_prose_editor.config import html_tags
from django_prose_editor.fields import create_sanitizer
from js_asset import static_lazy

from articles.images import renditions
from articles.models import Article
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

# The allow-list change proposed for rs_cms/settings.py (see the report), tried out here.
PROPOSED_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/admin-body-images.js")],
        "extensions": {"LibraryImage": html_tags(["figure"], {"figure": ["data-image"]})},
    }
]


def expand(body):
    return Template("{% load images %}{{ body|with_images }}").render(Context({"body": body}))


def soup(html):
    return BeautifulSoup(html, "html.parser")


def placeholder(image_id):
    return f'<figure data-image="{image_id}"></figure>'


class TestExpandingPlaceholders:
    def test_placeholder_becomes_the_picture_with_caption_and_credit(self):
        image = ImageFactory(
            alt_text="Tankers queue off the port",
            caption="Tankers waiting to unload.",
            credit="Photo: R. Amari / Agency",
        )

        html = expand(f"<p>Before.</p>{placeholder(image.pk)}<p>After.</p>")

        page = soup(html)
        assert [element.name for element in page.find_all(recursive=False)] == [
            "p",
            "figure",
            "p",
        ]
        figure = page.figure
        assert figure["class"] == ["body-image"]
        assert not figure.has_attr("data-image")
        img = figure.picture.img
        assert img["src"] == image.display_file.url
        assert img["alt"] == "Tankers queue off the port"
        assert img["loading"] == "lazy"
        assert figure.figcaption.select_one(".caption").get_text() == "Tankers waiting to unload."
        assert figure.figcaption.select_one(".credit").get_text() == "Photo: R. Amari / Agency"

    def test_the_picture_comes_from_the_renditions(self):
        image = ImageFactory()
        renditions.make_renditions(image)

        img = soup(expand(placeholder(image.pk))).img

        assert img["srcset"].endswith(" 32w")
        assert img["sizes"] == "(min-width: 764px) 700px, 100vw"
        assert soup(expand(placeholder(image.pk))).find("source", type="image/webp")

    def test_missing_renditions_leave_the_display_copy_and_are_not_made_here(
        self, django_capture_on_commit_callbacks
    ):
        image = ImageFactory()

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            img = soup(expand(placeholder(image.pk))).img

        assert img["src"] == image.display_file.url
        assert callbacks == []
        assert not image.renditions.exists()

    def test_own_graphic_is_credited_to_the_magazine(self, settings):
        image = ImageFactory(caption="", credit="", no_credit_needed=True)

        figcaption = soup(expand(placeholder(image.pk))).figcaption

        assert figcaption.get_text(strip=True) == settings.SITE_NAME
        assert not figcaption.select_one(".caption")

    def test_caption_and_credit_are_escaped(self):
        image = ImageFactory(
            alt_text='A "quoted" <b>alt</b>',
            caption="<script>alert(1)</script> & more",
            credit="Photo: <i>Someone</i>",
        )

        html = expand(placeholder(image.pk))

        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
        assert "Photo: &lt;i&gt;Someone&lt;/i&gt;" in html
        assert 'alt="A &quot;quoted&quot; &lt;b&gt;alt&lt;/b&gt;"' in html

    @pytest.mark.parametrize(
        "figure",
        [
            '<figure data-image="987654"></figure>',
            '<figure data-image="abc"></figure>',
            '<figure data-image=""></figure>',
            '<figure data-image="99999999999999999999999999"></figure>',
            '<figure data-image="١٢"></figure>',
        ],
    )
    def test_unknown_or_malformed_images_render_nothing(self, figure):
        assert expand(f"<p>Before.</p>{figure}<p>After.</p>") == "<p>Before.</p><p>After.</p>"

    def test_placeholder_with_other_attributes_or_content_is_expanded_whole(self):
        image = ImageFactory()

        html = expand(f'<figure class="x" data-image="{image.pk}">\n<p>stray</p></figure>')

        assert "stray" not in html
        assert soup(html).figure["class"] == ["body-image"]

    def test_ordinary_figures_are_left_alone(self):
        body = '<figure class="figure"><img src="/a.jpg" alt="A"></figure>'

        assert expand(body) == body

    def test_one_lookup_for_all_the_images_in_a_body(self, django_assert_num_queries):
        images = [ImageFactory() for _ in range(4)]
        body = "".join(f"<p>{n}</p>{placeholder(image.pk)}" for n, image in enumerate(images))
        body += placeholder(images[0].pk)
        for image in images[:2]:
            renditions.make_renditions(image)

        with django_assert_num_queries(1):  # the images, each with its renditions
            html = expand(body)

        assert len(soup(html).find_all("figure")) == 5

    def test_a_body_without_images_costs_no_query(self, django_assert_num_queries):
        body = "<p>Just <strong>text</strong> &amp; a <a href='https://example.org'>link</a>.</p>"

        with django_assert_num_queries(0):
            assert soup(expand(body)) == soup(body)

    def test_empty_body(self):
        assert expand("") == ""
        assert expand(None) == ""


class TestArticlePage:
    def test_body_images_appear_in_the_article(self, client):
        image = ImageFactory(caption="Cranes at dawn.", credit="Photo: J. Lin / Wire")
        article = ArticleFactory()
        # Straight to the database: saving sanitises, and the allow-list change is pending.
        Article.objects.filter(pk=article.pk).update(
            body=f"<p>Opening.</p>{placeholder(image.pk)}{placeholder(987654)}<p>More.</p>"
        )

        response = client.get(article.get_absolute_url())

        body = soup(response.content.decode()).select_one(".article__body")
        [figure] = body.find_all("figure")
        assert figure.img["src"] == image.display_file.url
        assert "Cranes at dawn." in figure.figcaption.get_text()
        assert "Photo: J. Lin / Wire" in figure.figcaption.get_text()
        assert [p.get_text() for p in body.find_all("p")] == ["Opening.", "More."]


RICH_TEXT = (
    "<p>Text.</p>"
    '<figure data-image="12" onclick="steal()" class="x" style="color:red"></figure>'
    '<figure data-image="13"><script>alert(1)</script></figure>'
)


class TestSanitising:
    def test_the_proposed_allow_list_keeps_the_placeholder_and_nothing_else(self, settings):
        settings.DJANGO_PROSE_EDITOR_EXTENSIONS = PROPOSED_EDITOR_EXTENSIONS
        sanitize = create_sanitizer(settings.RICH_TEXT_EXTENSIONS | {"LibraryImage": True})

        assert sanitize(RICH_TEXT) == (
            '<p>Text.</p><figure data-image="12"></figure><figure data-image="13"></figure>'
        )

    def test_the_placeholder_survives_editing_with_the_proposed_settings(self, settings):
        settings.DJANGO_PROSE_EDITOR_EXTENSIONS = PROPOSED_EDITOR_EXTENSIONS
        sanitize = create_sanitizer(settings.RICH_TEXT_EXTENSIONS | {"LibraryImage": True})
        image = ImageFactory(caption="Cranes at dawn.")

        html = expand(sanitize(f"<p>Text.</p>{placeholder(image.pk)}"))

        assert soup(html).figure.figcaption.select_one(".caption").get_text() == "Cranes at dawn."

    def test_article_bodies_keep_the_placeholder(self):
        article = ArticleFactory(body=RICH_TEXT)

        article.refresh_from_db()
        assert '<figure data-image="12"></figure>' in article.body
