"""Moving an article or a section leaves a redirect from each address readers saw."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import moves
from articles.models import Article, Redirect
from tests.articles.redirects.helpers import moved_to, table
from tests.factories import ArticleFactory, SectionFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


class TestArticleMoves:
    def test_a_new_slug_sends_the_old_address_to_the_new_one(self, client, article):
        article.slug = "shipping-lanes-under-strain"
        article.save()

        assert moved_to(client, "/asia-pacific/shipping-lanes/") == (
            "/asia-pacific/shipping-lanes-under-strain/"
        )
        assert client.get("/asia-pacific/shipping-lanes-under-strain/").status_code == 200
        [redirect] = Redirect.objects.all()
        assert redirect.is_automatic

    def test_a_new_section_and_slug_together(self, client, article):
        article.section = SectionFactory(slug="middle-east")
        article.slug = "gulf-shipping"
        article.save()

        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/middle-east/gulf-shipping/"
        assert table() == {"/asia-pacific/shipping-lanes/": "/middle-east/gulf-shipping/"}

    def test_a_new_section_is_recorded_too(self, client, article):
        article.section = SectionFactory(slug="middle-east")
        article.save()

        assert table() == {"/asia-pacific/shipping-lanes/": "/middle-east/shipping-lanes/"}
        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/middle-east/shipping-lanes/"

    def test_chains_collapse_into_one_step(self, client, article):
        for slug in ["second-slug", "third-slug"]:
            article.slug = slug
            article.save()

        assert table() == {
            "/asia-pacific/shipping-lanes/": "/asia-pacific/third-slug/",
            "/asia-pacific/second-slug/": "/asia-pacific/third-slug/",
        }
        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/asia-pacific/third-slug/"

    def test_moving_back_drops_the_redirect_from_the_live_address(self, client, article):
        article.slug = "renamed"
        article.save()
        article.slug = "shipping-lanes"
        article.save()

        assert table() == {"/asia-pacific/renamed/": "/asia-pacific/shipping-lanes/"}
        assert client.get("/asia-pacific/shipping-lanes/").status_code == 200

    def test_a_new_article_at_a_redirected_address_takes_it_over(self, client, asia, article):
        article.slug = "renamed"
        article.save()
        ArticleFactory(section=asia, slug="shipping-lanes", headline="A different story")

        assert table() == {}
        response = client.get("/asia-pacific/shipping-lanes/")
        assert response.status_code == 200
        assert "A different story" in soup_of(response).h1.get_text()

    @pytest.mark.parametrize(
        "unseen",
        [
            {"status": Article.Status.DRAFT, "published_at": None},
            {"published_at": timezone.now() + timedelta(days=1)},
        ],
        ids=["draft", "scheduled"],
    )
    def test_an_address_readers_never_saw_leaves_no_redirect(self, asia, unseen):
        article = ArticleFactory(section=asia, slug="first-idea", **unseen)
        article.slug = "second-idea"
        article.save()

        assert table() == {}

    def test_an_unpublished_article_keeps_its_old_address(self, client, article):
        Article.objects.filter(pk=article.pk).unpublish()
        article.refresh_from_db()
        article.slug = "renamed"
        article.save()

        assert table() == {"/asia-pacific/shipping-lanes/": "/asia-pacific/renamed/"}

    def test_saving_without_a_move_costs_one_query_more(self, article):
        article.headline = "Sharper headline"
        with CaptureQueriesContext(connection) as queries:
            article.save()
        assert len(queries) == 2  # what the row was, then the UPDATE
        with CaptureQueriesContext(connection) as queries:
            article.save(update_fields=["headline"])
        assert len(queries) == 1
        assert table() == {}

    def test_an_editor_changing_the_slug_in_the_admin(self, editor_client, client, article):
        change = reverse("admin:articles_article_change", args=[article.pk])
        data = form_data(editor_client.get(change), "article_form")
        data["slug"] = "new-slug"
        response = editor_client.post(change, data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/asia-pacific/new-slug/"


class TestSectionMoves:
    def rename(self, section, slug):
        section.slug = slug
        section.save()

    def test_the_section_page_and_every_article_in_it_move(self, client, asia):
        articles = ArticleFactory.create_batch(3, section=asia)
        ArticleFactory(section=asia, slug="a-draft", status=Article.Status.DRAFT, published_at=None)
        elsewhere = ArticleFactory(section=SectionFactory(slug="europe"))

        self.rename(asia, "indo-pacific")

        expected = {"/asia-pacific/": "/indo-pacific/"} | {
            f"/asia-pacific/{a.slug}/": f"/indo-pacific/{a.slug}/" for a in articles
        }
        assert table() == expected
        assert moved_to(client, "/asia-pacific/") == "/indo-pacific/"
        for article in articles:
            assert moved_to(client, f"/asia-pacific/{article.slug}/") == (
                article.get_absolute_url()
            )
        assert client.get(elsewhere.get_absolute_url()).status_code == 200

    def test_the_cost_does_not_grow_with_the_articles_in_it(self, asia):
        def queries_to_rename(section, slug):
            with CaptureQueriesContext(connection) as queries:
                self.rename(section, slug)
            return len(queries)

        ArticleFactory(section=asia)
        few = queries_to_rename(asia, "indo-pacific")
        crowded = SectionFactory(slug="europe")
        ArticleFactory.create_batch(8, section=crowded)

        assert queries_to_rename(crowded, "european-union") == few
        assert Redirect.objects.filter(old_path__startswith="/europe/").count() == 9

    def test_redirects_into_the_section_follow_it(self, client, asia, article):
        article.slug = "renamed"
        article.save()
        self.rename(asia, "indo-pacific")

        assert table() == {
            "/asia-pacific/shipping-lanes/": "/indo-pacific/renamed/",
            "/asia-pacific/renamed/": "/indo-pacific/renamed/",
            "/asia-pacific/": "/indo-pacific/",
        }
        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/indo-pacific/renamed/"

    def test_moving_back_drops_the_redirects_from_live_addresses(self, client, asia, article):
        self.rename(asia, "indo-pacific")
        self.rename(asia, "asia-pacific")

        assert table() == {
            "/indo-pacific/": "/asia-pacific/",
            "/indo-pacific/shipping-lanes/": "/asia-pacific/shipping-lanes/",
        }
        assert client.get("/asia-pacific/").status_code == 200
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_a_new_section_at_a_redirected_address_takes_it_over(self, client, asia):
        self.rename(asia, "indo-pacific")
        SectionFactory(name="Asia-Pacific again", slug="asia-pacific")

        assert "/asia-pacific/" not in table()
        assert client.get("/asia-pacific/").status_code == 200

    def test_an_editor_renaming_a_section_in_the_admin(self, editor_client, client, asia, article):
        change = reverse("admin:articles_section_change", args=[asia.pk])
        data = form_data(editor_client.get(change), "section_form")
        data["slug"] = "indo-pacific"
        response = editor_client.post(change, data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        assert moved_to(client, "/asia-pacific/") == "/indo-pacific/"
        assert table()["/asia-pacific/shipping-lanes/"] == "/indo-pacific/shipping-lanes/"


class TestTheFunctions:
    """The same rules, called directly: what Article.save() and Section.save() rely on."""

    def test_record_article_move(self, asia, article):
        moves.record_article_move("/asia-pacific/before/", article)
        assert table() == {"/asia-pacific/before/": "/asia-pacific/shipping-lanes/"}
        moves.record_article_move(article.get_absolute_url(), article)
        assert table() == {"/asia-pacific/before/": "/asia-pacific/shipping-lanes/"}

    def test_record_section_move(self, asia, article):
        moves.record_section_move(asia, "asia")
        assert table() == {
            "/asia/": "/asia-pacific/",
            "/asia/shipping-lanes/": "/asia-pacific/shipping-lanes/",
        }

    def test_an_article_address_is_the_section_address_and_the_slug(self, article):
        assert moves.article_path("asia-pacific", "shipping-lanes") == (article.get_absolute_url())


def test_publishing_with_the_bulk_action_takes_the_address_over(editor_client, asia, article):
    article.slug = "shipping-lanes-renamed"
    article.save()
    draft = ArticleFactory(
        section=asia, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
    )
    ArticleFactory(section=asia, slug="elsewhere", status=Article.Status.DRAFT, published_at=None)
    Redirect.objects.create(old_path="/asia-pacific/elsewhere/", new_path="/asia-pacific/")

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )

    assert table() == {"/asia-pacific/elsewhere/": "/asia-pacific/"}
    assert Client().get("/asia-pacific/shipping-lanes/").status_code == 200
