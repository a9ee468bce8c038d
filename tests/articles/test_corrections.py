"""Dated corrections at the foot of a published article."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.services import correct
from tests.factories import ArticleFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def published():
    return ArticleFactory(
        published_at=timezone.now() - timedelta(days=3),
        updated_at=timezone.now() - timedelta(days=3),
    )


def corrections_on(client, article):
    page = soup_of(client.get(article.get_absolute_url()))
    return page, [
        (item.time["datetime"], item.get_text(" ", strip=True))
        for item in page.select("#corrections .correction")
    ]


class TestAddingACorrection:
    def test_an_editor_adds_a_dated_note_readers_see_at_the_foot(
        self, editor_client, editor, published, client
    ):
        data = form_data(editor_client.get(change_url(published)), "article_form")
        data.update(
            {
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-note": "An earlier version gave the wrong year for the treaty.",
                "corrections-0-published_at_0": f"{timezone.localdate():%Y-%m-%d}",
                "corrections-0-published_at_1": "09:30:00",
            }
        )
        response = editor_client.post(change_url(published), data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        correction = Correction.objects.get(article=published)
        assert correction.created_by == editor
        page, notes = corrections_on(client, published)
        assert len(notes) == 1
        assert notes[0][1].endswith("An earlier version gave the wrong year for the treaty.")
        # At the foot: after the body, before the closing label line.
        body = page.select_one(".article__body")
        section = page.select_one("#corrections")
        footer = page.select_one(".article__footer")
        order = list(page.find_all(True))
        assert order.index(body) < order.index(section) < order.index(footer)

    def test_a_correction_updates_the_modified_date(self, published, client):
        correct(published, note="Fixed a name.")
        published.refresh_from_db()
        assert published.updated_at > timezone.now() - timedelta(minutes=1)
        page, _ = corrections_on(client, published)
        dates = page.select(".article__dates time")
        assert len(dates) == 2  # published, then updated

    def test_a_backdated_note_never_moves_the_date_back(self, published):
        before = published.updated_at
        correct(published, note="Old fix.", published_at=before - timedelta(days=1))
        published.refresh_from_db()
        assert published.updated_at == before

    def test_notes_are_listed_oldest_first_and_escaped(self, published, client):
        now = timezone.now()
        correct(published, note="Second <b>fix</b>.", published_at=now)
        correct(published, note="First fix.", published_at=now - timedelta(hours=5))
        page, notes = corrections_on(client, published)
        assert [note for _, note in notes][0].endswith("First fix.")
        assert notes[1][1].endswith("Second <b>fix</b>.")
        assert page.select_one("#corrections b") is None

    def test_a_draft_cannot_be_corrected_only_edited(self, editor_client):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        page = soup_of(editor_client.get(change_url(draft)))
        assert page.select_one("#corrections-group") is None
        published = soup_of(editor_client.get(change_url(ArticleFactory())))
        assert published.select_one("#corrections-group") is not None

    def test_writers_cannot_add_corrections(self, writer_client, writer, published):
        Article.objects.filter(pk=published.pk).update(created_by=writer)
        page = soup_of(writer_client.get(change_url(published)))
        assert page.select_one("#corrections-group textarea") is None
        response = writer_client.post(
            change_url(published),
            {
                "corrections-TOTAL_FORMS": "1",
                "corrections-INITIAL_FORMS": "0",
                "corrections-0-note": "A writer's own note.",
            },
        )
        assert response.status_code == 403
        assert not Correction.objects.exists()

    def test_the_page_query_count_does_not_grow_with_corrections(
        self, published, client, django_assert_num_queries
    ):
        url = published.get_absolute_url()
        client.get(url)
        with CaptureQueriesContext(connection) as none:
            client.get(url)
        for number in range(3):
            correct(published, note=f"Fix {number}.")
        queries = len(none)
        client.get(url)  # a change: the cached navigation is read again
        with django_assert_num_queries(queries):
            client.get(url)
