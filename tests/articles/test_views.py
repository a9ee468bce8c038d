import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    RelatedStoryFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content.decode(response.charset or "utf-8"), "html.parser")


@pytest.fixture
def full_article():
    """An article with everything the page can show, and its neighbourhood."""
    section = SectionFactory(name="Asia-Pacific", slug="asia-pacific")
    article = ArticleFactory(
        headline="Shipping lanes under strain",
        dek="Why the strait matters more than ever.",
        kind=Article.Kind.ANALYSIS,
        section=section,
        top_image=ImageFactory(caption="A tanker at anchor.", credit="Photo: R. Amari / Agency"),
        authors=[AuthorFactory(name="Mina Ode"), AuthorFactory(name="Tom Reyes")],
        tags=["Taiwan Strait", "Shipping"],
        body="<p>Opening paragraph.</p><h2>A subhead</h2><p>More.</p>",
    )
    article.topic = article.tags.get(name="Taiwan Strait")
    article.save()
    related = ArticleFactory(
        section=section,
        headline="Ports and power",
        top_image=ImageFactory(caption="Cranes.", credit="Photo: J. Lin / Wire"),
        body="<p>The ports opening line.</p><p>" + "More detail follows. " * 20 + "</p>",
    )
    RelatedStoryFactory(article=article, related=related, position=0)
    ArticleFactory(kind=Article.Kind.QIOSK, headline="Brief: talks resume")
    DonationAppealFactory(title="Year-end appeal", button_label="Give today")
    return article


