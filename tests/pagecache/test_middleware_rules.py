"""What is never cached: pages for one visitor, staff pages, and responses the rules refuse."""

from datetime import timedelta

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.csp import LazyNonce

from articles import previews
from articles.models import Article, PreviewLink
from rs_cms.pagecache.middleware import PageCacheMiddleware, may_store
from tests.factories import ArticleFactory, NewsletterFactory
from tests.forms import soup_of
from tests.pagecache.pages import cache_control, count_queries, every_public_page, text, warm

pytestmark = pytest.mark.django_db


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
