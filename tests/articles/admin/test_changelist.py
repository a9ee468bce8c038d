"""The article list: its columns, search, filters and query count."""

from datetime import timedelta

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from tests.articles.admin.helpers import ARTICLE_CHANGELIST, change_url, headlines
from tests.factories import ArticleFactory, ImageFactory, SectionFactory
from tests.forms import changelist_rows

pytestmark = pytest.mark.django_db


class TestArticleChangelist:
    def test_shows_the_columns_and_a_thumbnail(self, admin_client):
        section = SectionFactory(name="Asia-Pacific")
        article = ArticleFactory(
            headline="Shipping lanes under strain",
            section=section,
            kind=Article.Kind.OPINION,
            top_image=ImageFactory(alt_text="A tanker at anchor"),
            published_at=timezone.now() - timedelta(days=2),
        )
        response = admin_client.get(ARTICLE_CHANGELIST)
        assert response.status_code == 200
        [row] = changelist_rows(response)
        assert row["headline"].get_text(strip=True) == "Shipping lanes under strain"
        assert row["headline"].a["href"] == change_url(article)
        assert row["section"].get_text(strip=True) == "Asia-Pacific"
        assert row["kind"].get_text(strip=True) == "Opinion"
        assert row["status"].get_text(strip=True) == "Published"
        assert row["published_at"].get_text(strip=True) == date_format(
            timezone.localtime(article.published_at), "DATETIME_FORMAT"
        )
        thumb = row["thumb"].find("img", class_="rs-thumb")
        assert thumb["src"] == article.top_image.display_file.url
        assert thumb["alt"] == "A tanker at anchor"

    def test_article_without_a_top_image_has_no_thumbnail(self, admin_client):
        ArticleFactory(top_image=None)
        [row] = changelist_rows(admin_client.get(ARTICLE_CHANGELIST))
        assert row["thumb"].find("img") is None
        assert row["thumb"].get_text(strip=True) == "—"

    def test_search_finds_articles_by_headline(self, admin_client):
        ArticleFactory(headline="Shipping lanes under strain")
        ArticleFactory(headline="Elections in the Pacific")
        response = admin_client.get(ARTICLE_CHANGELIST, {"q": "shipping"})
        assert headlines(response) == ["Shipping lanes under strain"]

    def test_filters_narrow_the_rows(self, admin_client):
        europe = SectionFactory(name="Europe")
        asia = SectionFactory(name="Asia")
        ArticleFactory(headline="Draft in Europe", section=europe, status=Article.Status.DRAFT)
        ArticleFactory(headline="Opinion in Asia", section=asia, kind=Article.Kind.OPINION)
        ArticleFactory(headline="News in Europe", section=europe, kind=Article.Kind.NEWS)

        assert headlines(admin_client.get(ARTICLE_CHANGELIST)) == [
            "Draft in Europe",
            "News in Europe",
            "Opinion in Asia",
        ]
        assert headlines(admin_client.get(ARTICLE_CHANGELIST, {"status__exact": "draft"})) == [
            "Draft in Europe"
        ]
        by_section = admin_client.get(ARTICLE_CHANGELIST, {"section__id__exact": europe.pk})
        assert headlines(by_section) == ["Draft in Europe", "News in Europe"]
        assert headlines(admin_client.get(ARTICLE_CHANGELIST, {"kind__exact": "opinion"})) == [
            "Opinion in Asia"
        ]

    def test_query_count_does_not_grow_with_the_number_of_articles(self, admin_client):
        def count_queries(expected_rows):
            admin_client.get(ARTICLE_CHANGELIST)  # warm per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = admin_client.get(ARTICLE_CHANGELIST)
            assert len(changelist_rows(response)) == expected_rows
            return len(queries)

        # Each article gets its own section and top image, so a missing join would show.
        ArticleFactory.create_batch(2, top_image=factory.SubFactory(ImageFactory))
        few = count_queries(2)
        ArticleFactory.create_batch(8, top_image=factory.SubFactory(ImageFactory))
        assert count_queries(10) == few
