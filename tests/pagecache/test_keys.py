"""Only pages that exist are stored, each once, whatever the address it was asked for by."""

import pytest
from django.urls import reverse

from rs_cms.pagecache.generation import local
from tests.factories import ArticleFactory
from tests.pagecache.pages import count_queries, listing_pages, warm

pytestmark = pytest.mark.django_db


class TestMadeUpPages:
    """Only pages that exist are stored, each once: a made-up address costs a render, never
    a place in the cache (issue 13, defect 6)."""

    @pytest.fixture
    def long_section(self, newsroom):
        ArticleFactory.create_batch(13, section=newsroom.section)
        return newsroom.section.get_absolute_url()

    def test_page_numbers_past_the_last_are_not_found_and_not_stored(self, reader, long_section):
        for number in range(500000, 500010):
            response = reader.get(f"{long_section}?page={number}")
            assert response.status_code == 404
            assert "X-Page-Cache" not in response
        assert not local.pages

    @pytest.mark.parametrize("listing", ["tag", "author", "kind"])
    def test_no_listing_stores_a_page_past_its_last(self, reader, newsroom, listing):
        url = listing_pages(newsroom)[["home", "section", "tag", "author", "kind"].index(listing)]
        for page in ("2", "99", "999999", "0"):
            assert reader.get(f"{url}?page={page}").status_code == 404
        assert not local.pages

    def test_other_hosts_are_served_but_never_stored(self, reader, newsroom, settings):
        settings.ALLOWED_HOSTS = ["testserver", "localhost"]
        url = newsroom.story.get_absolute_url()
        for port in range(1, 6):
            for _ in range(2):
                response, queries = count_queries(
                    lambda port=port: reader.get(url, headers={"host": f"localhost:{port}"})
                )
                assert response.status_code == 200
                assert "X-Page-Cache" not in response and queries > 0
        assert not local.pages
        warm(reader, [url])
        assert len(local.pages) == 1

    def test_the_canonical_host_in_capitals_shares_the_page(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        assert reader.get(url, headers={"host": "TestServer"})["X-Page-Cache"] == "hit"

    @pytest.mark.parametrize(
        ("query", "same_as"),
        [
            ("page=02", "page=2"),
            ("page=000002", "page=2"),
            ("page=2&utm_source=newsletter", "page=2"),
            ("page=1", ""),
            ("page=01&fbclid=abc", ""),
            ("utm_medium=email&utm_source=news", "utm_source=news&utm_medium=email"),
        ],
    )
    def test_one_page_is_stored_once_whatever_its_query_string(
        self, reader, long_section, query, same_as
    ):
        warm(reader, [f"{long_section}?{same_as}"])
        response, queries = count_queries(lambda: reader.get(f"{long_section}?{query}"))
        assert (response.status_code, response["X-Page-Cache"], queries) == (200, "hit", 0)
        assert len(local.pages) == 1

    @pytest.mark.parametrize("url", ["/", "/feeds/rss/", "/sitemap.xml", "/robots.txt"])
    def test_a_page_number_on_a_page_without_pages_is_not_stored(self, reader, newsroom, url):
        warm(reader, [url])
        for page in range(2, 6):
            response = reader.get(f"{url}?page={page}")
            assert response.status_code == 200
            assert "X-Page-Cache" not in response
        assert len(local.pages) == 1

    def test_a_sitemap_page_past_the_last_is_not_stored(self, reader, newsroom):
        url = reverse("sitemap-section", kwargs={"section": "articles"})
        for page in ("2", "500000", "abc"):
            assert reader.get(f"{url}?p={page}").status_code == 404
        assert not local.pages
        warm(reader, [url])
        assert reader.get(f"{url}?p=1")["X-Page-Cache"] == "hit"
