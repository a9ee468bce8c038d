"""The search page: its form, its messages, its pages and its queries; the header's search box."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.articles.search_results import SEARCH_URL, hours_ago, result_items, search_page
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


class TestSearchPage:
    def test_without_a_query_it_asks_for_one(self, client):
        ArticleFactory(headline="Embargo talks")
        response = search_page(client)

        soup = soup_of(response)
        assert "Type something to search" in soup.select_one(".empty").get_text()
        assert result_items(response) == []

    def test_a_blank_query_is_no_query(self, client):
        ArticleFactory(headline="Embargo talks")
        response = search_page(client, q="   ")
        assert "Type something to search" in response.content.decode()

    def test_no_match_says_so_with_the_query(self, client):
        ArticleFactory(headline="Embargo talks")
        response = search_page(client, q="<zebra>")

        empty = soup_of(response).select_one(".empty")
        assert "No articles match “<zebra>”" in empty.get_text()
        assert "<zebra>" not in response.content.decode()

    def test_no_match_with_filters_offers_to_drop_them(self, client):
        SectionFactory(slug="asia-pacific")
        ArticleFactory(headline="Embargo talks", kind=Article.Kind.NEWS)
        response = search_page(client, q="embargo", section="asia-pacific", kind="news")

        link = soup_of(response).select_one(".empty a")
        assert link["href"] == "?q=embargo"

    def test_each_result_shows_section_kind_headline_date_and_snippet(self, client):
        section = SectionFactory(name="Middle East", slug="middle-east")
        article = ArticleFactory(
            headline="Water before security",
            kind=Article.Kind.OPINION,
            section=section,
            body="<p>The region needs a water compact.</p>",
            authors=[AuthorFactory(name="Leila Mansour")],
        )
        response = search_page(client, q="compact")

        (item,) = result_items(response)
        label = item.select_one(".teaser__label").get_text(" ", strip=True)
        assert label == "Opinion | Middle East"
        assert item.h2.a["href"] == article.get_absolute_url()
        assert item.select_one("time")["datetime"] == article.published_at.isoformat(
            timespec="seconds"
        )
        assert "Leila Mansour" in item.select_one(".teaser__meta").get_text()
        assert item.select_one(".search-result__snippet mark").get_text() == "compact"
        count = soup_of(response).select_one(".search__count").get_text()
        assert count.startswith("1 article found")

    def test_the_form_keeps_the_query(self, client):
        response = search_page(client, q='embargo "oil"')

        soup = soup_of(response)
        field = soup.select_one(".search-page-form input[name=q]")
        assert field["type"] == "search"
        assert field["value"] == 'embargo "oil"'
        label = soup.select_one(f"label[for={field['id']}]")
        assert label is not None and label.get_text(strip=True)

    def test_the_page_is_not_indexed(self, client):
        soup = soup_of(search_page(client, q="embargo"))
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"

    def test_a_very_long_query_is_fine(self, client):
        ArticleFactory(headline="Embargo talks")
        search_page(client, q="embargo " * 2000)

    def test_a_nul_byte_in_the_query_is_a_bad_request(self, client):
        # PostgreSQL cannot hold it: RefuseNulMiddleware answers first (test_nul_bytes.py).
        response = client.get(SEARCH_URL, {"q": "embargo\x00"})
        assert response.status_code == 400

    def test_the_route_is_not_taken_for_a_section(self, client):
        assert reverse("articles:search") == "/search/"


class TestPagination:
    @pytest.fixture
    def thirteen(self):
        section = SectionFactory(slug="asia-pacific")
        for number in range(13):
            ArticleFactory(
                headline=f"Embargo {number:02}",
                section=section,
                kind=Article.Kind.NEWS,
                published_at=hours_ago(number + 1),
            )

    def test_twelve_a_page(self, client, thirteen):
        params = {"q": "embargo", "section": "asia-pacific", "kind": "news"}
        first = search_page(client, **params)
        second = search_page(client, **params, page=2)

        assert len(result_items(first)) == 12
        assert [item.h2.get_text(strip=True) for item in result_items(second)] == ["Embargo 12"]
        assert "13 articles found" in soup_of(first).select_one(".search__count").get_text()

    def test_page_links_keep_the_query_and_filters(self, client, thirteen):
        response = search_page(client, q="embargo", section="asia-pacific", kind="news")

        next_link = soup_of(response).select_one(".pagination a[rel=next]")
        assert next_link["href"] == "?q=embargo&section=asia-pacific&kind=news&page=2"
        response = client.get(SEARCH_URL + next_link["href"])
        previous = soup_of(response).select_one(".pagination a[rel=prev]")
        assert previous["href"] == "?q=embargo&section=asia-pacific&kind=news&page=1"

    @pytest.mark.parametrize(
        ("page", "shown"), [("abc", 12), ("999", 1), ("0", 1), ("-1", 1), ("", 12), ("1.5", 12)]
    )
    def test_a_bad_page_number_shows_a_real_page(self, client, thirteen, page, shown):
        response = search_page(client, q="embargo", page=page)
        assert len(result_items(response)) == shown

    def test_a_page_of_an_empty_search_is_fine(self, client):
        response = search_page(client, q="nothing-matches-this", page="7")
        assert "No articles match" in response.content.decode()


class TestQueryCount:
    def queries_for(self, client, **params):
        with CaptureQueriesContext(connection) as queries:
            search_page(client, **params)
        return len(queries)

    def test_query_count_is_fixed(self, client, django_assert_num_queries):
        section = SectionFactory(slug="asia-pacific")
        authors = [AuthorFactory(), AuthorFactory()]
        ArticleFactory(headline="Embargo first", section=section, authors=authors[:1])
        search_page(client)  # the navigation comes from the cache
        few = self.queries_for(client, q="embargo")
        for number in range(14):
            ArticleFactory(headline=f"Embargo {number}", section=section, authors=authors)
        search_page(client)  # new articles: the cached navigation is read again

        # Sections for the filter, count, page, bylines.
        with django_assert_num_queries(4):
            search_page(client, q="embargo")
        with django_assert_num_queries(4):
            search_page(client, q="embargo", page=2)
        # A section filter is checked against the database once.
        with django_assert_num_queries(5):
            search_page(client, q="embargo", section="asia-pacific", kind="analysis")
        assert few == 4

    def test_no_query_costs_no_search(self, client, django_assert_num_queries):
        ArticleFactory(headline="Embargo")
        search_page(client)  # the navigation comes from the cache
        # Sections for the filter.
        with django_assert_num_queries(1):
            search_page(client)


class TestHeaderForm:
    @pytest.mark.parametrize("url", ["/", SEARCH_URL])
    def test_every_page_has_a_search_box_in_the_header(self, client, url):
        ArticleFactory()
        response = client.get(url)
        assert response.status_code == 200

        form = soup_of(response).select_one(".site-header form.site-search")
        assert form["action"] == SEARCH_URL
        assert form["method"] == "get"
        assert form["role"] == "search"
        field = form.select_one("input[name=q]")
        assert field["type"] == "search"
        label = form.select_one(f"label[for={field['id']}]")
        assert label.get_text(strip=True) == "Search articles"
        assert form.select_one("button[type=submit]").get_text(strip=True) == "Search"

    def test_the_header_form_leads_to_results(self, client):
        ArticleFactory(headline="Embargo talks")
        response = client.get(SEARCH_URL, {"q": "embargo"})
        assert [item.h2.get_text(strip=True) for item in result_items(response)] == [
            "Embargo talks"
        ]
