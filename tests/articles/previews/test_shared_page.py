"""The shared preview page: a signed, expiring, revocable address that shows a draft."""

from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles import previews
from articles.models import Article, Correction
from tests.articles.admin.helpers import change_url
from tests.articles.previews.helpers import (
    assert_private,
    assert_refused,
    make_draft,
    make_link,
    path_of,
    robots_meta,
)
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


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
