"""Two editors, one article: the second save of the same version is refused, and nothing is lost."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django import forms
from django.db.models import F
from django.test import Client
from django.urls import reverse

from articles.admin.forms import ArticleAdminForm
from articles.models import Article, RelatedStory
from tests.factories import ArticleFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def article():
    return ArticleFactory(headline="The original headline", body="<p>Original text.</p>")


@pytest.fixture
def two_editors(make_staff):
    clients = []
    for name in ("ana", "ben"):
        client = Client()
        client.force_login(make_staff(name, "Editors"))
        clients.append(client)
    return clients


def opened(client, article):
    """The form as the editor's browser holds it after opening the article."""
    return form_data(client.get(change_url(article)), "article_form")


class TestClaimVersion:
    def test_only_one_of_two_claims_on_the_same_version_wins(self, article):
        assert Article.objects.claim_version(article.pk, 1) is True
        assert Article.objects.claim_version(article.pk, 1) is False
        article.refresh_from_db()
        assert article.version == 2


class TestTwoEditors:
    def test_the_second_save_is_refused_with_its_text_kept(self, article, two_editors):
        ana, ben = two_editors
        ana_form, ben_form = opened(ana, article), opened(ben, article)

        ana_form.update(headline="Ana's headline", body="<p>Ana rewrote this.</p>")
        assert ana.post(change_url(article), ana_form).status_code == 302

        ben_form.update(headline="Ben's headline", body="<p>Ben rewrote this.</p>")
        refused = ben.post(change_url(article), ben_form)

        assert refused.status_code == 200
        page = soup_of(refused)
        notice = page.select_one(".rs-conflict")
        assert notice is not None
        assert "ana" in notice.get_text()
        assert page.select_one("input[name=headline]")["value"] == "Ben's headline"
        assert "Ben rewrote this." in page.select_one("textarea[name=body]").get_text()
        article.refresh_from_db()
        assert (article.headline, article.version) == ("Ana's headline", 2)

        link = urlsplit(notice.find("a")["href"])
        assert link.path == reverse("admin:articles_article_compare", args=[article.pk])
        assert parse_qs(link.query) == {"since": ["1"]}

    def test_saving_again_after_the_refusal_is_a_deliberate_overwrite(self, article, two_editors):
        ana, ben = two_editors
        ana_form, ben_form = opened(ana, article), opened(ben, article)
        ana.post(change_url(article), {**ana_form, "headline": "Ana's headline"})
        refused = ben.post(change_url(article), {**ben_form, "headline": "Ben's headline"})

        again = form_data(refused, "article_form")
        assert again["version"] == "2"
        assert ben.post(change_url(article), again).status_code == 302
        article.refresh_from_db()
        assert (article.headline, article.version) == ("Ben's headline", 3)

    def test_a_refused_save_changes_nothing_attached_either(self, article, two_editors):
        pick = ArticleFactory()
        ana, ben = two_editors
        ana_form, ben_form = opened(ana, article), opened(ben, article)
        ana.post(change_url(article), {**ana_form, "dek": "Ana's dek"})
        ben_form.update(
            {"related_picks-0-related": pick.pk, "related_picks-0-position": 0, "dek": "Ben's"}
        )
        assert ben.post(change_url(article), ben_form).status_code == 200
        assert not RelatedStory.objects.filter(article=article).exists()

    def test_the_database_decides_a_race_the_form_check_missed(
        self, article, two_editors, monkeypatch
    ):
        """A rival save commits after this form passed its own check: the conditional UPDATE
        refuses, everything rolls back, and the editor sees the refusal with their text."""
        ana, _ = two_editors
        form = opened(ana, article)
        Article.objects.filter(pk=article.pk).update(
            headline="The rival's headline", version=F("version") + 1
        )
        real_clean = ArticleAdminForm.clean

        def clean_that_misses_the_rival(self):
            # The form's check ran a moment before the rival's commit, and saw nothing.
            monkeypatch.setattr(ArticleAdminForm, "clean", real_clean)
            return forms.ModelForm.clean(self)

        monkeypatch.setattr(ArticleAdminForm, "clean", clean_that_misses_the_rival)
        response = ana.post(change_url(article), {**form, "headline": "Ana's headline"})

        assert response.status_code == 200
        page = soup_of(response)
        assert page.select_one(".rs-conflict") is not None
        assert page.select_one("input[name=headline]")["value"] == "Ana's headline"
        article.refresh_from_db()
        assert (article.headline, article.version) == ("The rival's headline", 2)

    def test_a_new_article_has_no_version_to_conflict_with(self, editor_client):
        page = editor_client.get(reverse("admin:articles_article_add"))
        assert soup_of(page).select_one("input[name=version]")["type"] == "hidden"
