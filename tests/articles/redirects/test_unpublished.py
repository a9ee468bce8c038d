"""A redirect from a published story's old address gives way only to a published article."""

from datetime import timedelta

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from articles.services import restore_revision
from tests.articles.redirects.helpers import add_redirect, moved_to, table
from tests.factories import ArticleFactory, SectionFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


class TestUnpublishedArticlesLeavePublicAddressesAlone:
    """A redirect from a published story's old address gives way only to an article that is
    actually published there: a draft, a story in review or a scheduled one never takes it."""

    OLD = "/asia-pacific/shipping-lanes/"

    @pytest.fixture
    def renamed(self, article):
        """The published story moved on: its old address answers 301."""
        article.slug = "shipping-lanes-renamed"
        article.save()
        return article

    UNSEEN = pytest.mark.parametrize(
        "unseen",
        [
            {"status": Article.Status.DRAFT, "published_at": None},
            {"status": Article.Status.REVIEW, "published_at": None},
            {"published_at": timezone.now() + timedelta(days=1)},
        ],
        ids=["draft", "in-review", "scheduled"],
    )

    def test_a_writers_new_draft_with_an_empty_slug_keeps_the_redirect(
        self, writer_client, asia, renamed
    ):
        add = reverse("admin:articles_article_add")
        data = form_data(writer_client.get(add), "article_form")
        data.update(headline="Shipping lanes", slug="", section=asia.pk, body="<p>Draft.</p>")
        response = writer_client.post(add, data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        assert Article.objects.get(headline="Shipping lanes").slug == "shipping-lanes"

        assert table() == {self.OLD: "/asia-pacific/shipping-lanes-renamed/"}
        # A reader's browser: the writer's own would be shown the draft.
        assert moved_to(Client(), self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

    @UNSEEN
    def test_a_new_unpublished_article_keeps_the_redirect(self, client, asia, renamed, unseen):
        ArticleFactory(section=asia, slug="shipping-lanes", **unseen)

        assert table() == {self.OLD: "/asia-pacific/shipping-lanes-renamed/"}
        assert moved_to(client, self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

    @UNSEEN
    def test_an_unpublished_article_moved_onto_the_address_keeps_the_redirect(
        self, client, asia, renamed, unseen
    ):
        draft = ArticleFactory(section=SectionFactory(slug="europe"), slug="other", **unseen)
        draft.section = asia
        draft.slug = "shipping-lanes"
        draft.save()

        assert table() == {self.OLD: "/asia-pacific/shipping-lanes-renamed/"}
        assert moved_to(client, self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

    def test_a_section_renamed_onto_the_address_keeps_the_redirect_of_its_draft(
        self, client, asia, renamed
    ):
        europe = SectionFactory(slug="europe")
        ArticleFactory(
            section=europe, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
        )
        asia.slug = "asia"
        asia.save()
        europe.slug = "asia-pacific"
        europe.save()

        assert table()[self.OLD] == "/asia/shipping-lanes-renamed/"
        assert moved_to(client, self.OLD) == "/asia/shipping-lanes-renamed/"

    def test_publishing_the_article_there_takes_the_address_over(self, client, asia, renamed):
        draft = ArticleFactory(
            section=asia, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
        )
        draft.status = Article.Status.PUBLISHED
        draft.save()

        assert self.OLD not in table()
        assert client.get(self.OLD).status_code == 200

    def test_an_editor_may_redirect_an_address_only_a_draft_holds(self, editor_client, asia):
        ArticleFactory(
            section=asia, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
        )
        response = add_redirect(editor_client, self.OLD, "/asia-pacific/")
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        assert table() == {self.OLD: "/asia-pacific/"}

    def test_restoring_a_drafts_revision_onto_the_address_keeps_the_redirect(
        self, client, editor, asia, renamed
    ):
        draft = ArticleFactory(
            section=asia, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
        )
        with reversion.create_revision():
            draft.save()
        draft.section = SectionFactory(slug="europe")
        draft.save()

        restore_revision(draft, Version.objects.get_for_object(draft).get(), editor)

        assert Article.objects.get(pk=draft.pk).get_absolute_url() == self.OLD
        assert table()[self.OLD] == "/asia-pacific/shipping-lanes-renamed/"
        assert moved_to(client, self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

    def test_a_scheduled_article_answers_at_its_address_once_it_goes_out(
        self, client, asia, renamed
    ):
        scheduled = ArticleFactory(
            section=asia, slug="shipping-lanes", published_at=timezone.now() + timedelta(hours=1)
        )
        assert moved_to(client, self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

        Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())

        assert client.get(self.OLD).status_code == 200
