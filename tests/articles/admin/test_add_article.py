"""Adding an article: the form's widgets and inlines, and what a save makes of it."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, RelatedStory
from tests.articles.admin.helpers import (
    ARTICLE_ADD,
    ARTICLE_CHANGELIST,
    AUTOCOMPLETE,
    split_datetime,
)
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


class TestArticleAddForm:
    def test_renders_the_editor_widgets_and_inlines(self, editor_client):
        response = editor_client.get(ARTICLE_ADD)
        assert response.status_code == 200
        soup = soup_of(response)

        body = soup.find("textarea", attrs={"name": "body"})
        config = json.loads(body["data-django-prose-editor-configurable"])
        assert {"Heading", "Link", "Blockquote"} <= set(config["extensions"])
        scripts = [script.get("src", "") for script in soup.find_all("script")]
        assert any(src.endswith("django_prose_editor/editor.js") for src in scripts)
        assert any(src.endswith("js/admin-tags.js") for src in scripts)

        prepopulated = json.loads(
            soup.find(id="django-admin-prepopulated-fields-constants")["data-prepopulated-fields"]
        )
        assert {"id": "#id_slug", "dependency_ids": ["#id_headline"]}.items() <= next(
            field for field in prepopulated if field["name"] == "slug"
        ).items()

        for name in ["section", "top_image", "topic"]:
            select = soup.find("select", attrs={"name": name})
            assert "admin-autocomplete" in select["class"], name
            assert select["data-ajax--url"] == AUTOCOMPLETE

        for prefix in ["bylines", "related_picks"]:
            for part in ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"]:
                assert soup.find("input", attrs={"name": f"{prefix}-{part}"}), (prefix, part)
        assert "admin-autocomplete" in soup.find(attrs={"name": "bylines-0-author"})["class"]
        assert "admin-autocomplete" in soup.find(attrs={"name": "related_picks-0-related"})["class"]


class TestArticleAddFlow:
    def test_editor_creates_a_published_article_readers_can_see(self, editor_client, editor):
        section = SectionFactory(name="Asia-Pacific", slug="asia-pacific")
        first, second = AuthorFactory(name="Zoe Adler"), AuthorFactory(name="Amir Bakr")
        topic = Tag.objects.create(name="Taiwan Strait")
        image = ImageFactory(credit="Photo: R. Amari / Agency")
        older = ArticleFactory(section=section, headline="Ports and power")
        oldest = ArticleFactory(section=section, headline="Cables under the sea")

        data = form_data(editor_client.get(ARTICLE_ADD), "article_form")
        data.update(
            {
                "headline": "Shipping lanes under strain",
                "slug": "shipping-lanes-under-strain",
                "dek": "Why the strait matters more than ever.",
                "kind": Article.Kind.ANALYSIS,
                "section": section.pk,
                "topic": topic.pk,
                "tags": "Shipping, Energy",
                "top_image": image.pk,
                "body": (
                    '<p onclick="steal()">Opening paragraph.</p>'
                    "<script>alert('owned')</script><p>Second paragraph.</p>"
                ),
                "status": Article.Status.PUBLISHED,
                **split_datetime(timezone.now() - timedelta(minutes=5)),
                "bylines-TOTAL_FORMS": "2",
                "bylines-0-position": "0",
                "bylines-0-author": first.pk,
                "bylines-1-position": "1",
                "bylines-1-author": second.pk,
                "related_picks-TOTAL_FORMS": "2",
                # Positions, not form order, decide the order of the picks.
                "related_picks-0-position": "2",
                "related_picks-0-related": oldest.pk,
                "related_picks-1-position": "1",
                "related_picks-1-related": older.pk,
            }
        )
        response = editor_client.post(ARTICLE_ADD, data, follow=True)

        assert response.status_code == 200
        assert response.redirect_chain == [(ARTICLE_CHANGELIST, 302)]
        article = Article.objects.get(slug="shipping-lanes-under-strain")
        assert article.is_public
        assert article.ordered_authors == [first, second]
        assert article.topic == topic
        assert sorted(article.tags.names()) == ["Energy", "Shipping", "Taiwan Strait"]
        assert article.top_image == image
        picks = RelatedStory.objects.filter(article=article)
        assert [(pick.related, pick.position) for pick in picks] == [(older, 1), (oldest, 2)]
        body = BeautifulSoup(article.body, "html.parser")
        assert body.find("script") is None
        assert "alert" not in article.body
        assert not any(tag.has_attr("onclick") for tag in body.find_all(True))
        assert [p.get_text() for p in body.find_all("p")] == [
            "Opening paragraph.",
            "Second paragraph.",
        ]

        anonymous = Client()
        for viewer in [editor_client, anonymous]:
            page = viewer.get(article.get_absolute_url())
            assert page.status_code == 200
            soup = soup_of(page)
            assert soup.find("h1").get_text(strip=True) == "Shipping lanes under strain"
            assert [a.get_text() for a in soup.select(".article__byline a")] == [
                "Zoe Adler",
                "Amir Bakr",
            ]
            assert soup.select_one(".article__topic a").get_text() == "Taiwan Strait"
            assert [h.get_text(strip=True) for h in soup.select(".related-story__headline")] == [
                "Ports and power",
                "Cables under the sea",
            ]
            assert "X-Robots-Tag" not in page

    def test_body_outside_the_allow_list_is_stripped(self, admin_client):
        data = form_data(admin_client.get(ARTICLE_ADD), "article_form")
        data.update(
            {
                "headline": "Allowed and not",
                "slug": "allowed-and-not",
                "section": SectionFactory().pk,
                "body": (
                    "<h1>Big title</h1>"
                    '<p style="color: red">Styled text.</p>'
                    '<img src="https://example.com/x.jpg" alt="x">'
                    '<iframe src="https://example.com/embed"></iframe>'
                    "<h2>Subhead</h2><h3>Smaller subhead</h3>"
                    "<blockquote><p>A quotation.</p></blockquote>"
                    "<ul><li>One</li></ul><ol><li>Two</li></ol>"
                    '<p><a href="https://example.com/report">The report</a></p>'
                ),
            }
        )
        response = admin_client.post(ARTICLE_ADD, data)

        assert response.status_code == 302
        body = BeautifulSoup(Article.objects.get(slug="allowed-and-not").body, "html.parser")
        for removed in ["h1", "img", "iframe"]:
            assert body.find(removed) is None, removed
        assert not any(tag.has_attr("style") for tag in body.find_all(True))
        assert body.find("h2").get_text() == "Subhead"
        assert body.find("h3").get_text() == "Smaller subhead"
        assert body.find("blockquote").get_text(strip=True) == "A quotation."
        assert body.select_one("ul > li").get_text() == "One"
        assert body.select_one("ol > li").get_text() == "Two"
        assert body.find("a")["href"] == "https://example.com/report"

    def test_publishing_without_a_time_publishes_now(self, admin_client):
        data = form_data(admin_client.get(ARTICLE_ADD), "article_form")
        data.update(
            {
                "headline": "Straight to print",
                "slug": "straight-to-print",
                "section": SectionFactory().pk,
                "status": Article.Status.PUBLISHED,
            }
        )
        before = timezone.now()
        response = admin_client.post(ARTICLE_ADD, data)

        assert response.status_code == 302
        assert Article.objects.get(slug="straight-to-print").published_at >= before
