"""Who sees the dashboard, and which of the articles in it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.articles.dashboard.panels import INDEX, PANELS, Status, article, headlines, panel
from tests.factories import ArticleFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


class TestWhoSeesIt:
    @pytest.mark.parametrize("role", ["Editors", "Writers", "Newsletter staff"])
    def test_staff_who_can_view_articles_see_the_dashboard(self, client, make_staff, role):
        client.force_login(make_staff("someone", role))
        soup = soup_of(client.get(INDEX))
        assert [section["id"] for section in soup.select(".newsroom-panel")] == [
            f"newsroom-{key}" for key in PANELS
        ]

    def test_staff_who_cannot_view_articles_do_not(self, client, django_user_model):
        ArticleFactory(headline="Private plans", status=Status.REVIEW)
        client.force_login(django_user_model.objects.create_user("guest", is_staff=True))

        response = client.get(INDEX)

        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.select(".newsroom-dashboard") == []
        assert soup.find(string=lambda text: "Private plans" in text) is None

    def test_a_writer_sees_their_own_drafts_but_not_a_colleagues(self, client, make_staff):
        writer, colleague = make_staff("writer", "Writers"), make_staff("colleague", "Writers")
        article("Mine in review", Status.REVIEW, created_by=writer)
        article("Theirs in review", Status.REVIEW, created_by=colleague)
        article("Theirs, old draft", Status.DRAFT, created_by=colleague, created_days_ago=30)
        article("Theirs, scheduled", Status.PUBLISHED, published_in=timedelta(days=1))
        client.force_login(writer)

        response = client.get(INDEX)

        assert headlines(panel(response, "review")) == ["Mine in review"]
        assert headlines(panel(response, "old-drafts")) == []
        assert headlines(panel(response, "scheduled")) == []

    def test_newsletter_staff_see_what_is_published_or_scheduled_only(self, client, make_staff):
        article("In review", Status.REVIEW)
        article("Coming out", Status.PUBLISHED, published_in=timedelta(days=1))
        client.force_login(make_staff("letters", "Newsletter staff"))

        response = client.get(INDEX)

        assert headlines(panel(response, "review")) == []
        assert headlines(panel(response, "scheduled")) == ["Coming out"]

    def test_the_dashboard_is_on_the_index_only(self, editor_client):
        response = editor_client.get(reverse("admin:app_list", args=["articles"]))

        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.select(".newsroom-dashboard") == []
        assert soup.select("#content-main .app-articles")
