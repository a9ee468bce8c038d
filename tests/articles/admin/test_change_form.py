"""Changing an article: its update date, the link to the site, the top image and picks."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, RelatedStory
from tests.articles.admin.helpers import change_url, save_in_admin
from tests.factories import ArticleFactory, ImageFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


class TestUpdatedAt:
    @pytest.fixture
    def published(self):
        two_hours_ago = timezone.now() - timedelta(hours=2)
        return ArticleFactory(
            headline="Original headline", published_at=two_hours_ago, updated_at=two_hours_ago
        )

    def edit(self, client, article, **changes):
        save_in_admin(client, article, **changes)
        article.refresh_from_db()
        return article

    def dates_line(self, article):
        page = Client().get(article.get_absolute_url())
        assert page.status_code == 200
        return soup_of(page).select_one(".article__dates").get_text(" ", strip=True)

    def test_a_new_headline_marks_the_article_updated(self, editor_client, published):
        assert "Updated" not in self.dates_line(published)

        before = timezone.now()
        article = self.edit(editor_client, published, headline="Sharper headline")

        assert article.headline == "Sharper headline"
        assert before <= article.updated_at <= timezone.now()
        assert "Updated" in self.dates_line(article)

    @pytest.mark.parametrize(
        "changes",
        [
            {"seo_title": "Search title", "seo_description": "For search engines."},
            {"status": Article.Status.UNPUBLISHED},
            {"show_donation_appeal": ""},
        ],
        ids=["seo", "status", "appeal"],
    )
    def test_other_changes_leave_updated_at_alone(self, editor_client, published, changes):
        original = published.updated_at

        article = self.edit(editor_client, published, **changes)

        assert article.updated_at == original
        for field, value in changes.items():
            if value:
                assert getattr(article, field) == value

    def test_seo_change_shows_no_updated_date(self, editor_client, published):
        article = self.edit(editor_client, published, seo_title="Search title")

        assert article.seo_title == "Search title"
        assert "Updated" not in self.dates_line(article)


class TestViewOnSite:
    def test_link_leads_to_the_public_url(self, admin_client):
        article = ArticleFactory()
        link = soup_of(admin_client.get(change_url(article))).select_one("a.viewsitelink")

        response = admin_client.get(link["href"])

        assert response.status_code == 302
        # Without django.contrib.sites the shortcut view redirects to this host.
        assert response["Location"] == f"http://testserver{article.get_absolute_url()}"

    def test_draft_preview_is_for_staff_only_and_never_cached(self, editor_client):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="Not yet")
        link = soup_of(editor_client.get(change_url(draft))).select_one("a.viewsitelink")
        url = urlsplit(editor_client.get(link["href"])["Location"]).path
        assert url == draft.get_absolute_url()

        response = editor_client.get(url)

        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.find("h1").get_text(strip=True) == "Not yet"
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-cache", "no-store", "private"} <= cache_control
        assert Client().get(url).status_code == 404


class TestChangeForm:
    def test_related_inline_query_count_does_not_grow_with_picks(self, editor_client):
        def count(article):
            with CaptureQueriesContext(connection) as queries:
                assert editor_client.get(change_url(article)).status_code == 200
            return len(queries)

        one, four = ArticleFactory(), ArticleFactory()
        RelatedStory.objects.create(
            article=one, related=ArticleFactory(top_image=ImageFactory()), position=0
        )
        for position in range(4):
            RelatedStory.objects.create(
                article=four, related=ArticleFactory(top_image=ImageFactory()), position=position
            )
        editor_client.get(change_url(one))
        # Django's autocomplete widget looks up each row's chosen article (two queries a
        # row, its own cost); the teaser photo column must add nothing on top of that.
        assert count(four) - count(one) == 2 * 3

    def test_image_card_gives_the_picked_photo_and_its_credit(self, editor_client):
        image = ImageFactory(caption="Cranes.", credit="Photo: J. Lin / Wire")
        url = reverse("admin:articles_image_card", kwargs={"pk": image.pk})

        card = editor_client.get(url).json()

        assert card == {
            "thumbnail": image.display_file.url,
            "alt_text": image.alt_text,
            "caption": "Cranes.",
            "credit": "Photo: J. Lin / Wire",
        }
        assert editor_client.get(url.replace(f"/{image.pk}/", "/999999/")).status_code == 404
        assert Client().get(url).status_code == 302  # to the login page

    def test_change_form_shows_the_top_image_and_its_credit(self, editor_client):
        article = ArticleFactory(top_image=ImageFactory(credit="Photo: R. Amari / Agency"))
        card = soup_of(editor_client.get(change_url(article))).select_one(".rs-image-card")
        assert card.img["src"] == article.top_image.display_file.url
        assert "Credit: Photo: R. Amari / Agency" in card.get_text()
