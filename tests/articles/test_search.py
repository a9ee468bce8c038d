"""What a search finds and in what order, the snippets it shows, and PostgreSQL's full-text
search beneath."""

from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, search_articles, search_vector, stored_document
from tests.articles.search_results import headlines, hours_ago, result_items, search_page
from tests.factories import ArticleFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db

# connection.vendor comes from the configured backend class: known at collection time,
# before any test database exists.
ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="full-text search is PostgreSQL's")


class TestWhatIsFound:
    def test_only_published_articles_are_found(self):
        published = ArticleFactory(headline="Embargo talks open in Geneva")
        ArticleFactory(headline="Embargo draft", status=Article.Status.DRAFT, published_at=None)
        ArticleFactory(headline="Embargo in review", status=Article.Status.REVIEW)
        ArticleFactory(headline="Embargo scheduled", published_at=timezone.now() + timedelta(1))
        ArticleFactory(headline="Embargo taken down", status=Article.Status.UNPUBLISHED)
        trashed = ArticleFactory(headline="Embargo in the trash")
        Article.objects.filter(pk=trashed.pk).move_to_trash()

        assert headlines(search_articles("embargo")) == [published.headline]

    def test_a_scheduled_article_is_found_once_its_time_has_come(self):
        article = ArticleFactory(
            headline="Embargo lifted", published_at=timezone.now() + timedelta(hours=1)
        )
        assert search_articles("embargo").count() == 0
        Article.objects.filter(pk=article.pk).update(published_at=hours_ago(1))
        assert headlines(search_articles("embargo")) == ["Embargo lifted"]

    def test_every_word_must_match(self):
        ArticleFactory(headline="Embargo on oil exports", body="<p>Tankers wait.</p>")
        ArticleFactory(headline="Embargo on grain", body="<p>Ships wait.</p>")
        ArticleFactory(headline="Oil prices fall", body="<p>Markets shrug.</p>")

        assert headlines(search_articles("embargo oil")) == ["Embargo on oil exports"]

    def test_matches_in_the_dek_and_body_are_found(self):
        ArticleFactory(headline="One", dek="The embargo bites.", body="<p>Nothing.</p>")
        ArticleFactory(headline="Two", dek="Nothing.", body="<p>An <em>embargo</em> looms.</p>")
        ArticleFactory(headline="Three", dek="Nothing.", body="<p>Nothing at all.</p>")

        assert sorted(headlines(search_articles("embargo"))) == ["One", "Two"]

    def test_a_headline_match_comes_before_a_newer_body_match(self):
        ArticleFactory(
            headline="Sanctions on the Gulf",
            body="<p>Old news.</p>",
            published_at=hours_ago(48),
        )
        ArticleFactory(
            headline="Shipping rates climb",
            body="<p>Brokers blame new sanctions.</p>",
            published_at=hours_ago(1),
        )

        assert headlines(search_articles("sanctions")) == [
            "Sanctions on the Gulf",
            "Shipping rates climb",
        ]

    def test_equal_matches_come_newest_first(self):
        for hours in (30, 10, 20):
            ArticleFactory(headline=f"Embargo, {hours} hours ago", published_at=hours_ago(hours))

        assert headlines(search_articles("embargo")) == [
            "Embargo, 10 hours ago",
            "Embargo, 20 hours ago",
            "Embargo, 30 hours ago",
        ]

    @pytest.mark.parametrize("query", ["", "   ", "\n\t", None])
    def test_an_empty_query_finds_nothing(self, query):
        ArticleFactory(headline="Anything at all")
        assert list(search_articles(query)) == []
        assert search_articles(query).count() == 0

    def test_a_very_long_query_is_cut_short(self):
        ArticleFactory(headline="Embargo talks")
        results = search_articles("embargo " + "x" * 5000)

        assert len(results.query) == MAX_QUERY_LENGTH
        assert results.count() == 0

    def test_a_nul_byte_in_the_query_is_harmless(self):
        ArticleFactory(headline="Embargo talks")
        assert headlines(search_articles("embargo\x00")) == ["Embargo talks"]


