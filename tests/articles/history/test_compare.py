"""Comparing two versions of an article, word by word."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article, RelatedStory
from tests.articles.admin.helpers import change_url, save_in_admin
from tests.articles.history.helpers import (
    Status,
    compare_url,
    diff_of,
    field_row,
    logged_in,
    sides,
    versions_of,
)
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


class TestCompare:
    def test_shows_deleted_and_inserted_words_of_headline_and_body(self, editor_client):
        article = ArticleFactory(
            headline="Shipping lanes under strain",
            body="<p>The strait is busy.</p><h2>Ports</h2><p>Cranes stand idle.</p>",
        )
        save_in_admin(editor_client, article, dek="Unchanged from here on.")
        save_in_admin(
            editor_client,
            article,
            headline="Shipping lanes <em>near</em> collapse",
            body="<p>The strait is crowded.</p><h2>Ports</h2><p>Cranes stand idle.</p>",
        )
        newest, previous = versions_of(article)

        response = editor_client.get(compare_url(article))
        assert response.status_code == 200
        assert sides(response) == {"before": previous.pk, "after": newest.pk}
        headline = diff_of(response, "headline")
        assert headline["del"] == ["under strain"]
        # Typed markup is text in a diff, never HTML.
        assert headline["ins"] == ["<em>near</em> collapse"]
        assert soup_of(response).select("section[data-field=headline] em") == []
        body = diff_of(response, "body")
        assert (body["del"], body["ins"]) == (["busy."], ["crowded."])
        assert body["text"][0] == "The strait is busy. crowded."
        assert diff_of(response, "dek") == {
            "text": ["Unchanged from here on."],
            "del": [],
            "ins": [],
        }

    def test_shows_changes_of_tags_byline_related_stories_and_status(self, editor_client):
        zoe, amir = AuthorFactory(name="Zoe Adler"), AuthorFactory(name="Amir Bakr")
        pick = ArticleFactory(headline="Cables under the sea")
        article = ArticleFactory(
            status=Status.REVIEW, published_at=None, authors=[zoe, amir], tags=["Energy", "Asia"]
        )
        save_in_admin(editor_client, article, dek="Before.")
        save_in_admin(
            editor_client,
            article,
            status=Status.PUBLISHED,
            tags="Asia, Shipping",
            **{
                "bylines-0-position": "1",
                "bylines-1-position": "0",
                "related_picks-0-related": pick.pk,
                "related_picks-0-position": "0",
            },
        )

        response = editor_client.get(compare_url(article))
        assert field_row(response, "status") == {
            "changed": True,
            "before": ["In review"],
            "after": ["Published"],
            "removed": ["In review"],
            "added": ["Published"],
        }
        tags = field_row(response, "tags")
        assert (tags["before"], tags["after"]) == (["Asia", "Energy"], ["Asia", "Shipping"])
        assert (tags["removed"], tags["added"]) == (["Energy"], ["Shipping"])
        byline = field_row(response, "byline")
        assert byline["changed"] is True
        assert (byline["before"], byline["after"]) == (
            ["Zoe Adler", "Amir Bakr"],
            ["Amir Bakr", "Zoe Adler"],
        )
        related = field_row(response, "related")
        assert (related["before"], related["added"]) == ([], ["Cables under the sea"])
        assert field_row(response, "kind")["changed"] is False
        published = field_row(response, "published_at")
        assert published["before"] == []
        assert published["after"] == [
            date_format(
                timezone.localtime(Article.objects.get(pk=article.pk).published_at),
                "DATETIME_FORMAT",
            )
        ]

    def test_a_and_b_pick_the_versions_older_first(self, editor_client):
        article = ArticleFactory(headline="Version one")
        for headline in ["Version two", "Version three", "Version four"]:
            save_in_admin(editor_client, article, headline=headline)
        four, three, two = versions_of(article)

        response = editor_client.get(compare_url(article), {"a": four.pk, "b": two.pk})
        assert response.status_code == 200
        assert sides(response) == {"before": two.pk, "after": four.pk}
        assert diff_of(response, "headline")["del"] == ["two"]
        assert diff_of(response, "headline")["ins"] == ["four"]

    def test_since_compares_the_version_an_editor_started_from_with_the_latest(self, editor_client):
        article = ArticleFactory(headline="Where we started")
        save_in_admin(editor_client, article, headline="Where ana started")  # version 2
        save_in_admin(editor_client, article, headline="Ben's first change")  # version 3
        save_in_admin(editor_client, article, headline="Ben's second change")  # version 4
        latest, _, started_from = versions_of(article)
        assert started_from.field_dict["version"] == 2

        response = editor_client.get(compare_url(article), {"since": "2"})
        assert response.status_code == 200
        assert sides(response) == {"before": started_from.pk, "after": latest.pk}
        assert diff_of(response, "headline")["del"] == ["Where ana started"]
        assert diff_of(response, "headline")["ins"] == ["Ben's second change"]

    def test_since_a_version_no_revision_holds_falls_back_to_the_two_latest(self, editor_client):
        article = ArticleFactory()
        for headline in ["One", "Two", "Three"]:
            save_in_admin(editor_client, article, headline=headline)
        latest, previous, _ = versions_of(article)

        for since in ["1", "99", ""]:
            response = editor_client.get(compare_url(article), {"since": since})
            assert response.status_code == 200, since
            assert sides(response) == {"before": previous.pk, "after": latest.pk}, since

    def test_the_conflict_link_shows_what_the_other_editor_changed(self, make_staff):
        article = ArticleFactory(headline="The original headline")
        ana, ben = logged_in(make_staff("ana", "Editors")), logged_in(make_staff("ben", "Editors"))
        save_in_admin(ben, article, dek="Ben's dek, saved as version 2.")
        ben_form = form_data(ben.get(change_url(article)), "article_form")
        save_in_admin(ana, article, headline="Ana's headline")
        refused = ben.post(change_url(article), {**ben_form, "headline": "Ben's headline"})
        link = soup_of(refused).select_one(".rs-conflict a")["href"]

        response = ben.get(link)
        assert response.status_code == 200
        headline = diff_of(response, "headline")
        assert (headline["del"], headline["ins"]) == (["The original"], ["Ana's"])
        assert [s.get_text() for s in soup_of(response).select("tr.rs-side .rs-user")] == [
            "ben",
            "ana",
        ]

    def test_with_a_single_version_says_there_is_nothing_to_compare(self, editor_client):
        article = ArticleFactory()
        save_in_admin(editor_client, article, headline="Only once")
        response = editor_client.get(compare_url(article))
        assert response.status_code == 200
        assert sides(response) == {}
        assert soup_of(response).select("section.rs-diff") == []

    @pytest.mark.parametrize(
        "params",
        [{"a": "abc", "b": "1"}, {"a": "1"}, {"b": ""}, {"since": "two"}, {"a": "1.5", "b": "2"}],
    )
    def test_unreadable_choices_are_a_bad_request_with_a_message(self, editor_client, params):
        article = ArticleFactory()
        save_in_admin(editor_client, article, headline="Saved")
        response = editor_client.get(compare_url(article), params)
        assert response.status_code == 400
        assert soup_of(response).select_one(".errornote").get_text(strip=True)

    def test_versions_of_another_article_or_none_at_all_are_not_found(self, editor_client):
        article, other = ArticleFactory(), ArticleFactory()
        save_in_admin(editor_client, article, headline="Mine")
        save_in_admin(editor_client, other, headline="Not mine")
        [mine], [theirs] = versions_of(article), versions_of(other)

        for params in [
            {"a": mine.pk, "b": theirs.pk},
            {"a": mine.pk, "b": mine.pk + 1000},
            {"a": mine.pk, "b": 10**30},
            {"a": -1, "b": mine.pk},
        ]:
            assert editor_client.get(compare_url(article), params).status_code == 404, params
        unknown = reverse("admin:articles_article_compare", args=["nope"])
        assert editor_client.get(unknown).status_code == 404

    def test_query_count_does_not_grow_with_authors_tags_or_picks(self, editor_client):
        def count_queries(article):
            editor_client.get(compare_url(article))  # warm per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = editor_client.get(compare_url(article))
            assert response.status_code == 200
            assert set(sides(response)) == {"before", "after"}
            return len(queries)

        def article_with(n):
            article = ArticleFactory(
                authors=AuthorFactory.create_batch(n), tags=[f"Tag {n}-{i}" for i in range(n)]
            )
            for related in ArticleFactory.create_batch(n):
                RelatedStory.objects.create(article=article, related=related)
            save_in_admin(editor_client, article, headline="First save")
            save_in_admin(editor_client, article, headline="Second save")
            return article

        assert count_queries(article_with(1)) == count_queries(article_with(5))
