"""OpenGraph and Twitter cards, the meta description, the canonical address and feed links."""

from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.articles.seo.head import PUBLISHED, SITE, meta, page
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


class TestSocialTags:
    def test_opengraph_describes_the_article(self, client, article):
        soup = soup_of(page(client, article))
        image = article.top_image
        url = f"{SITE}/asia-pacific/{article.slug}/"
        assert meta(soup, "og:type") == ["article"]
        assert meta(soup, "og:title") == ["Shipping lanes under strain"]
        assert meta(soup, "og:description") == ["The strait, the ships and the navies: a briefing."]
        assert meta(soup, "og:url") == [url]
        assert meta(soup, "og:site_name") == ["The Meridian Review"]
        assert meta(soup, "og:image") == [f"{SITE}{image.display_file.url}"]
        assert meta(soup, "og:image:width") == ["32"]
        assert meta(soup, "og:image:height") == ["18"]
        assert meta(soup, "og:image:alt") == [image.alt_text]
        assert meta(soup, "article:section") == ["Asia-Pacific"]
        assert sorted(meta(soup, "article:tag")) == ["Shipping", "Taiwan Strait"]
        assert meta(soup, "article:author") == [
            f"{SITE}/author/mina-ode/",
            f"{SITE}/author/tom-reyes/",
        ]
        published = meta(soup, "article:published_time")
        assert [datetime.fromisoformat(value) for value in published] == [PUBLISHED]
        modified = meta(soup, "article:modified_time")
        assert [datetime.fromisoformat(value) for value in modified] == [PUBLISHED]

    def test_canonical_is_the_absolute_article_address(self, client, article):
        links = soup_of(page(client, article)).find_all("link", rel="canonical")
        assert [link["href"] for link in links] == [f"{SITE}/asia-pacific/{article.slug}/"]

    def test_twitter_card_shows_the_large_image(self, client, article):
        soup = soup_of(page(client, article))
        assert meta(soup, "twitter:card") == ["summary_large_image"]
        assert meta(soup, "twitter:title") == ["Shipping lanes under strain"]
        assert meta(soup, "twitter:description") == [
            "The strait, the ships and the navies: a briefing."
        ]
        assert meta(soup, "twitter:image") == [f"{SITE}{article.top_image.display_file.url}"]
        assert meta(soup, "twitter:image:alt") == [article.top_image.alt_text]

    def test_without_a_picture_the_card_is_a_summary(self, client):
        soup = soup_of(page(client, ArticleFactory(top_image=None)))
        assert meta(soup, "twitter:card") == ["summary"]
        assert meta(soup, "og:image") == []
        assert meta(soup, "twitter:image") == []

    def test_meta_description_is_the_seo_description_else_the_dek(self, client, article):
        assert meta(soup_of(page(client, article)), "description") == [
            "The strait, the ships and the navies: a briefing."
        ]
        article.seo_description = ""
        article.save()
        assert meta(soup_of(page(client, article)), "description") == [article.dek]

    def test_quotes_in_a_headline_stay_inside_the_attribute(self, client):
        article = ArticleFactory(headline='The "grey zone" <and> its limits')
        soup = soup_of(page(client, article))
        assert meta(soup, "og:title") == ['The "grey zone" <and> its limits']
        assert meta(soup, "twitter:title") == ['The "grey zone" <and> its limits']

    def test_more_authors_and_tags_cost_no_more_queries(self, client, django_assert_num_queries):
        section = SectionFactory()
        few = ArticleFactory(section=section, authors=[AuthorFactory()], tags=["One"])
        many = ArticleFactory(
            section=section,
            authors=[AuthorFactory() for _ in range(4)],
            tags=["One", "Two", "Three", "Four"],
            top_image=ImageFactory(),
        )
        client.get(few.get_absolute_url())  # warm the content-type cache
        with CaptureQueriesContext(connection) as baseline:
            assert page(client, few).status_code == 200
        with django_assert_num_queries(len(baseline)):
            assert page(client, many).status_code == 200


class TestHeadLinks:
    def feed_links(self, response):
        links = soup_of(response).find_all("link", rel="alternate")
        return [(link["type"], link["title"], link["href"]) for link in links]

    def test_every_page_advertises_the_site_feeds(self, client):
        assert self.feed_links(client.get(reverse("articles:home"))) == [
            ("application/rss+xml", "The Meridian Review (RSS)", f"{SITE}/feeds/rss/"),
            ("application/atom+xml", "The Meridian Review (Atom)", f"{SITE}/feeds/atom/"),
        ]

    def test_advertised_feeds_answer(self, client, article):
        response = client.get(article.get_absolute_url())
        links = self.feed_links(response)
        assert len(links) == 4
        for mime_type, _title, href in links:
            feed = client.get(urlsplit(href).path)
            assert feed.status_code == 200
            assert feed["Content-Type"].split(";")[0] == mime_type

    def test_a_section_page_adds_its_section_feeds(self, client, article):
        links = self.feed_links(client.get(reverse("articles:section", args=["asia-pacific"])))
        assert links[2:] == [
            (
                "application/rss+xml",
                "Asia-Pacific | The Meridian Review (RSS)",
                f"{SITE}/feeds/section/asia-pacific/rss/",
            ),
            (
                "application/atom+xml",
                "Asia-Pacific | The Meridian Review (Atom)",
                f"{SITE}/feeds/section/asia-pacific/atom/",
            ),
        ]

    def test_tag_and_author_pages_add_their_feeds(self, client, article):
        tag = article.tags.get(name="Shipping")
        tag_links = self.feed_links(client.get(reverse("articles:tag", args=[tag.slug])))
        assert [href for _type, _title, href in tag_links[2:]] == [
            f"{SITE}/feeds/tag/{tag.slug}/rss/",
            f"{SITE}/feeds/tag/{tag.slug}/atom/",
        ]
        assert tag_links[2][1] == "Shipping | The Meridian Review (RSS)"
        author_links = self.feed_links(client.get(reverse("articles:author", args=["mina-ode"])))
        assert [href for _type, _title, href in author_links[2:]] == [
            f"{SITE}/feeds/author/mina-ode/rss/",
            f"{SITE}/feeds/author/mina-ode/atom/",
        ]

    def test_listing_pages_are_their_own_canonical_page_by_page(self, client):
        section = SectionFactory(name="Middle East", slug="middle-east")
        ArticleFactory.create_batch(13, section=section)
        first = soup_of(client.get("/middle-east/")).find_all("link", rel="canonical")
        assert [link["href"] for link in first] == [f"{SITE}/middle-east/"]
        second = soup_of(client.get("/middle-east/?page=2&utm_source=x"))
        assert [link["href"] for link in second.find_all("link", rel="canonical")] == [
            f"{SITE}/middle-east/?page=2"
        ]
        home = soup_of(client.get("/")).find_all("link", rel="canonical")
        assert [link["href"] for link in home] == [f"{SITE}/"]
