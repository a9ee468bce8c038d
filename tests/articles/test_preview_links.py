import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles import previews
from articles.models import Article, Correction, PreviewLink
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

GONE_HEADLINE = "This preview link no longer works"


def make_draft(**kwargs):
    kwargs.setdefault("headline", "The quiet deal on the strait")
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, **kwargs)


def make_link(article, days=3, **kwargs):
    return PreviewLink.objects.create(
        article=article, expires_at=timezone.now() + timedelta(days=days), **kwargs
    )


def path_of(link):
    return urlsplit(previews.url_for(link)).path


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def create_url(article):
    return reverse("admin:articles_article_preview_link", args=[article.pk])


def revoke_url(link):
    return reverse("admin:articles_article_revoke_preview_link", args=[link.article_id, link.pk])


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def robots_meta(response):
    meta = soup_of(response).find("meta", attrs={"name": "robots"})
    return meta["content"] if meta else None


def messages_of(response):
    return [li.get_text(" ", strip=True) for li in soup_of(response).select(".messagelist li")]


def assert_private(response):
    assert {"no-cache", "no-store", "private"} <= cache_control(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def assert_refused(response, status, article):
    assert response.status_code == status
    assert_private(response)
    soup = soup_of(response)
    assert soup.find("h1").get_text(strip=True) == GONE_HEADLINE
    assert robots_meta(response) == "noindex, nofollow"
    assert not soup.select(".article__body")
    assert article.headline not in soup.get_text()


class TestSharedPreviewPage:
    def test_valid_link_shows_the_draft_to_anyone(self, client):
        draft = make_draft(body="<p>Not for readers yet.</p>")
        link = make_link(draft)

        response = client.get(path_of(link))

        assert response.status_code == 200
        assert_private(response)
        soup = soup_of(response)
        assert soup.find("h1").get_text(strip=True) == "The quiet deal on the strait"
        assert soup.select_one(".article__body").get_text(strip=True) == "Not for readers yet."
        assert robots_meta(response) == "noindex, nofollow"
        banner = soup.select_one(".preview-banner--shared")
        expires = date_format(timezone.localtime(link.expires_at), "j F Y, H:i T")
        assert banner.find("strong").get_text(strip=True) == "Shared preview:"
        assert banner.find("time").get_text(strip=True) == expires
        assert banner.find("a") is None
        assert not soup.select("a[href^='/admin/']")

    def test_staff_holding_the_link_also_get_the_newsroom_link(self, editor_client):
        draft = make_draft()
        link = make_link(draft)

        banner = soup_of(editor_client.get(path_of(link))).select_one(".preview-banner--shared")

        assert banner.find("a")["href"] == change_url(draft)

    def test_link_works_until_its_expiry_then_is_gone(self, client, time_machine):
        draft = make_draft()
        link = make_link(draft, days=1)

        time_machine.move_to(link.expires_at - timedelta(seconds=1))
        assert client.get(path_of(link)).status_code == 200
        time_machine.move_to(link.expires_at + timedelta(seconds=1))
        assert_refused(client.get(path_of(link)), 410, draft)

    def test_revoked_link_is_gone(self, client):
        draft = make_draft()
        link = make_link(draft, revoked_at=timezone.now())

        assert_refused(client.get(path_of(link)), 410, draft)

    def test_forged_signature_is_refused_without_looking_the_key_up(self, client):
        draft = make_draft()
        link = make_link(draft)
        key, signature = previews.make_token(link).rsplit(":", 1)
        forged = f"{key}:{'A' * len(signature)}"

        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("articles:preview", kwargs={"token": forged}))

        assert_refused(response, 404, draft)
        assert not [q for q in queries if "articles_previewlink" in q["sql"]]

    @pytest.mark.parametrize(
        "garble",
        [
            pytest.param(lambda token, key: token[:-3], id="truncated"),
            pytest.param(lambda token, key: key, id="bare-key"),
            pytest.param(
                lambda token, key: signing.Signer(salt="newsletter.confirm").sign(key),
                id="other-salt",
            ),
        ],
    )
    def test_garbled_token_is_refused(self, client, garble):
        draft = make_draft()
        link = make_link(draft)
        token = garble(previews.make_token(link), link.key)

        response = client.get(reverse("articles:preview", kwargs={"token": token}))

        assert_refused(response, 404, draft)

    def test_unknown_link_is_refused(self, client):
        draft = make_draft()
        link = make_link(draft)
        url = path_of(link)
        link.delete()

        assert_refused(client.get(url), 404, draft)

    def test_article_in_the_trash_is_refused(self, client):
        draft = make_draft()
        link = make_link(draft)
        Article.objects.filter(pk=draft.pk).move_to_trash()

        assert_refused(client.get(path_of(link)), 404, draft)

    @pytest.mark.parametrize("revoked", [False, True])
    def test_published_article_redirects_to_its_public_page(self, client, revoked):
        draft = make_draft()
        link = make_link(draft, revoked_at=timezone.now() if revoked else None)
        Article.objects.filter(pk=draft.pk).publish_now()

        response = client.get(path_of(link))

        assert response.status_code == 302
        assert response["Location"] == draft.get_absolute_url()
        assert_private(response)

    def test_scheduled_article_is_still_a_preview(self, client):
        scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=2))
        link = make_link(scheduled)

        response = client.get(path_of(link))

        assert response.status_code == 200
        assert soup_of(response).select_one(".preview-banner--shared")
        assert client.get(scheduled.get_absolute_url()).status_code == 404

    def test_only_reads_are_allowed(self, client):
        link = make_link(make_draft())

        assert client.post(path_of(link)).status_code == 405

    def test_query_count_is_fixed(self, client, django_assert_num_queries):
        section = SectionFactory()
        small = make_draft(section=section, authors=[AuthorFactory()], tags=["One"])
        big = make_draft(
            section=section,
            authors=[AuthorFactory() for _ in range(4)],
            tags=[f"Tag {n}" for n in range(6)],
        )
        Correction.objects.create(article=big, note="A date was wrong.")
        small_url, big_url = path_of(make_link(small)), path_of(make_link(big))
        client.get(small_url)  # warm caches (content types, the navigation and appeal)

        # Link, article, bylines, tags, corrections, related (LATEST and QIOSK come with the
        # cached site chrome).
        with django_assert_num_queries(6):
            assert client.get(small_url).status_code == 200
        with django_assert_num_queries(6):
            assert client.get(big_url).status_code == 200


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


def save_in_admin(client, article, **changes):
    data = form_data(client.get(change_url(article)), "article_form")
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, soup_of(response).select(".errorlist")


def run_action(client, action, articles, admin="article"):
    return client.post(
        reverse(f"admin:articles_{admin}_changelist"),
        {"action": action, "_selected_action": [article.pk for article in articles]},
    )


def local_time(moment):
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


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

        save_in_admin(editor_client, article, **local_time(timezone.now() + timedelta(days=1)))

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
