"""The article list's actions: publish now and unpublish."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.articles.admin.helpers import run_action
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class TestArticleActions:
    def test_publish_now_publishes_drafts_and_keeps_public_dates(self, editor_client):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        in_review = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
        public = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
        untouched = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        original_date = public.published_at

        before = timezone.now()
        response = run_action(editor_client, "publish_now", [draft, in_review, public], follow=True)
        after = timezone.now()

        assert response.status_code == 200
        messages = [m.message for m in response.context["messages"]]
        assert messages == ["Published 2 article(s)."]
        for article in [draft, in_review]:
            article.refresh_from_db()
            assert article.status == Article.Status.PUBLISHED
            assert before <= article.published_at <= after
        public.refresh_from_db()
        assert public.published_at == original_date
        untouched.refresh_from_db()
        assert untouched.status == Article.Status.DRAFT
        assert set(Article.objects.published()) == {draft, in_review, public}

    def test_publish_now_brings_a_scheduled_article_forward(self, editor_client):
        scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))

        run_action(editor_client, "publish_now", [scheduled], follow=True)

        scheduled.refresh_from_db()
        assert scheduled.published_at <= timezone.now()
        assert scheduled.is_public

    def test_republishing_a_taken_down_story_keeps_its_date(self, editor_client):
        original = timezone.now() - timedelta(days=4)
        taken_down = ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=original)

        run_action(editor_client, "publish_now", [taken_down], follow=True)

        taken_down.refresh_from_db()
        assert taken_down.is_public
        assert taken_down.published_at == original

    def test_unpublish_hides_articles_from_readers(self, editor_client, client):
        gone = ArticleFactory()
        kept = ArticleFactory()

        response = run_action(editor_client, "unpublish", [gone], follow=True)

        assert [m.message for m in response.context["messages"]] == ["Unpublished 1 article(s)."]
        gone.refresh_from_db()
        assert gone.status == Article.Status.UNPUBLISHED
        assert list(Article.objects.published()) == [kept]
        assert Client().get(gone.get_absolute_url()).status_code == 404