class TestArticlePage:
    def test_shows_the_fifteen_elements_in_order(self, client, full_article):
        response = client.get(full_article.get_absolute_url())
        assert response.status_code == 200
        soup = soup_of(response)
        order = {id(element): index for index, element in enumerate(soup.find_all(True))}
        selectors = [
            ".masthead",  # 1 header
            ".follow",
            ".sections",
            ".article__topic",  # 2 topic tag
            "h1",  # 3 headline and dek
            ".article__dek",
            ".article__header .label-line",  # 4 label line
            ".article__byline",  # 5 byline and dates
            ".article__dates",
            ".article__top-image",  # 6 top image
            ".article__body",  # 7 body
            ".appeal",  # 8 donation appeal
            ".article__image-credit",  # 9 top-image credit line
            ".article__footer .label-line",  # 10 label line again
            ".related",  # 11 related teasers
            ".preferred-source",  # 12 preferred source
            ".latest",  # 13 latest and QIOSK
            ".qiosk",
            ".signup",  # 14 newsletter
            "footer.site-footer",  # 15 footer
        ]
        positions = []
        for selector in selectors:
            element = soup.select_one(selector)
            assert element is not None, f"missing {selector}"
            positions.append(order[id(element)])
        assert positions == sorted(positions)

    def test_elements_carry_the_right_content(self, client, full_article):
        soup = soup_of(client.get(full_article.get_absolute_url()))
        assert soup.select_one(".article__topic a")["href"] == "/tag/taiwan-strait/"
        assert soup.find("h1").get_text(strip=True) == "Shipping lanes under strain"
        labels = [
            [(a.get_text(strip=True), a["href"]) for a in line.find_all("a")]
            for line in soup.select(".label-line")
        ]
        assert labels == [[("Analysis", "/kind/analysis/"), ("Asia-Pacific", "/asia-pacific/")]] * 2
        assert [a.get_text() for a in soup.select(".article__byline a")] == [
            "Mina Ode",
            "Tom Reyes",
        ]
        figure = soup.select_one(".article__top-image")
        assert figure.img["alt"]
        assert "Photo: R. Amari / Agency" in figure.figcaption.get_text()
        assert soup.select_one(".article__body h2").get_text() == "A subhead"
        credit = soup.select_one(".article__image-credit").get_text(" ", strip=True)
        assert credit == "Top image credit: A tanker at anchor. Photo: R. Amari / Agency"
        assert soup.select_one(".appeal .button").get_text() == "Give today"
        assert soup.select_one(".preferred-source a")["href"].startswith("https://")
        assert "Brief: talks resume" in soup.select_one(".qiosk").get_text()
        form = soup.select_one(".signup form")
        assert form["action"] == reverse("newsletter:signup")
        assert form.find("input", {"type": "email"})["name"] == "email"

    def test_related_teaser_has_its_own_credit_and_expands_without_javascript(
        self, client, full_article
    ):
        soup = soup_of(client.get(full_article.get_absolute_url()))
        teasers = soup.select(".related-story")
        assert len(teasers) == 1
        teaser = teasers[0]
        assert (
            teaser.select_one(".related-story__headline").get_text(strip=True) == "Ports and power"
        )
        assert (
            teaser.figcaption.get_text(" ", strip=True)
            == "Top photo credit: Cranes. Photo: J. Lin / Wire"
        )
        assert teaser.select_one(".related-story__section").get_text(strip=True) == "Asia-Pacific"
        details = teaser.find("details")
        summary = details.find("summary")
        assert summary.select_one(".keep-reading__more").get_text() == "Keep reading"
        assert summary.select_one(".keep-reading__less").get_text() == "Show less"
        assert (
            teaser.select_one(".related-story__teaser")
            .get_text()
            .startswith("The ports opening line. More detail follows.")
        )
        revealed = details.select_one(".keep-reading__body p").get_text()
        assert revealed.startswith("…More detail follows.")
        assert revealed.count("More detail") == 8  # words 41 to 64, after the teaser
        # It works without JavaScript: the only script element is JSON-LD data.
        scripts = soup.find_all("script")
        assert [script.get("type") for script in scripts] == ["application/ld+json"]

    def test_is_accessible_in_structure(self, client, full_article):
        soup = soup_of(client.get(full_article.get_absolute_url()))
        assert len(soup.find_all("h1")) == 1
        assert all(img.has_attr("alt") for img in soup.find_all("img"))
        assert soup.select_one("a.skip-link")["href"] == "#main"
        assert soup.find("main", id="main")
        assert soup.find("header", role="banner") and soup.find("footer", role="contentinfo")
        assert soup.find("html")["lang"] == "en"

    def test_appeal_hides_outside_its_window_and_when_the_article_opts_out(
        self, client, full_article
    ):
        appeal = full_article_appeal = DonationAppealFactory._meta.model.objects.get()
        appeal.ends_at = timezone.now() - timedelta(minutes=1)
        appeal.starts_at = timezone.now() - timedelta(days=2)
        appeal.save()
        assert not soup_of(client.get(full_article.get_absolute_url())).select(".appeal")
        full_article_appeal.ends_at = None
        full_article_appeal.save()
        assert soup_of(client.get(full_article.get_absolute_url())).select(".appeal")
        full_article.show_donation_appeal = False
        full_article.save()
        assert not soup_of(client.get(full_article.get_absolute_url())).select(".appeal")

    def test_draft_and_scheduled_are_not_found_by_readers(self, client):
        draft = ArticleFactory(status=Article.Status.DRAFT)
        scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(scheduled.get_absolute_url()).status_code == 404

    def test_staff_preview_of_a_draft_is_never_cached_nor_indexed(self, admin_client):
        draft = ArticleFactory(status=Article.Status.DRAFT, headline="Not yet")
        response = admin_client.get(draft.get_absolute_url())
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        soup = soup_of(response)
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
        assert "Preview." in soup.select_one(".preview-banner").get_text()

    def test_public_article_has_no_preview_markers(self, admin_client, full_article):
        response = admin_client.get(full_article.get_absolute_url())
        assert "X-Robots-Tag" not in response
        assert not soup_of(response).select(".preview-banner")

    def test_wrong_section_redirects_permanently(self, client, full_article):
        response = client.get(f"/middle-east/{full_article.slug}/")
        assert response.status_code == 301
        assert response["Location"] == full_article.get_absolute_url()

    def test_query_count_does_not_grow_with_authors_tags_and_related(self, client):
        def count_queries(article):
            client.get(article.get_absolute_url())  # warm per-process caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(article.get_absolute_url()).status_code == 200
            return len(queries)

        section = SectionFactory()
        DonationAppealFactory()
        small = ArticleFactory(
            section=section, top_image=ImageFactory(), authors=[AuthorFactory()], tags=["One"]
        )
        big = ArticleFactory(
            section=section,
            top_image=ImageFactory(),
            authors=[AuthorFactory() for _ in range(4)],
            tags=[f"Tag {n}" for n in range(6)],
        )
        for position in range(3):
            RelatedStoryFactory(
                article=big,
                related=ArticleFactory(top_image=ImageFactory()),
                position=position,
            )
        ArticleFactory.create_batch(5, section=section, top_image=ImageFactory())
        ArticleFactory.create_batch(3, kind=Article.Kind.QIOSK)
        small_count = count_queries(small)
        assert small_count == count_queries(big)
        assert small_count <= 10


