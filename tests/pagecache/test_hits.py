"""A hit: the page from the cache, cheaply."""

import pytest
from django.urls import reverse

from rs_cms.pagecache.generation import local
from tests.factories import ArticleFactory
from tests.pagecache.pages import count_queries, every_public_page, warm

pytestmark = pytest.mark.django_db


class TestHits:
    def test_every_public_page_is_served_from_the_cache_without_a_query(
        self, reader, newsroom, django_assert_num_queries
    ):
        for url in every_public_page(newsroom):
            assert reader.get(url)["X-Page-Cache"] == "miss", url
            with django_assert_num_queries(0):
                response = reader.get(url)
            assert (response.status_code, response["X-Page-Cache"]) == (200, "hit"), url

    def test_a_hit_is_the_page_as_rendered(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        first = reader.get(url)
        again = reader.get(url)
        assert again.content == first.content
        for header in ("Content-Type", "ETag", "X-Frame-Options"):
            assert again[header] == first[header]

    def test_head_is_answered_from_the_page_a_get_stored(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        reader.get(url)
        response, queries = count_queries(lambda: reader.head(url))
        assert (response.status_code, response["X-Page-Cache"], queries) == (200, "hit", 0)
        assert response.content == b""

    def test_a_head_request_alone_stores_nothing(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        reader.head(url)
        assert reader.get(url)["X-Page-Cache"] == "miss"

    def test_tracking_parameters_share_the_page_and_page_numbers_do_not(self, reader, newsroom):
        home = reverse("articles:home")
        section = newsroom.section.get_absolute_url()
        ArticleFactory.create_batch(12, section=newsroom.section)
        warm(reader, [home, section])

        shared = reader.get(f"{home}?utm_source=newsletter&utm_medium=email&fbclid=abc")
        assert shared["X-Page-Cache"] == "hit"
        assert reader.get(f"{section}?page=2")["X-Page-Cache"] == "miss"
        assert reader.get(f"{section}?page=2")["X-Page-Cache"] == "hit"

    @pytest.mark.parametrize(
        "query", ["q=anything", "a=1&b=2", "page=abc", "page=1&page=2", "page=%C2%B2", "page=last"]
    )
    def test_other_query_strings_are_never_stored(self, reader, newsroom, query):
        url = f"{newsroom.section.get_absolute_url()}?{query}"
        for _ in range(2):
            response, queries = count_queries(lambda: reader.get(url))
            assert response.status_code in (200, 404)
            assert "X-Page-Cache" not in response
            assert queries > 0
        assert not local.pages

    def test_switched_off_with_zero_seconds(self, reader, newsroom, settings):
        settings.PAGE_CACHE_SECONDS = 0
        url = newsroom.story.get_absolute_url()
        reader.get(url)
        response, queries = count_queries(lambda: reader.get(url))
        assert "X-Page-Cache" not in response and queries > 0
