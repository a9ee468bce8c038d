"""Restoring an article from one of its versions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from taggit.models import Tag

from articles.history.snapshots import KEPT_FIELDS, RESTORED_FIELDS
from articles.models import Article
from articles.services import restore_revision
from tests.articles.admin.helpers import change_url, save_in_admin
from tests.articles.history.helpers import Status, logged_in, restore_url, versions_of
from tests.factories import ArticleFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


class TestRestore:
    def test_brings_back_the_content_bylines_picks_and_tags(self, editor_client, bulk_revision):
        article, version = bulk_revision["article"], bulk_revision["version"]
        response = editor_client.post(restore_url(article, version))

        assert response.status_code == 302
        assert response["Location"] == change_url(article)
        restored = Article.objects.get(pk=article.pk)
        assert restored.headline == "Shipping lanes under strain"
        assert restored.dek == "Why the strait matters."
        assert restored.body == "<p>The strait is busy.</p><p>Cranes stand idle.</p>"
        assert restored.ordered_authors == bulk_revision["authors"]
        assert [pick.related for pick in restored.related_picks.all()] == [
            bulk_revision["first_pick"]
        ]
        # “Shipping”, added later, is off the article (the tag itself stays for others).
        assert sorted(restored.tags.names()) == ["Asia", "Energy"]
        assert Tag.objects.filter(name="Shipping").exists()

    def test_keeps_the_workflow_fields_and_moves_the_version_on(self, editor_client, bulk_revision):
        article, version = bulk_revision["article"], bulk_revision["version"]
        assert version.field_dict["status"] == Status.REVIEW
        before = timezone.now()
        editor_client.post(restore_url(article, version))

        restored = Article.objects.get(pk=article.pk)
        assert restored.status == Status.PUBLISHED
        assert restored.published_at == article.published_at
        assert restored.created_at == article.created_at
        assert restored.submitted_at == article.submitted_at is not None
        assert restored.slug == article.slug
        assert restored.version == article.version + 1
        # Readers saw the rewritten text, so the restored one counts as an update.
        assert restored.updated_at >= before

    def test_leaves_the_other_article_of_the_bulk_revision_alone(
        self, editor_client, bulk_revision
    ):
        article, other = bulk_revision["article"], bulk_revision["other"]
        editor_client.post(restore_url(article, bulk_revision["version"]))

        unchanged = Article.objects.get(pk=other.pk)
        assert unchanged.headline == "Elections, later"
        assert unchanged.version == other.version
        assert unchanged.updated_at == other.updated_at
        assert [author.name for author in unchanged.ordered_authors] == ["Lea Chen"]
        assert list(unchanged.tags.names()) == ["Pacific"]
        # Nor does the restored article pick up the other one's parts from the revision.
        restored = Article.objects.get(pk=article.pk)
        assert "Pacific" not in restored.tags.names()
        assert restored.related_picks.count() == 1

    def test_makes_a_new_revision_with_a_comment(self, editor_client, editor, bulk_revision):
        article, version = bulk_revision["article"], bulk_revision["version"]
        response = editor_client.post(restore_url(article, version), follow=True)

        latest = versions_of(article)[0]
        when = date_format(timezone.localtime(version.revision.date_created), "j F Y, H:i")
        assert latest.revision.user == editor
        assert latest.revision.get_comment() == f"Restored the version of {when} by editor."
        assert latest.field_dict["headline"] == "Shipping lanes under strain"
        # The new revision holds the restored parts, so it can itself be restored later.
        models = {v.content_type.model for v in latest.revision.version_set.all()}
        assert models == {"article", "byline", "relatedstory", "taggeditem", "tag"}
        assert response.redirect_chain == [(change_url(article), 302)]
        shown = [
            li.get_text(strip=True) for li in soup_of(response).select(".messagelist .success")
        ]
        unchanged = "Its status and publication time are unchanged."
        assert f"Restored the version of {when} by editor. {unchanged}" in shown

    def test_an_editor_with_the_form_open_gets_a_conflict(self, editor_client, bulk_revision):
        article = bulk_revision["article"]
        open_form = form_data(editor_client.get(change_url(article)), "article_form")
        editor_client.post(restore_url(article, bulk_revision["version"]))

        refused = editor_client.post(change_url(article), {**open_form, "dek": "Too late."})
        assert refused.status_code == 200
        assert soup_of(refused).select_one(".rs-conflict") is not None
        assert Article.objects.get(pk=article.pk).dek == "Why the strait matters."

    def test_a_related_story_deleted_since_is_left_out_with_a_warning(self, editor, bulk_revision):
        article, version = bulk_revision["article"], bulk_revision["version"]
        bulk_revision["first_pick"].delete()

        restored, left_out = restore_revision(article, version, editor)
        assert restored.headline == "Shipping lanes under strain"
        assert list(restored.related_picks.all()) == []
        assert left_out == ["A related story of that version no longer exists and was left out."]

    @pytest.mark.parametrize(
        ("status", "refused"),
        [({}, 403), ({"status": Status.DRAFT, "published_at": None}, 404)],
        ids=["published", "draft-they-may-not-read"],
    )
    def test_a_writer_may_not_restore_another_writers_article(
        self, editor_client, writer, status, refused
    ):
        article = ArticleFactory(headline="Theirs", **status)
        save_in_admin(editor_client, article, headline="Edited")
        [version] = versions_of(article)

        assert logged_in(writer).post(restore_url(article, version)).status_code == refused
        assert Article.objects.get(pk=article.pk).version == 2

    def test_a_writer_restores_their_own_draft(self, writer_client, writer):
        article = ArticleFactory(
            status=Status.DRAFT, published_at=None, headline="My first try", created_by=writer
        )
        save_in_admin(writer_client, article, headline="My second try")
        save_in_admin(writer_client, article, headline="My third try")
        first = versions_of(article)[-1]
        article.refresh_from_db()

        assert writer_client.post(restore_url(article, first)).status_code == 302
        restored = Article.objects.get(pk=article.pk)
        assert (restored.headline, restored.version) == ("My second try", 4)
        # A restore is an edit like any other (services.save_article): the draft is dated as
        # edited, and once it is published readers see no “Updated”, as it came before.
        assert restored.updated_at > article.updated_at
        Article.objects.filter(pk=article.pk).publish_now()
        assert not Article.objects.get(pk=article.pk).was_updated

    def test_get_is_not_allowed(self, editor_client):
        article = ArticleFactory()
        save_in_admin(editor_client, article, headline="Saved")
        [version] = versions_of(article)

        response = editor_client.get(restore_url(article, version))
        assert response.status_code == 405
        assert response["Allow"] == "POST"

    def test_a_version_of_another_article_is_not_found(self, editor_client):
        article, other = ArticleFactory(headline="Mine"), ArticleFactory(headline="Theirs")
        save_in_admin(editor_client, other, headline="Theirs, edited")
        [theirs] = versions_of(other)

        assert editor_client.post(restore_url(article, theirs)).status_code == 404
        huge = reverse("admin:articles_article_restore", args=[article.pk, 10**30])
        assert editor_client.post(huge).status_code == 404
        assert Article.objects.get(pk=article.pk).headline == "Mine"


def test_restoring_twice_is_harmless(editor, bulk_revision):
    article, version = bulk_revision["article"], bulk_revision["version"]
    restore_revision(article, version, editor)
    restored, left_out = restore_revision(article, version, editor)

    assert left_out == []
    assert restored.version == article.version + 2
    assert sorted(restored.tags.names()) == ["Asia", "Energy"]
    assert restored.ordered_authors == bulk_revision["authors"]
    assert timedelta(0) <= timezone.now() - restored.updated_at < timedelta(minutes=1)


def test_every_article_field_is_either_restored_or_kept():
    """A new field needs a decision: is it content a restore brings back, or workflow state?"""
    fields = {field.name for field in Article._meta.concrete_fields}
    assert fields == RESTORED_FIELDS | KEPT_FIELDS
    assert RESTORED_FIELDS.isdisjoint(KEPT_FIELDS)
