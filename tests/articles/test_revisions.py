"""An article's saved versions: every save is one, the history lists them, compare, restore."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Revision, Version
from taggit.models import Tag

from articles.history.snapshots import KEPT_FIELDS, RESTORED_FIELDS
from articles.models import Article, RelatedStory
from articles.services import restore_revision
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture(autouse=True)
def no_baselines(request, monkeypatch):
    """Factory articles have no revision; the admin would first record one as a baseline.

    These tests count revisions made by saves, so they leave the baseline out; TestBaseline
    (which asks for `with_baselines`) checks it."""
    if "with_baselines" not in request.fixturenames:
        monkeypatch.setattr("articles.history.records.record_baselines", lambda articles: None)


@pytest.fixture
def with_baselines():
    """The admin records a baseline revision before an article's first change."""


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def versions_of(article):
    """The article's Version rows, newest first."""
    return list(Version.objects.get_for_object(article).select_related("revision__user"))


def save_in_admin(client, article, **changes):
    """Open the article's form as a browser would, change some fields, save."""
    data = form_data(client.get(change_url(article)), "article_form")
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, soup_of(response).select(".errorlist")
    return response


def run_action(client, action, articles):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [article.pk for article in articles]}
    )


def logged_in(user):
    """A browser of its own: pytest-django's `client` is shared by the *_client fixtures."""
    client = Client()
    client.force_login(user)
    return client


def history_rows(response):
    return [
        {
            "version": int(row["data-version"]),
            "date": row.select_one(".rs-date").get_text(strip=True),
            "user": row.select_one(".rs-user").get_text(strip=True),
            "comment": row.select_one(".rs-comment").get_text(strip=True),
            "headline": row.select_one(".rs-headline").get_text(strip=True),
            "restore": row.select_one(".rs-restore button"),
        }
        for row in soup_of(response).select("#rs-compare tr.rs-revision")
    ]


def diff_of(response, name):
    """The compared field's paragraph(s): their text, and the words marked deleted and inserted."""
    section = soup_of(response).select_one(f"section.rs-diff[data-field={name}]")
    assert section is not None, f"no diff of {name}"
    paragraphs = section.select("p.rs-block") if name == "body" else section.select("p")
    return {
        "text": [p.get_text() for p in paragraphs],
        "del": [tag.get_text() for tag in section.select("del")],
        "ins": [tag.get_text() for tag in section.select("ins")],
    }


def field_row(response, name):
    row = soup_of(response).select_one(f"table.rs-fields tr[data-field={name}]")
    assert row is not None, f"no row for {name}"
    return {
        "changed": "rs-changed" in row.get("class", []),
        "before": [item.get_text() for item in row.select(".rs-before .rs-item")],
        "after": [item.get_text() for item in row.select(".rs-after .rs-item")],
        "removed": [tag.get_text() for tag in row.select(".rs-before del")],
        "added": [tag.get_text() for tag in row.select(".rs-after ins")],
    }


def sides(response):
    return {
        row["data-side"]: int(row["data-version"]) for row in soup_of(response).select("tr.rs-side")
    }


class TestRevisionsAreRecorded:
    def test_each_admin_save_makes_a_revision_with_its_user_and_comment(
        self, editor_client, editor
    ):
        article = ArticleFactory(headline="Ports and power")
        save_in_admin(editor_client, article, headline="Ports, power and the strait")
        save_in_admin(editor_client, article, dek="A new dek.")

        newest, oldest = versions_of(article)
        assert newest.revision.user == editor
        assert newest.revision.get_comment() == "Changed Dek."
        assert newest.field_dict["dek"] == "A new dek."
        assert oldest.revision.user == editor
        assert oldest.revision.get_comment() == "Changed Headline."
        assert oldest.field_dict["headline"] == "Ports, power and the strait"
        assert oldest.field_dict["version"] == 2

    def test_bulk_publish_makes_one_revision_holding_every_article(self, editor_client, editor):
        drafts = ArticleFactory.create_batch(2, status=Status.DRAFT, published_at=None)
        bystander = ArticleFactory(status=Status.DRAFT, published_at=None)
        assert run_action(editor_client, "publish_now", drafts).status_code == 302

        [revision] = Revision.objects.all()
        assert revision.user == editor
        assert revision.get_comment() == "Published now (bulk action)."
        stored = {
            int(version.object_id): version.field_dict["status"]
            for version in revision.version_set.filter(content_type__model="article")
        }
        assert stored == {drafts[0].pk: Status.PUBLISHED, drafts[1].pk: Status.PUBLISHED}
        assert versions_of(bystander) == []


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