class TestHomePage:
    def test_lead_latest_and_section_rows(self, client):
        asia = SectionFactory(name="Asia-Pacific", slug="asia-pacific", position=0)
        mideast = SectionFactory(name="Middle East", slug="middle-east", position=1)
        now = timezone.now()
        lead = ArticleFactory(section=asia, published_at=now - timedelta(minutes=5))
        ArticleFactory(kind=Article.Kind.QIOSK, published_at=now - timedelta(minutes=1))
        older = [
            ArticleFactory(section=mideast, published_at=now - timedelta(hours=n))
            for n in range(1, 12)
        ]
        ArticleFactory(status=Article.Status.DRAFT, headline="Secret draft")
        response = client.get("/")
        assert response.status_code == 200
        soup = soup_of(response)
        lead_link = soup.select_one(".home__lead .teaser__headline a")
        assert lead_link["href"] == lead.get_absolute_url()
        latest = [a["href"] for a in soup.select(".home__latest .teaser__headline a")]
        assert latest == [article.get_absolute_url() for article in older[:6]]
        rows = {
            row.h2.get_text(strip=True): [a["href"] for a in row.select(".teaser__headline a")]
            for row in soup.select(".section-row")
        }
        assert rows == {"Middle East": [a.get_absolute_url() for a in older[6:10]]}
        assert "Secret draft" not in soup.get_text()
        assert len(soup.find_all("h1")) == 1

    def test_empty_site_invites_the_first_story(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert soup_of(response).select_one(".empty a")["href"] == "/admin/"

    def test_query_count_does_not_grow_with_sections(self, client):
        def count():
            with CaptureQueriesContext(connection) as queries:
                client.get("/")
            return len(queries)

        ArticleFactory.create_batch(9, section=SectionFactory(), top_image=ImageFactory())
        client.get("/")
        few = count()
        for _ in range(4):
            ArticleFactory.create_batch(6, section=SectionFactory(), top_image=ImageFactory())
        client.get("/")  # new sections and articles: the cached navigation is read again
        assert count() == few


class TestListings:
    @pytest.fixture
    def section_with_articles(self):
        section = SectionFactory(name="Middle East", slug="middle-east")
        author = AuthorFactory(slug="mina-ode")
        ArticleFactory.create_batch(13, section=section, authors=[author], tags=["Oil"])
        ArticleFactory(section=section, status=Article.Status.DRAFT, headline="Hidden draft")
        return section

    @pytest.mark.parametrize(
        "url", ["/middle-east/", "/tag/oil/", "/author/mina-ode/", "/kind/analysis/"]
    )
    def test_listing_pages_paginate_public_articles_only(self, client, section_with_articles, url):
        first = soup_of(client.get(url))
        assert len(first.select(".teaser")) == 12
        assert "Hidden draft" not in first.get_text()
        assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
        second = soup_of(client.get(url, {"page": 2}))
        assert len(second.select(".teaser")) == 1

    @pytest.mark.parametrize("page", ["abc", "999", "500000", "-1", "0", "1.5", "3"])
    @pytest.mark.parametrize("url", ["/middle-east/", "/tag/oil/", "/author/mina-ode/"])
    def test_a_page_that_does_not_exist_is_not_found(
        self, client, section_with_articles, url, page
    ):
        # Never a copy of the last page: the page cache would keep one per made-up number.
        assert client.get(url, {"page": page}).status_code == 404

    @pytest.mark.parametrize("page", ["", "1", "01"])
    def test_the_first_page_by_any_name(self, client, section_with_articles, page):
        response = client.get("/middle-east/", {"page": page})
        assert response.status_code == 200
        assert len(soup_of(response).select(".teaser")) == 12

    def test_last_names_the_last_page(self, client, section_with_articles):
        soup = soup_of(client.get("/middle-east/", {"page": "last"}))
        assert len(soup.select(".teaser")) == 1

    @pytest.mark.parametrize(
        "url", ["/nowhere/", "/tag/nothing/", "/author/nobody/", "/kind/poetry/"]
    )
    def test_unknown_listing_is_404(self, client, url):
        assert client.get(url).status_code == 404

    def test_author_page_shows_the_bio(self, client):
        author = AuthorFactory(slug="tom", bio="Covers the Gulf.", photo=ImageFactory())
        ArticleFactory(authors=[author])
        soup = soup_of(client.get("/author/tom/"))
        assert soup.h1.get_text() == author.name
        assert "Covers the Gulf." in soup.select_one(".author-card").get_text()

    def test_listing_query_count_does_not_grow_with_articles(self, client):
        section = SectionFactory(slug="europe")

        def count():
            with CaptureQueriesContext(connection) as queries:
                client.get("/europe/")
            return len(queries)

        ArticleFactory(section=section, authors=[AuthorFactory()])
        client.get("/europe/")
        few = count()
        for _ in range(8):
            ArticleFactory(section=section, authors=[AuthorFactory(), AuthorFactory()])
        client.get("/europe/")  # new articles: the cached navigation is read again
        assert count() == few


def test_page_embeds_no_per_visitor_state(client, full_article):
    response = client.get(full_article.get_absolute_url())
    assert "csrftoken" not in response.cookies
    assert "sessionid" not in response.cookies
    assert not soup_of(response).find("input", {"name": "csrfmiddlewaretoken"})
    json.dumps(dict(response.headers))  # headers are plain strings


@pytest.mark.parametrize("page", ["section", "article"])
def test_navigation_marks_the_current_section(client, full_article, page):
    SectionFactory(name="Europe", slug="europe")
    url = full_article.section.get_absolute_url() if page == "section" else None
    soup = soup_of(client.get(url or full_article.get_absolute_url()))
    current = soup.select(".sections a[aria-current=page]")
    assert [a.get_text() for a in current] == ["Asia-Pacific"]
