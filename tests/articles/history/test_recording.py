"""Every save is a revision: through the form, a bulk action, and the baseline before the first."""

import pytest
from reversion.models import Revision

from tests.articles.admin.helpers import run_action, save_in_admin
from tests.articles.history.helpers import Status, compare_url, diff_of, restore_url, versions_of
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


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
