"""One editorial rule, whatever the way in: the same change made through the admin's form, a
restore from the history, an admin action and a call from the shell (articles/services.py)
leaves the same stored result, and moves the page cache's generation once.

A restore cannot change the workflow and an action cannot change the text, so there are two
scenarios: an edit of the text (form, restore, shell) and a take-down (form, action, shell)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from articles import services
from articles.history import records
from articles.models import Article, PreviewLink
from rs_cms.pagecache import generation
from tests.factories import ArticleFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
LATER = timedelta(hours=1)


def change_url(article):
    return f"{CHANGELIST}{article.pk}/change/"


def post_form(client, article, **changes):
    data = form_data(client.get(change_url(article)), "article_form")
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, soup_of(response).select(".errorlist")


@pytest.fixture
def moves(monkeypatch):
    """moves(): how many times the content generation has moved at once since the last call
    (the move at the commit is the transaction's, and tests never commit)."""
    count = [0]
    original = generation.next_generation

    def counted():
        count[0] += 1
        original()

    monkeypatch.setattr(generation, "next_generation", counted)

    def read():
        seen, count[0] = count[0], 0
        return seen

    return read


@pytest.fixture
def story(editor):
    earlier = timezone.now() - timedelta(days=3)
    article = ArticleFactory(
        headline="Ports on edge",
        tags=["Shipping"],
        published_at=earlier,
        updated_at=earlier,
        created_by=editor,
    )
    PreviewLink.objects.create(article=article, expires_at=timezone.now() + timedelta(days=9))
    return article


@pytest.fixture
def topic():
    return Tag.objects.create(name="Straits", slug="straits")


def stored(article):
    """What the rules decide, as stored: compared across the ways in."""
    article = Article.objects.get(pk=article.pk)
    latest = Version.objects.get_for_object(article).select_related("revision__user").first()
    return {
        "headline": article.headline,
        "status": article.status,
        "topic_is_a_tag": article.topic_id in set(article.tags.values_list("pk", flat=True)),
        "version": article.version,
        "updated_at": article.updated_at,
        "working_share_links": article.preview_links.filter(revoked_at__isnull=True).count(),
        "revision_by": latest.revision.user.username if latest and latest.revision.user else None,
    }


def shell_copy(article, **changes):
    fresh = Article.objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(fresh, name, value)
    return fresh


# An edit of the text: a new headline and a topic the article is not tagged with yet.


def edit_in_form(client, editor, article, topic):
    return lambda: post_form(client, article, headline="Ports on the brink", topic=topic.pk)


def edit_by_restoring(client, editor, article, topic):
    # The version to bring back holds the edit; the article has moved on from it since.
    Article.objects.filter(pk=article.pk).update(headline="Ports on the brink", topic=topic)
    records.record_revisions(None, [article], "The edit, as once saved.")
    [edited] = Version.objects.get_for_object(article)[:1]
    Article.objects.filter(pk=article.pk).update(headline="Ports on edge", topic=None)
    url = f"{CHANGELIST}{article.pk}/history/{edited.pk}/restore/"
    return lambda: client.post(url)


def edit_in_shell(client, editor, article, topic):
    changed = shell_copy(article, headline="Ports on the brink", topic=topic)
    return lambda: services.save_article(changed, user=editor)


@pytest.mark.parametrize(
    "way_in", [edit_in_form, edit_by_restoring, edit_in_shell], ids=["form", "restore", "shell"]
)
def test_an_edit_of_the_text_is_stored_alike(
    editor_client, editor, story, topic, way_in, moves, time_machine
):
    act = way_in(editor_client, editor, story, topic)
    before = stored(story)
    time_machine.move_to(timezone.now() + LATER, tick=False)
    moves()

    act()

    assert moves() == 1
    assert stored(story) == {
        "headline": "Ports on the brink",
        "status": Article.Status.PUBLISHED,
        "topic_is_a_tag": True,
        "version": before["version"] + 1,
        "updated_at": timezone.now(),
        "working_share_links": 1,
        "revision_by": "editor",
    }


# A take-down: readers could see it, and then cannot; nor can anyone holding a share link.


def unpublish_in_form(client, editor, article):
    return lambda: post_form(client, article, status=Article.Status.UNPUBLISHED)


def unpublish_by_action(client, editor, article):
    data = {"action": "unpublish", "_selected_action": [article.pk]}
    return lambda: client.post(CHANGELIST, data)


def unpublish_in_shell(client, editor, article):
    changed = shell_copy(article, status=Article.Status.UNPUBLISHED)
    return lambda: services.save_article(changed, user=editor)


@pytest.mark.parametrize(
    "way_in",
    [unpublish_in_form, unpublish_by_action, unpublish_in_shell],
    ids=["form", "action", "shell"],
)
def test_a_take_down_is_stored_alike(editor_client, editor, story, way_in, moves, time_machine):
    act = way_in(editor_client, editor, story)
    before = stored(story)
    time_machine.move_to(timezone.now() + LATER, tick=False)
    moves()

    act()

    assert moves() == 1
    assert stored(story) == {
        **before,
        "status": Article.Status.UNPUBLISHED,
        "version": before["version"] + 1,
        "working_share_links": 0,
        "revision_by": "editor",
    }


def test_a_writer_cannot_publish_from_the_shell_either(writer):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=writer)
    changed = shell_copy(draft, status=Article.Status.PUBLISHED)

    with pytest.raises(ValidationError, match="Only editors can publish"):
        services.save_article(changed, user=writer)

    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_a_save_from_an_older_version_is_refused(editor, story):
    first = shell_copy(story, headline="First")
    second = shell_copy(story, headline="Second")
    services.save_article(first, user=editor)

    with pytest.raises(services.EditConflict):
        services.save_article(second, user=editor, expected_version=story.version)

    assert Article.objects.get(pk=story.pk).headline == "First"
