"""Narrowing a search to one section or one kind of article."""

import pytest

from articles.models import Article
from articles.search import search_articles
from tests.articles.search_results import headlines, result_items, search_page
from tests.factories import ArticleFactory, SectionFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


class TestFilters:
    @pytest.fixture
    def articles(self):
        asia = SectionFactory(name="Asia-Pacific", slug="asia-pacific")
        gulf = SectionFactory(name="Middle East", slug="middle-east")
        return {
            "asia analysis": ArticleFactory(
                headline="Embargo in Asia", section=asia, kind=Article.Kind.ANALYSIS
            ),
            "asia news": ArticleFactory(
                headline="Embargo news from Asia", section=asia, kind=Article.Kind.NEWS
            ),
            "gulf news": ArticleFactory(
                headline="Embargo news from the Gulf", section=gulf, kind=Article.Kind.NEWS
            ),
        }

    def test_section_keeps_one_section(self, articles):
        found = search_articles("embargo", section="asia-pacific")
        assert sorted(headlines(found)) == ["Embargo in Asia", "Embargo news from Asia"]

    def test_kind_keeps_one_kind(self, articles):
        found = search_articles("embargo", kind=Article.Kind.NEWS)
        assert sorted(headlines(found)) == ["Embargo news from Asia", "Embargo news from the Gulf"]

    def test_section_and_kind_together(self, articles):
        found = search_articles("embargo", section="middle-east", kind="news")
        assert headlines(found) == ["Embargo news from the Gulf"]

    def test_an_unknown_kind_is_ignored(self, articles):
        assert search_articles("embargo", kind="gossip").count() == 3

    @pytest.mark.parametrize("section", ["no-such-section", "bad slug!", "nul\x00"])
    def test_an_unknown_section_finds_nothing(self, articles, section):
        assert list(search_articles("embargo", section=section)) == []

    def test_the_page_filters_by_section_and_kind(self, client, articles):
        response = search_page(client, q="embargo", section="asia-pacific", kind="news")

        items = result_items(response)
        assert [item.h2.get_text(strip=True) for item in items] == ["Embargo news from Asia"]
        soup = soup_of(response)
        assert soup.select_one("#id_section option[selected]")["value"] == "asia-pacific"
        assert soup.select_one("#id_kind option[selected]")["value"] == "news"

    @pytest.mark.parametrize(
        "params",
        [
            {"section": "no-such-section"},
            {"kind": "gossip"},
            {"section": "nul\ufffd", "kind": "\ufffd"},
            {"section": "x" * 500, "kind": "x" * 500},
        ],
    )
    def test_the_page_drops_a_filter_that_is_not_valid(self, client, articles, params):
        response = search_page(client, q="embargo", **params)
        assert len(result_items(response)) == 3

    def test_the_selects_offer_every_section_and_kind_and_all(self, client, articles):
        soup = soup_of(search_page(client, q="embargo"))

        sections = [option["value"] for option in soup.select("#id_section option")]
        kinds = [option["value"] for option in soup.select("#id_kind option")]
        assert sections == ["", "asia-pacific", "middle-east"]
        assert kinds == ["", *Article.Kind.values]
        assert soup.select_one("#id_section option").get_text() == "All sections"
        assert soup.select_one("#id_kind option").get_text() == "All kinds"
