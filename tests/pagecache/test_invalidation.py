"""Whole public pages cached for anonymous readers, never staler than the news."""

import math
import time
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.csp import LazyNonce
from django.utils.http import http_date
from taggit.models import Tag

from articles import previews
from articles.models import (
    Article,
    Correction,
    Image,
    PreviewLink,
    Redirect,
    RelatedStory,
    Section,
)
from rs_cms.pagecache import generation as page_caching
from rs_cms.pagecache.generation import (
    GENERATION_KEY,
    LOCAL_GENERATION_SECONDS,
    LocalCopies,
    content_changed,
    local,
    next_scheduled_change,
    start_generation,
)
from rs_cms.pagecache.middleware import PageCacheMiddleware, may_store
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    NewsletterFactory,
    RelatedStoryFactory,
    SectionFactory,
)
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

MIDDLEWARE = "rs_cms.pagecache.middleware.PageCacheMiddleware"
PUBLIC_CACHE_CONTROL = {
    "public",
    "max-age=0",
    "s-maxage=60",
    "stale-while-revalidate=30",
}


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The middleware where settings.MIDDLEWARE has it: right after WhiteNoise."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        after = settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
        settings.MIDDLEWARE = [
            *settings.MIDDLEWARE[:after],
            MIDDLEWARE,
            *settings.MIDDLEWARE[after:],
        ]
    settings.PAGE_CACHE_SECONDS = 60
    # Pages are stored only when asked for on the canonical host, the test client's here.
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def reader():
    """An anonymous reader, apart from the `client` an editor may be signed in on."""
    return Client()


@pytest.fixture
def newsroom():
    """A story with everything that shows on other pages, and a page that links to it."""
    section = SectionFactory(name="Asia-Pacific", slug="asia-pacific")
    author = AuthorFactory(name="Mina Ode", slug="mina-ode")
    image = ImageFactory(caption="A tanker at anchor.", credit="Photo: R. Amari / Old Agency")
    story = ArticleFactory(
        headline="Shipping lanes under strain",
        section=section,
        top_image=image,
        authors=[author],
        tags=["Taiwan Strait", "Shipping"],
    )
    story.topic = story.tags.get(name="Taiwan Strait")
    story.save()
    host = ArticleFactory(
        headline="Ports and power",
        section=section,
        published_at=timezone.now() - timedelta(days=1),
    )
    RelatedStoryFactory(article=host, related=story, position=0)
    appeal = DonationAppealFactory(title="Year-end appeal")
    return SimpleNamespace(
        section=section, author=author, image=image, story=story, host=host, appeal=appeal
    )


def listing_pages(newsroom):
    return [
        reverse("articles:home"),
        newsroom.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "taiwan-strait"}),
        newsroom.author.get_absolute_url(),
        reverse("articles:kind", kwargs={"kind": newsroom.story.kind}),
    ]


def feeds(newsroom):
    kwargs = {
        "section": {"slug": newsroom.section.slug},
        "tag": {"slug": "taiwan-strait"},
        "author": {"slug": newsroom.author.slug},
    }
    return [
        reverse(f"feeds:{scope}-{kind}", kwargs=kwargs.get(scope))
        for scope in ("site", "section", "tag", "author")
        for kind in ("rss", "atom")
    ]


def sitemaps():
    return [
        reverse("sitemap-index"),
        reverse("sitemap-section", kwargs={"section": "articles"}),
        reverse("sitemap-news"),
    ]


def every_public_page(newsroom):
    return [
        *listing_pages(newsroom),
        newsroom.story.get_absolute_url(),
        newsroom.host.get_absolute_url(),
        *feeds(newsroom),
        reverse("feeds:index"),
        *sitemaps(),
        reverse("robots-txt"),
    ]


