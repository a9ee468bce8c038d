"""Serving a redirect: only where no page answers, and at the cost of one query."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Redirect
from tests.articles.redirects.helpers import MIDDLEWARE, moved_to
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


class TestServing:
    @pytest.fixture
    def moved(self, asia):
        Redirect.objects.create(old_path="/asia-pacific/old/", new_path="/asia-pacific/")

    def test_the_query_string_goes_along(self, client, moved):
        assert moved_to(client, "/asia-pacific/old/", utm_source="feed", page="2") == (
            "/asia-pacific/?utm_source=feed&page=2"
        )

    def test_a_target_with_its_own_query_and_fragment(self, client):
        Redirect.objects.create(old_path="/old/", new_path="https://example.org/a?b=1#c")
        response = client.get("/old/", {"utm_source": "x"})
        assert response.status_code == 301
        assert response["Location"] == "https://example.org/a?b=1&utm_source=x#c"

    @pytest.mark.parametrize("path", ["/asia-pacific/old", "/asia-pacific/old/"])
    def test_with_or_without_the_trailing_slash(self, client, moved, path):
        assert moved_to(client, path) == "/asia-pacific/"

    def test_a_path_without_a_redirect_is_still_not_found(self, client, moved):
        response = client.get("/asia-pacific/never-was/")
        assert response.status_code == 404
        assert soup_of(response).h1.get_text() == "We can’t find that page"

    def test_a_live_page_wins_over_a_redirect(self, client, article):
        Redirect.objects.create(old_path=article.get_absolute_url(), new_path="/")
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_a_page_that_exists_costs_no_query(self, settings, article, django_assert_num_queries):
        url = article.get_absolute_url()
        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
        # A client builds its middleware chain once: a new one for each setting.
        without = Client()
        without.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert without.get(url).status_code == 200

        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
        with django_assert_num_queries(len(queries)):
            assert Client().get(url).status_code == 200

    def test_a_missing_page_costs_one_query_more(self, settings, moved, django_assert_num_queries):
        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
        Client().get("/asia-pacific/old/")  # warm the cached navigation
        with CaptureQueriesContext(connection) as queries:
            assert Client().get("/asia-pacific/old/").status_code == 404

        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
        with django_assert_num_queries(len(queries) + 1):
            assert Client().get("/asia-pacific/old/").status_code == 301