class TestSnippets:
    def test_the_matching_word_is_marked(self):
        ArticleFactory(
            headline="Shipping rates",
            body="<p>Opening words.</p><p>Insurers now price the embargo into every cargo.</p>",
        )
        (article,) = search_articles("embargo")

        assert "<mark>embargo</mark>" in article.snippet
        assert "Insurers now price the" in article.snippet

    def test_a_headline_only_match_shows_the_opening_unmarked(self):
        ArticleFactory(
            headline="Embargo talks", dek="", body="<p>The talks open on Monday in Geneva.</p>"
        )
        (article,) = search_articles("embargo")

        assert "The talks open on Monday" in article.snippet
        assert "<mark>" not in article.snippet

    def test_html_in_the_text_is_escaped_and_marks_are_the_only_tags(self):
        ArticleFactory(
            headline="<b>Bold</b> embargo",
            dek="Tom & Jerry <i>embargo</i>",
            body="<p>&lt;script&gt;alert(1)&lt;/script&gt; the embargo &amp; more.</p>",
        )
        (article,) = search_articles("embargo")

        assert "<script>" not in article.snippet
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article.snippet
        assert "&lt;i&gt;<mark>embargo</mark>&lt;/i&gt;" in article.snippet
        assert "embargo</mark> &amp; more" in article.snippet
        assert "&amp;amp;" not in article.snippet
        assert "&amp;lt;" not in article.snippet

    def test_the_page_shows_escaped_text_and_marked_snippets(self, client):
        ArticleFactory(
            headline="<b>Bold</b> embargo",
            body="<p>&lt;script&gt;alert(1)&lt;/script&gt; the embargo holds.</p>",
        )
        response = search_page(client, q="embargo")

        (item,) = result_items(response)
        assert item.find("script") is None
        assert item.find("b") is None
        assert item.h2.get_text(strip=True) == "<b>Bold</b> embargo"
        snippet = item.select_one(".search-result__snippet")
        assert {tag.name for tag in snippet.find_all(True)} == {"mark"}
        assert "<script>alert(1)</script>" in snippet.get_text()
        assert [mark.get_text() for mark in snippet.find_all("mark")] == ["embargo"]

    def test_a_long_body_gives_a_short_snippet_around_the_match(self):
        filler = "<p>" + "Nothing to see here. " * 200 + "</p>"
        ArticleFactory(headline="Long read", body=filler + "<p>At last, the embargo.</p>" + filler)
        (article,) = search_articles("embargo")

        assert "<mark>embargo</mark>" in article.snippet
        assert len(article.snippet.split()) < 80