def count_queries(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return response, len(queries)


def warm(client, urls):
    """Read each page twice, so the cache holds it; fail if it does not."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss", url
        again, queries = count_queries(lambda url=url: client.get(url))
        assert (again["X-Page-Cache"], queries) == ("hit", 0), url


def text(response):
    return response.content.decode()


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def headlines(response):
    return [
        element.get_text(strip=True)
        for element in soup_of(response).select(
            "h1, .teaser__headline, .related-story__headline, .latest a"
        )
    ]


def edit_in_admin(client, admin_url, form_id, **changes):
    data = form_data(client.get(admin_url), form_id)
    data.update(changes)
    response = client.post(admin_url, data)
    assert response.status_code == 302, soup_of(response).select(".errorlist")


def run_action(client, changelist, action, articles):
    response = client.post(
        changelist, {"action": action, "_selected_action": [article.pk for article in articles]}
    )
    assert response.status_code == 302


# A hit: the page from the cache, cheaply.


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


class TestLocalCopies:
    """Each process keeps the generation briefly, and its hottest pages beside it."""

    @pytest.fixture
    def shared_cache_reads(self, monkeypatch):
        reads = []
        for method in ("get", "get_many"):
            original = getattr(cache, method)

            def spy(*args, original=original, **kwargs):
                reads.append(args)
                return original(*args, **kwargs)

            monkeypatch.setattr(cache, method, spy)
        return reads

    @pytest.fixture
    def later(self, monkeypatch):
        """later(seconds): this process's clock moves on."""
        offset = [0.0]
        monotonic = page_caching.time.monotonic
        monkeypatch.setattr(page_caching.time, "monotonic", lambda: monotonic() + offset[0])

        def move(seconds):
            offset[0] += seconds

        return move

    def test_a_hit_from_this_process_asks_nothing_of_the_shared_cache(
        self, reader, newsroom, shared_cache_reads
    ):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        shared_cache_reads.clear()
        response = reader.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert shared_cache_reads == []

    def test_another_servers_change_is_seen_within_the_local_window(self, reader, newsroom, later):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        # Another server's change: the shared generation moves, this process is not told.
        cache.incr(GENERATION_KEY)
        assert reader.get(url)["X-Page-Cache"] == "hit"
        later(LOCAL_GENERATION_SECONDS)
        assert reader.get(url)["X-Page-Cache"] == "miss"
        assert LOCAL_GENERATION_SECONDS <= 1

    def test_a_change_made_in_this_process_is_seen_at_once(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        content_changed()
        assert reader.get(url)["X-Page-Cache"] == "miss"

    def test_a_page_evicted_here_comes_back_from_the_shared_cache(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        local.pages.clear()
        response, queries = count_queries(lambda: reader.get(url))
        assert (response["X-Page-Cache"], queries) == ("hit", 0)
        assert local.page(next(iter(local.pages))) is not None

    def test_only_the_most_recently_used_pages_are_kept(self):
        copies = LocalCopies(size=2)
        for key in ("a", "b"):
            copies.keep(key, key.upper())
        copies.page("a")
        copies.keep("c", "C")
        assert list(copies.pages) == ["a", "c"]


# What is never cached.


class TestNeverCached:
    def test_cached_pages_carry_no_token_and_set_no_cookie(self, reader, newsroom):
        for url in every_public_page(newsroom):
            response = reader.get(url)
            assert response["X-Page-Cache"] == "miss", url
            assert not response.cookies, url
            assert b"csrfmiddlewaretoken" not in response.content, url
        signup = soup_of(reader.get(newsroom.story.get_absolute_url())).select_one(
            "form.signup__form"
        )
        assert signup["action"] == reverse("newsletter:signup")

    def test_search_results_are_rendered_every_time(self, reader, newsroom):
        url = reverse("articles:search") + "?q=shipping"
        for _ in range(2):
            response, queries = count_queries(lambda: reader.get(url))
            assert response.status_code == 200
            assert "X-Page-Cache" not in response
            assert queries > 0

    def test_a_missing_page_is_not_stored(self, reader, newsroom):
        url = "/no-such-section/"
        for _ in range(2):
            response, queries = count_queries(lambda: reader.get(url))
            assert response.status_code == 404
            assert queries > 0

    def test_admin_pages_are_not_stored(self, reader):
        url = reverse("admin:login")
        reader.get(url)
        response = reader.get(url)
        assert "X-Page-Cache" not in response
        assert "public" not in cache_control(response)

    def test_newsletter_signup_posts_are_never_answered_from_the_cache(self, reader, newsroom):
        NewsletterFactory()
        url = reverse("newsletter:signup")
        for _ in range(2):
            response = reader.post(url, {"email": "reader@example.org", "source": "/"})
            assert response.status_code == 200
            assert "X-Page-Cache" not in response
            assert "no-store" in cache_control(response)

    def test_a_share_preview_is_never_stored(self, reader, newsroom):
        draft = ArticleFactory(
            headline="The quiet deal", status=Article.Status.DRAFT, published_at=None
        )
        link = PreviewLink.objects.create(
            article=draft, expires_at=timezone.now() + timedelta(days=1)
        )
        url = reverse("articles:preview", kwargs={"token": previews.make_token(link)})
        for _ in range(2):
            response, queries = count_queries(lambda: reader.get(url))
            assert response.status_code == 200
            assert "The quiet deal" in text(response)
            assert "X-Page-Cache" not in response
            assert {"no-store", "private"} <= cache_control(response)
            assert queries > 0

        link.revoked_at = timezone.now()
        link.save()
        assert reader.get(url).status_code == 410


class TestStaff:
    def test_an_editor_sees_a_draft_that_a_reader_afterwards_does_not(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        draft = ArticleFactory(
            headline="Not out yet",
            section=newsroom.section,
            status=Article.Status.DRAFT,
            published_at=None,
        )
        url = draft.get_absolute_url()

        preview = client.get(url)
        assert preview.status_code == 200
        assert "Not out yet" in text(preview)
        assert {"private", "no-store"} <= cache_control(preview)

        assert reader.get(url).status_code == 404
        home = reader.get(reverse("articles:home"))
        assert "Not out yet" not in text(home)

    def test_an_editor_neither_gets_nor_fills_the_cache(self, client, editor, reader, newsroom):
        client.force_login(editor)
        url = newsroom.story.get_absolute_url()

        response, queries = count_queries(lambda: client.get(url))
        assert response.status_code == 200 and queries > 0
        assert "X-Page-Cache" not in response
        assert reader.get(url)["X-Page-Cache"] == "miss"

        response, queries = count_queries(lambda: client.get(url))
        assert "X-Page-Cache" not in response and queries > 0

    def test_an_editor_page_is_private_and_varies_on_the_cookie(self, client, editor, newsroom):
        client.force_login(editor)
        response = client.get(newsroom.story.get_absolute_url())
        assert {"private", "max-age=0"} <= cache_control(response)
        assert "public" not in cache_control(response)
        assert "Cookie" in response["Vary"]

    def test_a_stale_session_cookie_still_bypasses_the_cache(self, reader, newsroom, settings):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        reader.cookies[settings.SESSION_COOKIE_NAME] = "expired-session"
        response = reader.get(url)
        assert "X-Page-Cache" not in response
        assert "private" in cache_control(response)


# HTTP caching: headers and 304s.


class TestHttpCaching:
    def test_anonymous_pages_let_a_cdn_hold_them_briefly(self, reader, newsroom, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        for url in every_public_page(newsroom):
            for response in (reader.get(url), reader.get(url)):
                assert cache_control(response) == PUBLIC_CACHE_CONTROL, url
                assert "Cookie" in response["Vary"], url

    def test_a_cdn_is_told_only_what_is_left_of_the_page_lifetime(
        self, reader, newsroom, time_machine
    ):
        time_machine.move_to(timezone.now(), tick=False)
        url = newsroom.story.get_absolute_url()
        reader.get(url)
        time_machine.shift(timedelta(seconds=20))
        response = reader.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert "s-maxage=40" in cache_control(response)

    def test_if_none_match_answers_304_from_the_cache(self, reader, newsroom, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        response, queries = count_queries(lambda: reader.get(url, headers={"if-none-match": etag}))
        assert (response.status_code, queries) == (304, 0)
        assert response["ETag"] == etag
        assert cache_control(response) == PUBLIC_CACHE_CONTROL
        assert response.content == b""

    # Last-Modified is in whole seconds, and a page can change twice in one: only the ETag,
    # a hash of the page itself, says whether the reader's copy is current (issue 13, defect 7).

    def test_two_versions_in_one_second_never_validate_each_other(
        self, reader, newsroom, time_machine
    ):
        time_machine.move_to(timezone.now(), tick=False)
        url = newsroom.story.get_absolute_url()
        first = reader.get(url)
        newsroom.story.headline = "Shipping lanes reopen"
        newsroom.story.save()
        since = first.get("Last-Modified", http_date(time.time()))
        response = reader.get(url, headers={"if-modified-since": since})
        assert response.status_code == 200
        assert "Shipping lanes reopen" in text(response)

    def test_a_date_in_the_future_never_validates_a_changed_page(self, reader, newsroom):
        url = newsroom.host.get_absolute_url()
        reader.get(url)
        newsroom.host.headline = "Ports and power, revisited"
        newsroom.host.save()
        tomorrow = http_date(time.time() + 86400)
        response = reader.get(url, headers={"if-modified-since": tomorrow})
        assert response.status_code == 200
        assert "Ports and power, revisited" in text(response)

    def test_an_old_etag_is_not_excused_by_a_current_date(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        newsroom.story.headline = "Shipping lanes reopen"
        newsroom.story.save()
        tomorrow = http_date(time.time() + 86400)
        response = reader.get(url, headers={"if-none-match": etag, "if-modified-since": tomorrow})
        assert response.status_code == 200

    @pytest.mark.parametrize("days", [-1000, 1, 1000])
    def test_if_unmodified_since_is_ignored_as_the_page_has_no_date(self, reader, newsroom, days):
        url = newsroom.story.get_absolute_url()
        reader.get(url)
        when = http_date(time.time() + days * 86400)
        response = reader.get(url, headers={"if-unmodified-since": when})
        assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")

    @pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
    def test_every_form_of_a_current_etag_answers_304(self, reader, newsroom, header):
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        response = reader.get(url, headers={"if-none-match": header.format(etag=etag)})
        assert response.status_code == 304

    def test_no_stored_page_claims_a_last_modified_date(self, reader, newsroom):
        # Feeds and sitemaps set their own, from their newest item: a credit change would
        # not move it either.
        for url in every_public_page(newsroom):
            for response in (reader.get(url), reader.get(url)):
                assert "Last-Modified" not in response, url

    def test_a_feed_validates_on_its_etag(self, reader, newsroom, time_machine):
        time_machine.move_to(timezone.now() + timedelta(minutes=5), tick=False)
        url = reverse("feeds:site-rss")
        etag = reader.get(url)["ETag"]
        assert reader.get(url, headers={"if-none-match": etag}).status_code == 304
        newsroom.image.credit = "Photo: R. Amari / New Agency"
        newsroom.image.save()
        response = reader.get(url, headers={"if-none-match": etag})
        assert response.status_code == 200
        assert "New Agency" in text(response)

    def test_an_old_etag_gets_the_new_page_after_a_change(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        newsroom.story.headline = "Shipping lanes reopen"
        newsroom.story.save()
        response = reader.get(url, headers={"if-none-match": etag})
        assert response.status_code == 200
        assert response["ETag"] != etag
        assert "Shipping lanes reopen" in text(response)

    def test_a_readers_copy_stays_good_when_the_page_is_rendered_again(
        self, reader, newsroom, time_machine
    ):
        time_machine.move_to(timezone.now(), tick=False)
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        time_machine.shift(timedelta(seconds=61))
        response, queries = count_queries(lambda: reader.get(url, headers={"if-none-match": etag}))
        assert response.status_code == 304
        assert queries > 0  # rendered again, found the same


# Invalidation: the next request after a change shows it, on every page that shows it.


class TestInvalidation:
    def test_an_image_credit_edited_in_the_admin_shows_everywhere(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        pages = [newsroom.story.get_absolute_url(), newsroom.host.get_absolute_url()]
        pages += feeds(newsroom)
        warm(reader, pages)
        for url in pages:
            assert "Old Agency" in text(reader.get(url)), url

        image_url = reverse("admin:articles_image_change", args=[newsroom.image.pk])
        edit_in_admin(client, image_url, "image_form", credit="Photo: R. Amari / New Agency")

        assert Image.objects.get().credit == "Photo: R. Amari / New Agency"
        for url in pages:
            response = reader.get(url)
            assert response["X-Page-Cache"] == "miss", url
            assert "New Agency" in text(response), url
            assert "Old Agency" not in text(response), url
        story = soup_of(reader.get(newsroom.story.get_absolute_url()))
        assert "New Agency" in story.select_one(".article__image-credit").get_text()
        host = soup_of(reader.get(newsroom.host.get_absolute_url()))
        assert "New Agency" in host.select_one(".related-story .credit-line").get_text()

    def test_a_headline_edited_in_the_admin_shows_everywhere(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        pages = [
            *listing_pages(newsroom),
            newsroom.story.get_absolute_url(),
            newsroom.host.get_absolute_url(),
        ]
        warm(reader, [*pages, *feeds(newsroom), reverse("sitemap-news")])

        change_url = reverse("admin:articles_article_change", args=[newsroom.story.pk])
        edit_in_admin(client, change_url, "article_form", headline="Shipping lanes reopen")

        for url in pages:
            shown = headlines(reader.get(url))
            assert "Shipping lanes reopen" in shown, url
            assert "Shipping lanes under strain" not in shown, url
        for url in [*feeds(newsroom), reverse("sitemap-news")]:
            assert "Shipping lanes reopen" in text(reader.get(url)), url

    def test_publishing_through_the_queryset_shows_the_story_everywhere(self, reader, newsroom):
        draft = ArticleFactory(
            headline="Fresh from the desk",
            section=newsroom.section,
            authors=[newsroom.author],
            tags=["Taiwan Strait"],
            status=Article.Status.DRAFT,
            published_at=None,
        )
        pages = [*listing_pages(newsroom), *feeds(newsroom), *sitemaps()]
        warm(reader, pages)

        assert Article.objects.filter(pk=draft.pk).publish_now() == 1

        for url in [*listing_pages(newsroom), *feeds(newsroom), reverse("sitemap-news")]:
            assert "Fresh from the desk" in text(reader.get(url)), url
        sitemap = reader.get(reverse("sitemap-section", kwargs={"section": "articles"}))
        assert draft.get_absolute_url() in text(sitemap)
        assert reader.get(draft.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize(
        "take_down",
        [
            lambda articles: articles.unpublish(),
            lambda articles: articles.move_to_trash(),
        ],
        ids=["unpublish", "move_to_trash"],
    )
    def test_taking_down_through_the_queryset_hides_the_story_everywhere(
        self, reader, newsroom, take_down
    ):
        story = newsroom.story
        pages = [*listing_pages(newsroom), *feeds(newsroom), reverse("sitemap-news")]
        warm(reader, [*pages, story.get_absolute_url(), newsroom.host.get_absolute_url()])

        assert take_down(Article.objects.filter(pk=story.pk)) == 1

        for url in [*pages, newsroom.host.get_absolute_url()]:
            assert "Shipping lanes under strain" not in text(reader.get(url)), url
        assert reader.get(story.get_absolute_url()).status_code == 404

    def test_restoring_from_the_trash_through_the_queryset_shows_it_again(self, reader, newsroom):
        story = newsroom.story
        Article.objects.filter(pk=story.pk).move_to_trash()
        home = reverse("articles:home")
        warm(reader, [home])

        assert Article.objects.filter(pk=story.pk).restore_from_trash() == 1

        assert "Shipping lanes under strain" in text(reader.get(home))
        assert reader.get(story.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize(
        ("changelist", "action", "start", "shown_after"),
        [
            (
                "admin:articles_article_changelist",
                "publish_now",
                {"status": Article.Status.DRAFT, "published_at": None},
                True,
            ),
            ("admin:articles_article_changelist", "unpublish", {}, False),
            ("admin:articles_article_changelist", "move_to_trash", {}, False),
            (
                "admin:articles_trashedarticle_changelist",
                "restore",
                {"deleted_at": timezone.now() - timedelta(days=1)},
                True,
            ),
        ],
        ids=["publish_now", "unpublish", "move_to_trash", "restore"],
    )
    def test_admin_actions_refresh_the_pages(
        self, client, editor, reader, newsroom, changelist, action, start, shown_after
    ):
        client.force_login(editor)
        article = ArticleFactory(headline="The action story", section=newsroom.section, **start)
        pages = [reverse("articles:home"), newsroom.section.get_absolute_url()]
        pages += [reverse("feeds:site-rss")]
        warm(reader, pages)

        run_action(client, reverse(changelist), action, [article])

        for url in pages:
            assert ("The action story" in text(reader.get(url))) is shown_after, url

    def test_deleting_in_the_admin_takes_the_story_off_the_pages(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        home = reverse("articles:home")
        warm(reader, [home, newsroom.story.get_absolute_url()])

        delete_url = reverse("admin:articles_article_delete", args=[newsroom.story.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code == 302

        assert "Shipping lanes under strain" not in text(reader.get(home))
        assert reader.get(newsroom.story.get_absolute_url()).status_code == 404

    def test_a_section_renamed_in_the_admin_shows_everywhere(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        pages = [*listing_pages(newsroom), newsroom.story.get_absolute_url()]
        pages += [reverse("feeds:section-rss", kwargs={"slug": newsroom.section.slug})]
        warm(reader, pages)

        section_url = reverse("admin:articles_section_change", args=[newsroom.section.pk])
        edit_in_admin(client, section_url, "section_form", name="Indo-Pacific")

        for url in pages:
            response = reader.get(url)
            assert "Indo-Pacific" in text(response), url
            assert "Asia-Pacific" not in text(response), url

    def test_an_author_renamed_shows_on_the_byline_and_the_author_page(self, reader, newsroom):
        pages = [newsroom.story.get_absolute_url(), newsroom.author.get_absolute_url()]
        warm(reader, pages)

        newsroom.author.name = "Mina Odé-Ross"
        newsroom.author.save()

        story = soup_of(reader.get(pages[0]))
        assert "Mina Odé-Ross" in story.select_one(".article__byline").get_text()
        assert soup_of(reader.get(pages[1])).h1.get_text(strip=True) == "Mina Odé-Ross"

    def test_a_related_pick_added_shows_on_the_article(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        pick = ArticleFactory(
            headline="An older pick",
            section=SectionFactory(name="Middle East", slug="middle-east"),
            published_at=timezone.now() - timedelta(days=30),
        )
        warm(reader, [url])
        related = soup_of(reader.get(url)).select(".related-story__headline")
        assert "An older pick" not in [headline.get_text(strip=True) for headline in related]

        RelatedStory.objects.create(article=newsroom.story, related=pick, position=0)

        related = soup_of(reader.get(url)).select(".related-story__headline")
        assert related[0].get_text(strip=True) == "An older pick"

    def test_an_appeal_switched_off_leaves_the_article(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        assert soup_of(reader.get(url)).select_one(".appeal") is not None

        newsroom.appeal.is_active = False
        newsroom.appeal.save()

        assert soup_of(reader.get(url)).select_one(".appeal") is None

    def test_a_correction_shows_on_the_article(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])

        Correction.objects.create(article=newsroom.story, note="The strait is 180 km wide.")

        assert "The strait is 180 km wide." in text(reader.get(url))

    def test_a_tag_taken_off_leaves_its_tag_page(self, reader, newsroom):
        url = reverse("articles:tag", kwargs={"slug": "shipping"})
        warm(reader, [url])
        assert "Shipping lanes under strain" in headlines(reader.get(url))

        newsroom.story.tags.remove("Shipping")

        assert "Shipping lanes under strain" not in headlines(reader.get(url))

    def test_a_tag_renamed_shows_above_the_headline(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])

        tag = Tag.objects.get(slug="taiwan-strait")
        tag.name = "Taiwan Strait crisis"
        tag.save()

        topic = soup_of(reader.get(url)).select_one(".article__topic")
        assert topic.get_text(strip=True) == "Taiwan Strait crisis"

    def test_an_author_added_with_the_related_manager_shows_on_the_byline(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])

        newsroom.story.authors.add(
            AuthorFactory(name="Tom Reyes"), through_defaults={"position": 1}
        )

        assert "Tom Reyes" in soup_of(reader.get(url)).select_one(".article__byline").get_text()

    @pytest.mark.parametrize(
        "change",
        [
            lambda n: Redirect.objects.create(old_path="/old/", new_path="/asia-pacific/"),
            lambda n: Redirect.objects.create(old_path="/old/", new_path="/x/").delete(),
            lambda n: n.image.renditions.create(format="jpeg", width=16, height=9, file="r.jpg"),
            lambda n: Section.objects.create(name="Europe", slug="europe"),
            lambda n: n.host.related_picks.all().delete(),
            lambda n: n.story.tags.clear(),
            lambda n: n.story.bylines.all().delete(),
            lambda n: Article.objects.filter(pk=n.host.pk).update(dek="Changed in bulk."),
        ],
        ids=[
            "redirect saved",
            "redirect deleted",
            "rendition made",
            "section added",
            "picks deleted",
            "tags cleared",
            "bylines deleted",
            "articles updated in bulk",
        ],
    )
    def test_each_change_moves_the_generation_on(self, newsroom, change):
        before = cache.get(GENERATION_KEY)
        assert before is not None  # the fixture's own saves started it

        change(newsroom)

        assert cache.get(GENERATION_KEY) != before

    def test_signups_and_share_links_leave_the_cache_alone(self, reader, newsroom):
        # A reader who could empty the cache at will could make every request a render.
        newsletter = NewsletterFactory()
        home = reverse("articles:home")
        warm(reader, [home])

        reader.post(reverse("newsletter:signup"), {"email": "someone@example.org"})
        PreviewLink.objects.create(
            article=newsroom.story, expires_at=timezone.now() + timedelta(days=1)
        )

        assert newsletter.subscriptions.filter(email="someone@example.org").exists()
        assert reader.get(home)["X-Page-Cache"] == "hit"

    def test_the_generation_moves_on_again_when_the_transaction_commits(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
            content_changed()
            during = cache.get(GENERATION_KEY)
        assert len(callbacks) == 1

        callbacks[0]()

        assert cache.get(GENERATION_KEY) not in {None, during}

    def test_a_lost_generation_never_brings_old_pages_back(self, reader, newsroom):
        home = reverse("articles:home")
        warm(reader, [home])
        # A change that tells nobody, then the cache evicts the generation, and this
        # process's copy of it runs out (LOCAL_GENERATION_SECONDS).
        Section.objects.filter(pk=newsroom.section.pk).update(name="Indo-Pacific")
        cache.delete(GENERATION_KEY)
        local.forget_generation()

        response = reader.get(home)
        assert response["X-Page-Cache"] == "miss"
        assert "Indo-Pacific" in text(response)


# Time: pages expire, so scheduled stories appear without a worker.


class TestScheduled:
    def test_a_scheduled_story_appears_at_its_time_and_not_a_second_before(
        self, reader, newsroom, time_machine
    ):
        when = timezone.now().replace(microsecond=0) + timedelta(hours=1)
        ArticleFactory(
            headline="Embargoed until the hour",
            section=newsroom.section,
            authors=[newsroom.author],
            tags=["Taiwan Strait"],
            published_at=when,
        )
        pages = [*listing_pages(newsroom), *feeds(newsroom), reverse("sitemap-news")]

        time_machine.move_to(when - timedelta(seconds=1), tick=False)
        warm(reader, pages)
        for url in pages:
            response = reader.get(url)
            assert "Embargoed until the hour" not in text(response), url
            # A CDN is told to let the page go at the same moment.
            assert "s-maxage=1" in cache_control(response), url

        time_machine.move_to(when, tick=False)
        for url in pages:
            response = reader.get(url)
            assert response["X-Page-Cache"] == "miss", url
            assert "Embargoed until the hour" in text(response), url

    def test_with_nothing_scheduled_a_page_lives_a_minute(self, reader, newsroom, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        home = reverse("articles:home")
        warm(reader, [home])
        # A change that tells nobody: only time brings it to the page.
        Section.objects.filter(pk=newsroom.section.pk).update(name="Indo-Pacific")

        time_machine.shift(timedelta(seconds=59))
        response = reader.get(home)
        assert (response["X-Page-Cache"], "Indo-Pacific" in text(response)) == ("hit", False)

        time_machine.shift(timedelta(seconds=1))
        response = reader.get(home)
        assert (response["X-Page-Cache"], "Indo-Pacific" in text(response)) == ("miss", True)

    def test_an_appeal_window_opens_and_closes_on_time(self, reader, newsroom, time_machine):
        newsroom.appeal.delete()
        opens = timezone.now().replace(microsecond=0) + timedelta(days=2)
        closes = opens + timedelta(days=1)
        DonationAppealFactory(title="Spring appeal", starts_at=opens, ends_at=closes)
        url = newsroom.story.get_absolute_url()

        def appeal_shown():
            return soup_of(reader.get(url)).select_one(".appeal") is not None

        for moment, shown in [
            (opens - timedelta(seconds=1), False),
            (opens, True),
            (closes - timedelta(seconds=1), True),
            (closes, False),
        ]:
            time_machine.move_to(moment, tick=False)
            assert appeal_shown() is shown, moment
            assert reader.get(url)["X-Page-Cache"] == "hit", moment

    def test_a_request_that_began_before_the_lookup_asks_again(self, newsroom):
        when = timezone.now() + timedelta(hours=1)
        ArticleFactory(published_at=when)
        generation = cache.get(GENERATION_KEY)

        after = (when + timedelta(seconds=1)).timestamp()
        # Then the running appeal's end is next.
        assert next_scheduled_change(generation, after) == newsroom.appeal.ends_at.timestamp()
        before = (when - timedelta(seconds=1)).timestamp()
        assert next_scheduled_change(generation, before) == when.timestamp()
        newsroom.appeal.delete()
        assert next_scheduled_change(cache.get(GENERATION_KEY), after) == math.inf

    def test_the_schedule_is_looked_up_once_per_generation(self, reader, newsroom):
        ArticleFactory(published_at=timezone.now() + timedelta(hours=1))

        def schedule_lookups(urls):
            with CaptureQueriesContext(connection) as queries:
                for url in urls:
                    assert reader.get(url)["X-Page-Cache"] == "miss"
            # The schedule is the site chrome's: read with the running and coming appeals.
            return sum('FROM "articles_donationappeal"' in q["sql"] for q in queries)

        assert schedule_lookups(listing_pages(newsroom)) == 1
        newsroom.section.save()
        assert schedule_lookups([reverse("articles:home")]) == 1


# The rules for storing a response, one at a time.


def public_request(method="get", path="/"):
    request = getattr(RequestFactory(), method)(path)
    request.resolver_match = resolve(path)
    return request


def with_cookie(request):
    response = HttpResponse("page")
    response.set_cookie("seen", "1")
    return response


def with_csrf_token(request):
    return HttpResponse(f"<input value='{get_token(request)}'>")


def with_csp_nonce(request):
    request._csp_nonce = LazyNonce()
    return HttpResponse(f"<script nonce='{request._csp_nonce}'></script>")


def varying(request):
    response = HttpResponse("page")
    response["Vary"] = "Accept-Language, Cookie"
    return response


def with_cache_control(value):
    def view(request):
        response = HttpResponse("page")
        response["Cache-Control"] = value
        return response

    return view


class TestStoringRules:
    def test_a_plain_public_page_is_stored(self):
        assert may_store(public_request(), HttpResponse("page"))

    @pytest.mark.parametrize(
        "view",
        [
            with_cookie,
            with_csrf_token,
            with_csp_nonce,
            varying,
            with_cache_control("private"),
            with_cache_control("no-store"),
            with_cache_control("max-age=0, no-cache"),
            lambda request: HttpResponse("moved", status=301),
            lambda request: HttpResponse("gone", status=404),
            lambda request: StreamingHttpResponse(iter([b"page"])),
        ],
        ids=[
            "cookie",
            "csrf token",
            "csp nonce",
            "vary",
            "private",
            "no-store",
            "no-cache",
            "301",
            "404",
            "streaming",
        ],
    )
    def test_responses_for_one_visitor_or_incomplete_are_not_stored(self, view):
        request = public_request()
        assert not may_store(request, view(request))

    def test_a_page_outside_the_public_views_is_not_stored(self):
        assert not may_store(public_request(path="/search/"), HttpResponse("results"))

    def test_a_response_with_a_cookie_is_passed_on_unstored(self, newsroom):
        def view(request):
            request.resolver_match = resolve("/")
            return with_cookie(request)

        middleware = PageCacheMiddleware(view)
        for _ in range(2):
            response = middleware(RequestFactory().get("/"))
            assert "X-Page-Cache" not in response
            assert response.cookies["seen"].value == "1"


def test_loading_the_demo_refreshes_cached_pages(django_capture_on_commit_callbacks):
    """Its bylines and picks are bulk-created, without signals: the command bumps itself."""
    call_command("load_demo", stdout=StringIO())
    before = start_generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())  # nothing new to load, still a bump
    assert cache.get(GENERATION_KEY) != before
