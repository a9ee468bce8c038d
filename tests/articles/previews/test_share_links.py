"""Making and revoking share links from the article's change form."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import Article, PreviewLink
from tests.articles.admin.helpers import change_url
from tests.articles.previews.helpers import (
    create_url,
    make_draft,
    make_link,
    messages_of,
    path_of,
    revoke_url,
)
from tests.factories import ArticleFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


class TestCreateLink:
    def test_editor_creates_a_link_from_the_change_form(self, editor_client, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        draft = make_draft()
        page = editor_client.get(change_url(draft))
        form = soup_of(page).find("form", id="share-link-form")
        assert form["action"] == create_url(draft)

        response = editor_client.post(form["action"], form_data(page, "share-link-form"))

        assert response.status_code == 302
        assert response["Location"] == f"{change_url(draft)}#preview-links"
        link = PreviewLink.objects.get(article=draft)
        assert link.created_by.username == "editor"
        assert link.expires_at == timezone.now() + timedelta(days=3)
        assert link.revoked_at is None
        [message] = messages_of(editor_client.get(response["Location"]))
        assert re.search(r"https?://\S+", message).group() == previews.url_for(link)

    def test_each_offered_lifetime_is_accepted(self, editor_client, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        draft = make_draft()
        select = soup_of(editor_client.get(change_url(draft))).find(id="share-link-lifetime")
        options = {option["value"]: option.get_text() for option in select.find_all("option")}
        assert options == {"1": "1 day", "3": "3 days", "7": "7 days", "30": "30 days"}
        assert select.find("option", selected=True)["value"] == "3"

        for value in options:
            editor_client.post(create_url(draft), {"lifetime": value})

        lifetimes = {(link.expires_at - timezone.now()).days for link in PreviewLink.objects.all()}
        assert lifetimes == {1, 3, 7, 30}

    @pytest.mark.parametrize("data", [{}, {"lifetime": "2"}, {"lifetime": "forever"}])
    def test_bad_lifetime_makes_nothing(self, editor_client, data):
        draft = make_draft()

        response = editor_client.post(create_url(draft), data, follow=True)

        assert not PreviewLink.objects.exists()
        [message] = messages_of(response)
        assert message.startswith("No share link was made")
        assert soup_of(response).select_one(".messagelist li")["class"] == ["error"]

    def test_published_article_gets_no_link(self, editor_client):
        article = ArticleFactory()

        response = editor_client.post(create_url(article), {"lifetime": "3"}, follow=True)

        assert not PreviewLink.objects.exists()
        assert messages_of(response) == [
            "This article is already published: send readers its own address instead."
        ]
        assert not soup_of(response).find("form", id="share-link-form")

    def test_writer_shares_own_draft_but_not_anothers(self, writer_client, writer, make_staff):
        own = make_draft(created_by=writer)
        other = make_draft(created_by=make_staff("other", "Writers"))

        assert writer_client.post(create_url(own), {"lifetime": "1"}).status_code == 302
        # Another writer's draft is not even there for this one (test_who_reads_drafts.py).
        assert writer_client.post(create_url(other), {"lifetime": "1"}).status_code == 404
        assert list(PreviewLink.objects.values_list("article", "created_by")) == [
            (own.pk, writer.pk)
        ]

    def test_writer_cannot_share_a_draft_once_submitted(self, writer_client, writer):
        submitted = make_draft(created_by=writer)
        Article.objects.filter(pk=submitted.pk).submit_for_review()

        assert writer_client.post(create_url(submitted), {"lifetime": "1"}).status_code == 403
        assert not PreviewLink.objects.exists()

    def test_newsletter_staff_may_not_share(self, client, make_staff):
        client.force_login(make_staff("nadia", "Newsletter staff"))
        scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))

        assert client.post(create_url(scheduled), {"lifetime": "3"}).status_code == 403
        assert not PreviewLink.objects.exists()

    def test_get_is_not_allowed(self, editor_client):
        draft = make_draft()
        link = make_link(draft)

        create = editor_client.get(create_url(draft))
        revoke = editor_client.get(revoke_url(link))

        assert (create.status_code, revoke.status_code) == (405, 405)
        assert create["Allow"] == revoke["Allow"] == "POST"
        assert PreviewLink.objects.get().revoked_at is None
        assert PreviewLink.objects.count() == 1

    def test_article_in_the_trash_is_not_found(self, editor_client):
        draft = make_draft()
        Article.objects.filter(pk=draft.pk).move_to_trash()

        assert editor_client.post(create_url(draft), {"lifetime": "3"}).status_code == 404


class TestRevokeLink:
    def test_revoked_link_stops_working_at_once(self, editor_client, client):
        draft = make_draft()
        link = make_link(draft)

        response = editor_client.post(revoke_url(link), follow=True)

        assert messages_of(response) == ["Share link revoked: it no longer shows the article."]
        link.refresh_from_db()
        assert link.revoked_at is not None
        assert client.get(path_of(link)).status_code == 410

    def test_writer_revokes_links_on_own_draft_only(self, writer_client, writer, editor):
        own = make_link(make_draft(created_by=writer))
        anothers = make_link(make_draft(created_by=editor))

        assert writer_client.post(revoke_url(own)).status_code == 302
        assert writer_client.post(revoke_url(anothers)).status_code == 404
        revoked = {link.pk: link.revoked_at is not None for link in PreviewLink.objects.all()}
        assert revoked == {own.pk: True, anothers.pk: False}

    def test_link_of_another_article_is_not_found(self, editor_client):
        first, second = make_draft(), make_draft()
        link = make_link(second)
        url = reverse("admin:articles_article_revoke_preview_link", args=[first.pk, link.pk])

        assert editor_client.post(url).status_code == 404
        link.refresh_from_db()
        assert link.revoked_at is None

    def test_revoking_twice_keeps_the_first_time(self, editor_client):
        link = make_link(make_draft(), revoked_at=timezone.now() - timedelta(hours=1))
        first_time = link.revoked_at

        response = editor_client.post(revoke_url(link), follow=True)

        assert messages_of(response) == ["That share link had already stopped working."]
        link.refresh_from_db()
        assert link.revoked_at == first_time
