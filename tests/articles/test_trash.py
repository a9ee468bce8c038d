"""Deleting an article moves it to a trash it can be restored from for 30 days."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, RelatedStoryFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
TRASH = reverse("admin:articles_trashedarticle_changelist")


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def listed(client, url):
    return {
        row.get_text(strip=True)
        for row in soup_of(client.get(url)).select("#result_list .field-headline")
    }


def messages_of(response):
    return [item.get_text(strip=True) for item in soup_of(response).select(".messagelist li")]


@pytest.fixture
def article():
    article = ArticleFactory(
        headline="Gone but not lost", authors=[AuthorFactory()], tags=["Energy", "Ports"]
    )
    RelatedStoryFactory(article=article)
    return article


class TestMoveToTrash:
    def test_the_confirmation_page_speaks_of_the_trash(self, editor_client, article):
        page = soup_of(editor_client.get(delete_url(article)))
        assert page.select_one("#content input[type=submit]")["value"] == "Move to trash"
        assert "30 days" in page.select_one("#content p").get_text()

    def test_deleting_hides_the_article_everywhere_and_keeps_everything(
        self, editor_client, editor, article, client
    ):
        url = article.get_absolute_url()
        response = editor_client.post(delete_url(article), {"post": "yes"})
        assert response.status_code == 302

        article.refresh_from_db()
        assert article.is_trashed and article.deleted_by == editor
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert client.get(url).status_code == 404
        assert editor_client.get(url).status_code == 404
        assert "Gone but not lost" not in listed(editor_client, CHANGELIST)
        assert "Gone but not lost" in listed(editor_client, TRASH)
        assert sorted(article.tags.names()) == ["Energy", "Ports"]
        assert article.bylines.count() == 1 and article.related_picks.count() == 1

    def test_the_bulk_action_trashes_too(self, editor_client, article):
        editor_client.post(
            CHANGELIST, {"action": "move_to_trash", "_selected_action": [article.pk]}
        )
        article.refresh_from_db()
        assert article.is_trashed
        assert article.version == 2

    def test_django_bulk_delete_is_not_offered(self, editor_client, article):
        options = soup_of(editor_client.get(CHANGELIST)).select("select[name=action] option")
        assert "delete_selected" not in {option["value"] for option in options}

    def test_a_trashed_article_cannot_be_edited_by_url(self, editor_client, article):
        Article.objects.filter(pk=article.pk).move_to_trash()
        change = reverse("admin:articles_article_change", args=[article.pk])
        response = editor_client.get(change)
        assert response.status_code == 302  # the admin's "doesn't exist" redirect

    def test_its_slug_stays_taken_with_a_clear_reason(self, editor_client, article):
        Article.objects.filter(pk=article.pk).move_to_trash()
        add = reverse("admin:articles_article_add")
        data = form_data(editor_client.get(add), "article_form")
        data.update({"headline": "New", "slug": article.slug, "section": article.section_id})
        response = editor_client.post(add, data)
        assert response.status_code == 200
        errors = soup_of(response).select(".field-slug .errorlist li")
        assert "trash" in errors[0].get_text()


class TestRestore:
    def restore(self, client, articles):
        return client.post(
            TRASH,
            {"action": "restore", "_selected_action": [a.pk for a in articles]},
            follow=True,
        )

    def test_restoring_brings_the_article_back_as_it_was(self, editor_client, article, client):
        Article.objects.filter(pk=article.pk).move_to_trash()
        self.restore(editor_client, [article])
        article.refresh_from_db()
        assert not article.is_trashed
        assert article.is_public
        assert client.get(article.get_absolute_url()).status_code == 200
        assert sorted(article.tags.names()) == ["Energy", "Ports"]
        assert article.related_picks.count() == 1

    def test_day_29_restores_and_day_31_does_not(
        self, editor_client, editor, article, time_machine
    ):
        time_machine.move_to(timezone.now())
        Article.objects.filter(pk=article.pk).move_to_trash()
        other = ArticleFactory()
        Article.objects.filter(pk=other.pk).move_to_trash()

        time_machine.shift(timedelta(days=29))
        editor_client.force_login(editor)  # a month on, the old session has expired
        self.restore(editor_client, [article])
        article.refresh_from_db()
        assert not article.is_trashed

        time_machine.shift(timedelta(days=2))
        editor_client.force_login(editor)
        response = self.restore(editor_client, [other])
        other.refresh_from_db()
        assert other.is_trashed
        assert any("more than 30 days" in note for note in messages_of(response))

    def test_expired_articles_are_deleted_for_good(self, article, time_machine):
        time_machine.move_to(timezone.now())
        Article.objects.filter(pk=article.pk).move_to_trash()
        fresh = ArticleFactory()
        time_machine.shift(timedelta(days=31))
        Article.objects.filter(pk=fresh.pk).move_to_trash()
        output = StringIO()
        call_command("empty_trash", stdout=output)
        assert output.getvalue().startswith("Deleted ")
        assert not Article.objects.filter(pk=article.pk).exists()
        assert Article.objects.filter(pk=fresh.pk).exists()

    def test_writers_cannot_restore(self, writer_client, article):
        Article.objects.filter(pk=article.pk).move_to_trash()
        response = writer_client.post(
            TRASH, {"action": "restore", "_selected_action": [article.pk]}
        )
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.is_trashed