@postgresql_only
class TestFullTextSearch:
    def test_a_common_word_ranks_only_the_newest_matches(self, client, monkeypatch):
        monkeypatch.setattr("articles.search.RANKED_WINDOW", 3)
        ArticleFactory(headline="Ports, ports, ports", published_at=hours_ago(50))
        for hours in range(1, 5):
            ArticleFactory(
                headline=f"Budget {hours}", body="<p>Ports.</p>", published_at=hours_ago(hours)
            )
        results = search_articles("ports")
        assert results.count() == 3 and results.is_window_full
        assert headlines(results) == ["Budget 1", "Budget 2", "Budget 3"]

        status = soup_of(search_page(client, q="ports")).select_one(".search__count")
        assert status.get_text(" ", strip=True).startswith("More than 3 articles found")

    def test_a_rare_word_ranks_every_match(self):
        ArticleFactory(headline="Ports, ports, ports", published_at=hours_ago(50))
        ArticleFactory(headline="Budget", body="<p>Ports.</p>", published_at=hours_ago(1))
        results = search_articles("ports")
        assert headlines(results) == ["Ports, ports, ports", "Budget"]
        assert not results.is_window_full

    def test_stemming_finds_other_forms_of_a_word(self):
        ArticleFactory(headline="Exporters sanctioned", body="<p>Three firms.</p>")
        (article,) = search_articles("sanctions")
        assert article.headline == "Exporters sanctioned"

    def test_the_stemmed_match_is_marked_in_the_snippet(self):
        ArticleFactory(headline="Trade", body="<p>Three firms were sanctioned on Monday.</p>")
        (article,) = search_articles("sanctions")
        assert "<mark>sanctioned</mark>" in article.snippet

    def test_results_carry_a_rank_best_first(self):
        ArticleFactory(headline="Drones", body="<p>Drones and more drones.</p>", dek="")
        ArticleFactory(headline="Budgets", body="<p>One word on drones.</p>", dek="")
        ranks = [article.rank for article in search_articles("drones")]
        assert len(ranks) == 2
        assert ranks == sorted(ranks, reverse=True)
        assert ranks[0] > ranks[1] > 0

    def test_a_headline_match_outranks_many_body_matches(self):
        ArticleFactory(headline="Sanctions", body="<p>Nothing.</p>", published_at=hours_ago(72))
        ArticleFactory(
            headline="Markets",
            body="<p>" + "Sanctions, more sanctions. " * 20 + "</p>",
            published_at=hours_ago(1),
        )
        assert headlines(search_articles("sanctions")) == ["Sanctions", "Markets"]

    def test_tag_names_in_the_body_are_not_matched(self):
        ArticleFactory(headline="Budgets", body="<p><strong>Bold</strong> and <em>plain</em>.</p>")
        assert search_articles("strong").count() == 0
        assert search_articles("bold").count() == 1

    def test_websearch_syntax_excludes_and_quotes(self):
        ArticleFactory(headline="Oil embargo", body="<p>Tankers.</p>")
        ArticleFactory(headline="Grain embargo", body="<p>Silos.</p>")
        assert headlines(search_articles("embargo -grain")) == ["Oil embargo"]
        assert headlines(search_articles('"grain embargo"')) == ["Grain embargo"]

    def test_a_query_of_stop_words_finds_nothing(self):
        ArticleFactory(headline="The and of")
        assert search_articles("the and of").count() == 0

    def test_the_search_index_covers_the_stored_document(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes "
                "WHERE tablename = 'articles_article' AND indexname = 'article_search_idx'"
            )
            (indexdef,) = cursor.fetchone()
        assert "USING gin (search_document)" in indexdef

    def test_the_stored_document_is_the_search_vector_of_the_row(self):
        # The generated column (migration 0011) and search_vector() must not drift apart.
        article = ArticleFactory(
            headline="Grain corridor", dek="Ships and <insurers>", body="<p><em>Odesa</em></p>"
        )
        Article.objects.filter(pk=article.pk).update(body="<p><strong>Danube</strong> ports</p>")
        for source in (
            ArticleFactory(headline="Budget talks", dek="", body="<p>Nothing new.</p>"),
            article,
        ):
            stored, computed = (
                Article.objects.filter(pk=source.pk)
                .annotate(stored=stored_document(), computed=search_vector())
                .values_list("stored", "computed")
                .get()
            )
            assert stored == computed
            assert stored
        assert "danub" in stored and "odesa" not in stored

    def test_the_search_query_uses_the_index(self):
        for number in range(30):
            ArticleFactory(headline=f"Budget story {number}")
        # On a table this small the planner may rightly prefer the publication index for the
        # full query, so the match alone is planned, with scans other than the GIN index off.
        assert ".search_document @@" in str(search_articles("embargo").queryset.query)
        matching = Article.objects.alias(document=stored_document()).filter(
            document=SearchQuery("embargo", config="english", search_type="websearch")
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            sql, params = matching.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row for (row,) in cursor.fetchall())
        assert "Bitmap Index Scan on article_search_idx" in plan, plan
