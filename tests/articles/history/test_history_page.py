"""An article's history page: every version, who and when, compare and restore."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tests.articles.admin.helpers import save_in_admin
from tests.articles.history.helpers import (
    compare_url,
    history_rows,
    history_url,
    logged_in,
    restore_url,
    versions_of,
)
from tests.factories import ArticleFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


class TestHistoryPage:
    def test_lists_every_version_newest_first_with_who_and_when(self, editor_client, make_staff):
        article = ArticleFactory(headline="First headline")
        save_in_admin(logged_in(make_staff("ana", "Editors")), article, headline="Second headline")
        save_in_admin(editor_client, article, headline="Third headline")

        response = editor_client.get(history_url(article))
        assert response.status_code == 200
        rows = history_rows(response)
        newest, oldest = versions_of(article)
        assert [(row["version"], row["user"], row["headline"]) for row in rows] == [
            (newest.pk, "editor", "Third headline"),
            (oldest.pk, "ana", "Second headline"),
        ]
        assert rows[0]["comment"] == "Changed Headline."
        assert rows[1]["date"] == date_format(
            timezone.localtime(oldest.revision.date_created), "DATETIME_FORMAT"
        )

    def test_compare_form_sends_the_two_picked_versions(self, editor_client):
        article = ArticleFactory()
        for n in range(3):
            save_in_admin(editor_client, article, headline=f"Headline {n}")
        response = editor_client.get(history_url(article))
        page = soup_of(response)

        form = page.select_one("form#rs-compare")
        assert form["method"] == "get"
        assert form["action"] == compare_url(article)
        newest, previous, _ = versions_of(article)
        # The two latest are picked already, so Compare answers “what changed last”.
        assert form_data(response, "rs-compare") == {"a": [str(previous.pk)], "b": [str(newest.pk)]}
        offered = {
            (radio["name"], int(radio["value"])) for radio in form.select("input[type=radio]")
        }
        assert offered == {(name, v.pk) for name in "ab" for v in versions_of(article)}

    def test_restore_buttons_post_to_each_version(self, editor_client):
        article = ArticleFactory()
        save_in_admin(editor_client, article, headline="Saved once")
        save_in_admin(editor_client, article, headline="Saved twice")
        page = soup_of(editor_client.get(history_url(article)))

        for version in versions_of(article):
            button = page.select_one(f"tr[data-version='{version.pk}'] .rs-restore button")
            assert button.get_text(strip=True) == "Restore this version"
            form = page.find("form", id=button["form"])
            assert form["method"] == "post"
            assert form["action"] == restore_url(article, version)
            assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None

    def test_a_writer_sees_the_history_of_another_article_without_restore(
        self, editor_client, writer
    ):
        article = ArticleFactory()
        save_in_admin(editor_client, article, headline="Edited by the editor")

        response = logged_in(writer).get(history_url(article))
        assert response.status_code == 200
        [row] = history_rows(response)
        assert row["headline"] == "Edited by the editor"
        assert row["restore"] is None
        assert soup_of(response).select("form[id^=rs-restore]") == []

    def test_an_unknown_article_is_not_found(self, editor_client):
        response = editor_client.get(reverse("admin:articles_article_history", args=[404]))
        assert response.status_code == 404

    def test_query_count_does_not_grow_with_the_number_of_versions(self, editor_client):
        article = ArticleFactory()

        def count_queries(expected_rows):
            editor_client.get(history_url(article))  # warm per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = editor_client.get(history_url(article))
            assert len(history_rows(response)) == expected_rows
            return len(queries)

        save_in_admin(editor_client, article, headline="One")
        save_in_admin(editor_client, article, headline="Two")
        few = count_queries(2)
        for n in range(5):
            save_in_admin(editor_client, article, headline=f"More {n}")
        assert count_queries(7) == few
