"""Revisions made by saves, counted without the admin's baseline but where a test asks for it;
an article put in review by a bulk action, then rewritten."""

import pytest
from taggit.models import Tag

from articles.models import Article, RelatedStory
from tests.articles.admin.helpers import run_action, save_in_admin
from tests.articles.history.helpers import Status, versions_of
from tests.factories import ArticleFactory, AuthorFactory


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