@pytest.fixture
def bulk_revision(editor_client):
    """Two articles in review, put there together by one bulk action; then both move on.

    The first is published and rewritten through the form: another headline, dek and body,
    tags changed, its byline reordered, its related story swapped. The second is edited too."""
    zoe, amir = AuthorFactory(name="Zoe Adler"), AuthorFactory(name="Amir Bakr")
    first_pick = ArticleFactory(headline="Cables under the sea")
    later_pick = ArticleFactory(headline="Ports and power")
    article = ArticleFactory(
        headline="Shipping lanes under strain",
        dek="Why the strait matters.",
        body="<p>The strait is busy.</p><p>Cranes stand idle.</p>",
        status=Status.DRAFT,
        published_at=None,
        authors=[zoe, amir],
        tags=["Energy", "Asia"],
    )
    RelatedStory.objects.create(article=article, related=first_pick, position=0)
    lea = AuthorFactory(name="Lea Chen")
    other = ArticleFactory(
        headline="Elections in the Pacific", status=Status.DRAFT, authors=[lea], tags=["Pacific"]
    )
    RelatedStory.objects.create(article=other, related=later_pick)
    assert run_action(editor_client, "submit_for_review", [article, other]).status_code == 302
    [in_bulk] = versions_of(article)

    save_in_admin(
        editor_client,
        article,
        headline="Shipping lanes near collapse",
        dek="A new dek.",
        body="<p>The strait is jammed.</p><p>New paragraph.</p>",
        status=Status.PUBLISHED,
        tags="Asia, Shipping",
        **{
            "bylines-0-position": "1",
            "bylines-1-position": "0",
            "related_picks-0-DELETE": "on",
            "related_picks-1-related": later_pick.pk,
            "related_picks-1-position": "0",
        },
    )
    # A tag nobody uses any more may be deleted; a restore brings it back.
    Tag.objects.filter(name="Energy").delete()
    save_in_admin(editor_client, other, headline="Elections, later")
    article.refresh_from_db()
    assert article.ordered_authors == [amir, zoe]
    return {
        "article": article,
        "other": Article.objects.get(pk=other.pk),
        "version": in_bulk,
        "authors": [zoe, amir],
        "first_pick": first_pick,
    }


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


class TestBaseline:
    """An article made outside the admin (load_demo, an import) gets a first revision of its
    state before the newsroom's first change, so that state can be compared and restored."""

    def test_the_first_save_keeps_what_came_before(self, with_baselines, editor_client):
        article = ArticleFactory(headline="As imported", tags=["Ports"])
        save_in_admin(editor_client, article, headline="As edited", tags="Ports, Energy")

        latest, baseline = versions_of(article)
        assert baseline.revision.user is None
        assert baseline.revision.get_comment() == (
            "As it was before its first change in the newsroom."
        )
        assert baseline.field_dict["headline"] == "As imported"
        assert latest.field_dict["headline"] == "As edited"

        headline = diff_of(editor_client.get(compare_url(article)), "headline")
        assert (headline["del"], headline["ins"]) == (["imported"], ["edited"])

        editor_client.post(restore_url(article, baseline))
        article.refresh_from_db()
        assert article.headline == "As imported"
        assert sorted(article.tags.names()) == ["Ports"]

    def test_only_once(self, with_baselines, editor_client):
        article = ArticleFactory()
        save_in_admin(editor_client, article, headline="One")
        save_in_admin(editor_client, article, headline="Two")
        assert len(versions_of(article)) == 3

    def test_a_bulk_action_keeps_what_came_before_too(self, with_baselines, editor_client):
        draft = ArticleFactory(status=Status.DRAFT, published_at=None)
        run_action(editor_client, "publish_now", [draft])
        latest, baseline = versions_of(draft)
        assert baseline.field_dict["status"] == Status.DRAFT
        assert latest.field_dict["status"] == Status.PUBLISHED
