"""The change form's panel of share links."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import previews
from articles.models import Article, PreviewLink
from tests.articles.admin.helpers import change_url
from tests.articles.previews.helpers import make_draft, make_link, revoke_url
from tests.factories import ArticleFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


def panel_rows(response):
    """Each listed link as a dict of what the change form shows."""
    rows = []
    for tr in soup_of(response).select("#preview-links tbody tr"):
        url_input = tr.select_one("input[readonly]")
        revoke = tr.select_one(".rs-share-link__actions form")
        rows.append(
            {
                "id": int(tr["data-link-id"]),
                "status": tr.select_one(".rs-share-link__status").get_text(strip=True),
                "url": url_input["value"] if url_input else None,
                "revoke": revoke["action"] if revoke else None,
                "created": tr.select_one(".rs-share-link__created").get_text(" ", strip=True),
            }
        )
    return rows


class TestChangeFormPanel:
    def test_lists_working_links_first_then_ended_ones(self, editor_client, editor, writer):
        draft = make_draft(created_by=writer)
        now = timezone.now()
        expired = make_link(draft, created_by=writer)
        PreviewLink.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(days=1))
        revoked = make_link(draft, created_by=editor, revoked_at=now - timedelta(hours=1))
        working = make_link(draft, days=7, created_by=editor)
        make_link(make_draft(headline="Another story"))

        response = editor_client.get(change_url(draft))

        assert response.status_code == 200
        rows = panel_rows(response)
        assert [(row["id"], row["status"]) for row in rows] == [
            (working.pk, "Valid"),
            (revoked.pk, "Revoked"),
            (expired.pk, "Expired"),
        ]
        assert rows[0]["url"] == previews.url_for(working)
        assert rows[0]["revoke"] == revoke_url(working)
        assert rows[0]["created"].startswith("by editor")
        assert rows[2]["created"].startswith("by writer")
        assert [(row["url"], row["revoke"]) for row in rows[1:]] == [(None, None), (None, None)]
        panel = soup_of(response).find(id="preview-links")
        assert panel.find("h2").get_text(strip=True) == "Share preview links"
        for form in panel.find_all("form"):
            assert form["method"] == "post"
            assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
        select = panel.find("select")
        assert panel.find("label", attrs={"for": select["id"]}).get_text() == "Link works for"

    def test_shows_only_the_last_ten_ended_links(self, editor_client, time_machine):
        draft = make_draft()
        start = timezone.now()
        time_machine.move_to(start, tick=False)
        ended = []
        for hour in range(12):
            ended.append(make_link(draft, revoked_at=start + timedelta(hours=hour)))
        working = make_link(draft)

        rows = panel_rows(editor_client.get(change_url(draft)))

        assert [row["id"] for row in rows] == [
            working.pk,
            *(link.pk for link in reversed(ended[2:])),
        ]

    def test_reader_without_edit_rights_sees_no_urls_and_no_forms(self, writer_client, editor):
        # A link made while it was a draft; the writer reads the story now it is out.
        draft = make_draft(created_by=editor)
        link = make_link(draft)
        Article.objects.filter(pk=draft.pk).publish_now()

        response = writer_client.get(change_url(draft))

        assert response.status_code == 200
        assert [(row["id"], row["url"], row["revoke"]) for row in panel_rows(response)] == [
            (link.pk, None, None)
        ]
        assert not soup_of(response).select("#preview-links form")
        assert previews.make_token(link) not in response.content.decode()

    def test_published_article_offers_no_new_link(self, editor_client):
        article = ArticleFactory()

        panel = soup_of(editor_client.get(change_url(article))).find(id="preview-links")

        assert panel.find("form") is None
        assert panel.select_one(".rs-share-links__public").get_text(strip=True) == (
            "This article is published: send readers its own address instead."
        )
