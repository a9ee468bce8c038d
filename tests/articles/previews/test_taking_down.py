"""Taking an article down revokes its share links."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink
from tests.articles.admin.helpers import run_action, save_in_admin, split_datetime
from tests.articles.previews.helpers import assert_refused, make_draft, make_link, path_of
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class TestTakingAnArticleDownRevokesItsLinks:
    """Once readers could see an article, taking it down takes it down for link holders too:
    unpublishing, the trash and deleting revoke its share links, and a later publication or
    restore does not bring them back."""

    def test_a_link_made_for_the_draft_stops_working_when_it_is_unpublished(self, editor_client):
        client = Client()  # a reader's browser: the editor's own would be shown the draft
        draft = make_draft(body="<p>Withdrawn text.</p>")
        link = make_link(draft)
        save_in_admin(editor_client, draft, status=Article.Status.PUBLISHED)
        assert client.get(path_of(link)).status_code == 302

        save_in_admin(editor_client, draft, status=Article.Status.UNPUBLISHED)

        assert client.get(draft.get_absolute_url()).status_code == 404
        assert_refused(client.get(path_of(link)), 410, draft)
        assert PreviewLink.objects.get(pk=link.pk).revoked_at is not None

    def test_the_unpublish_action_revokes_the_links(self, editor_client, client):
        article = ArticleFactory()
        link = make_link(article)

        run_action(editor_client, "unpublish", [article])

        assert_refused(client.get(path_of(link)), 410, article)

    def test_moving_a_published_article_out_of_view_revokes_the_links(self, editor_client, client):
        article = ArticleFactory()
        link = make_link(article)

        save_in_admin(editor_client, article, **split_datetime(timezone.now() + timedelta(days=1)))

        assert not Article.objects.get(pk=article.pk).is_public
        assert_refused(client.get(path_of(link)), 410, article)

    @pytest.mark.parametrize("way", ["action", "delete-view"])
    def test_the_trash_revokes_the_links_and_a_restore_leaves_them_revoked(
        self, editor_client, client, way
    ):
        draft = make_draft()
        link = make_link(draft)
        if way == "action":
            run_action(editor_client, "move_to_trash", [draft])
        else:
            delete = reverse("admin:articles_article_delete", args=[draft.pk])
            assert editor_client.post(delete, {"post": "yes"}).status_code == 302
        assert Article.objects.trashed().filter(pk=draft.pk).exists()

        run_action(editor_client, "restore", [draft], admin="trashedarticle")

        assert Article.objects.live().filter(pk=draft.pk).exists()
        assert_refused(client.get(path_of(link)), 410, draft)

    def test_deleting_for_good_ends_the_links(self, editor_client, client):
        draft = make_draft()
        link = make_link(draft)
        run_action(editor_client, "move_to_trash", [draft])
        response = editor_client.post(
            reverse("admin:articles_trashedarticle_changelist"),
            {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
        )
        assert response.status_code == 302

        assert not Article.objects.filter(pk=draft.pk).exists()
        assert_refused(client.get(path_of(link)), 404, draft)

    def test_a_scheduled_article_taken_back_to_draft_keeps_its_links(self, editor_client, client):
        scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=2))
        link = make_link(scheduled)

        save_in_admin(editor_client, scheduled, status=Article.Status.DRAFT)

        assert client.get(path_of(link)).status_code == 200

    def test_other_articles_keep_their_links(self, editor_client, client):
        article, other = ArticleFactory(), make_draft(headline="Another story")
        link = make_link(other)

        run_action(editor_client, "unpublish", [article])

        assert client.get(path_of(link)).status_code == 200
