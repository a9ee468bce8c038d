"""Faults: the database down (a friendly 503, then service again without a restart), and the
cache down (pages served uncached, signups and logins working from the database).

bench/fault_drill.py does the same against a real PostgreSQL stopped under load."""

import io
import logging
import time
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import include, path, reverse
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from newsletter.models import Subscription
from rs_cms import cache_backends, faults
from tests.conftest import STAFF_PASSWORD
from tests.factories import ArticleFactory, NewsletterFactory
from tests.forms import soup_of
from tests.test_shared_state import redis_is_running

pytestmark = pytest.mark.django_db

REFUSED = OperationalError(
    'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
)
# Nothing listens on port 1: connecting is refused at once, as with a stopped Redis.
DEAD_REDIS = "redis://127.0.0.1:1/0"
# A database of the Redis beside the tests of its own (tests/test_shared_state.py uses 15,
# bench/site.py 14); flushed before and after each test that uses it.
LIVE_REDIS = "redis://127.0.0.1:6379/9"
FAIL_SOFT = "rs_cms.cache_backends.FailSoftRedisCache"


@contextmanager
def database_down():
    """Every attempt to reach the database fails as if the server had stopped."""
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=REFUSED):
        yield


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.fixture(autouse=True)
def fresh_outage_log(monkeypatch):
    monkeypatch.setattr(faults, "outage_log", faults.OutageLog())


def template_names(response):
    return [template.name for template in response.templates]


def assert_is_the_503_page(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) == faults.RETRY_AFTER_SECONDS
    assert "no-store" in response["Cache-Control"]
    soup = soup_of(response)
    assert soup.title.get_text() == "Back in a moment"
    assert soup.h1.get_text() == "We’ll be back in a moment"
    assert soup.select_one("meta[name=robots]")["content"] == "noindex"
    assert [a["href"] for a in soup.select("a")] == ["/", "/"]


class TestDatabaseDown:
    def test_a_reader_gets_the_friendly_page_then_the_article_once_it_is_back(self, client):
        article = ArticleFactory(headline="Grain corridors reopen")

        with database_down():
            response = client.get(article.get_absolute_url())
        assert_is_the_503_page(response)
        assert template_names(response) == ["503.html", "error_page.html"]

        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert soup_of(response).h1.get_text(strip=True) == "Grain corridors reopen"

    def test_a_signup_is_refused_while_down_and_kept_when_sent_again(self, client):
        NewsletterFactory()
        form = {"email": "reader@example.org", "source": "/"}

        with database_down():
            assert_is_the_503_page(client.post(reverse("newsletter:signup"), form))
        assert not Subscription.objects.exists()

        assert client.post(reverse("newsletter:signup"), form).status_code == 200
        assert Subscription.objects.get().email == "reader@example.org"

    def test_a_signed_in_editor_gets_it_from_the_newsroom(self, editor_client):
        # The session and the user are read from the database only once the admin asks.
        with database_down():
            assert_is_the_503_page(editor_client.get(reverse("admin:index")))
        assert editor_client.get(reverse("admin:index")).status_code == 200

    def test_a_failure_outside_the_view_gets_it_too(self, client):
        # No view runs for an unknown address: the 404 page fails on its section navigation,
        # and that goes through handler500, not through the middleware.
        client.raise_request_exception = False
        with database_down():
            assert_is_the_503_page(client.get("/no/such/page/"))
        assert client.get("/no/such/page/").status_code == 404

    def test_the_outage_is_logged_once_not_for_every_request(self, client, caplog):
        article = ArticleFactory()
        client.raise_request_exception = False
        with caplog.at_level(logging.WARNING), database_down():
            for url in [article.get_absolute_url(), "/", "/no/such/page/", "/"]:
                assert client.get(url).status_code == 503

        records = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert [(r.name, r.levelname) for r in records] == [("rs_cms.faults", "ERROR")]
        assert "Connection refused" in records[0].getMessage()

    def test_the_next_report_counts_the_requests_in_between(self, client, caplog, monkeypatch):
        with caplog.at_level(logging.ERROR), database_down():
            for _ in range(3):
                client.get("/")
            monkeypatch.setattr(faults, "LOG_EVERY_SECONDS", 0)
            client.get("/")
        messages = [r.getMessage() for r in caplog.records if r.name == "rs_cms.faults"]
        assert len(messages) == 2
        assert messages[1].endswith("Requests answered 503 since the last report: 2.")

    def test_a_cached_page_is_still_served_while_down(self, client, settings):
        settings.PAGE_CACHE_SECONDS = 60
        settings.SITE_URL = "http://testserver"  # pages are stored for this host only
        cached, uncached = ArticleFactory(), ArticleFactory()
        assert client.get(cached.get_absolute_url())["X-Page-Cache"] == "miss"

        with database_down():
            response = client.get(cached.get_absolute_url())
            assert response.status_code == 200
            assert response["X-Page-Cache"] == "hit"
            assert_is_the_503_page(client.get(uncached.get_absolute_url()))

    def test_the_page_needs_no_database_and_no_context(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            html = render_to_string("503.html")
        assert html.startswith("<!doctype html>")

    def test_other_errors_are_still_logged_by_django(self, client, settings, caplog):
        settings.ROOT_URLCONF = __name__
        client.raise_request_exception = False
        with caplog.at_level(logging.ERROR):
            assert client.get("/bug/").status_code == 500
        records = [(r.name, r.getMessage()) for r in caplog.records]
        assert records == [("django.request", "Internal Server Error: /bug/")]

    def test_other_errors_still_get_the_plain_500_page(self):
        request = RequestFactory().get("/")
        try:
            raise RuntimeError("a bug, not an outage")
        except RuntimeError:
            response = faults.server_error(request)
        assert response.status_code == 500
        assert "Retry-After" not in response
        assert "Something went wrong on our side" in response.content.decode()


# A view that loses its database connection half-way, as when the server is stopped under it.
def drop_my_connection(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        cursor.execute("SELECT 1")
    return HttpResponse("the connection survived")


def bug(request):
    raise RuntimeError("a bug, not an outage")


def backend_pid(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return HttpResponse(str(cursor.fetchone()[0]))


urlpatterns = [
    path("drop/", drop_my_connection),
    path("pid/", backend_pid),
    path("bug/", bug),
    path("", include("rs_cms.urls")),
]
handler500 = "rs_cms.faults.server_error"


def wsgi_get(url):
    """A GET through Django's WSGI handler, as gunicorn sends it: unlike the test client, it
    lets Django close broken connections at the start and end of the request."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        body = b"".join(response)
    finally:
        response.close()
    return int(statuses[0].split()[0]), body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL terminates backends")
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_mid_request_is_replaced_by_the_next_request(settings):
    settings.ROOT_URLCONF = __name__
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    status, body = wsgi_get("/pid/")
    assert status == 200
    before = int(body)
    assert wsgi_get("/pid/") == (200, body)  # the same persistent connection

    status, body = wsgi_get("/drop/")
    assert status == 503
    assert soup_of_bytes(body).h1.get_text() == "We’ll be back in a moment"

    status, body = wsgi_get("/pid/")
    assert status == 200
    assert int(body) != before
    assert wsgi_get("/")[0] == 200


def soup_of_bytes(body):
    return soup_of(HttpResponse(body))


# The cache down.


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The site's Redis backend on an address where nothing answers, as after Redis stopped."""
    monkeypatch.setattr(cache_backends, "_outages", {})
    settings.CACHES = {"default": {"BACKEND": FAIL_SOFT, "LOCATION": DEAD_REDIS}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PAGE_CACHE_SECONDS = 60
    settings.SITE_URL = "http://testserver"  # pages are stored for this host only
    cache.local.clear()
    yield
    cache.local.clear()


@pytest.fixture
def redis_up(settings, monkeypatch):
    """The site's Redis backend on the real Redis, in a database of these tests' own."""
    if not redis_is_running():
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setattr(cache_backends, "_outages", {})
    settings.CACHES = {"default": {"BACKEND": FAIL_SOFT, "LOCATION": LIVE_REDIS}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PAGE_CACHE_SECONDS = 60
    settings.SITE_URL = "http://testserver"  # pages are stored for this host only
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username="editor", password=STAFF_PASSWORD):
    login = reverse("admin:login")
    form = soup_of(client.get(login)).select_one("#login-form")
    assert {field["name"] for field in form.select("input[name]")} >= {"username", "password"}
    response = client.post(login, {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return client.get(reverse("admin:index"))


@pytest.mark.parametrize("fixture", ["redis_down", "redis_up"])
class TestTheSiteWithRedis:
    def test_pages_are_served(self, client, request, fixture):
        request.getfixturevalue(fixture)
        article = ArticleFactory(headline="Sanctions and their limits")
        for _ in range(2):
            for url in ["/", article.get_absolute_url()]:
                response = client.get(url)
                assert response.status_code == 200
        assert soup_of(response).h1.get_text(strip=True) == "Sanctions and their limits"
        # Served from Redis when it is there, rendered every time when it is not.
        assert response.get("X-Page-Cache") == ("hit" if fixture == "redis_up" else None)

    def test_a_signup_is_saved(self, client, request, fixture):
        request.getfixturevalue(fixture)
        NewsletterFactory()
        response = client.post(reverse("newsletter:signup"), {"email": "new@example.org"})
        assert response.status_code == 200
        assert soup_of(response).h1.get_text() == "Check your inbox"
        assert Subscription.objects.filter(email="new@example.org").exists()

    def test_an_editor_can_sign_in_and_stays_signed_in(self, client, editor, request, fixture):
        request.getfixturevalue(fixture)
        response = sign_in(client)
        assert response.status_code == 200
        assert response.context["user"] == editor
        assert client.get(reverse("admin:index")).context["user"] == editor


class TestRedisDown:
    def test_the_signup_limit_holds_in_each_process(self, client, redis_down, settings):
        settings.SIGNUP_RATE_LIMIT = 3
        NewsletterFactory()
        statuses = [
            client.post(reverse("newsletter:signup"), {"email": f"r{n}@example.org"}).status_code
            for n in range(5)
        ]
        assert statuses == [200, 200, 200, 429, 429]

    def test_every_call_answers_as_an_empty_cache(self, redis_down):
        assert cache.get("k") is None
        assert cache.get("k", "default") == "default"
        assert cache.get_many(["k", "j"]) == {}
        assert cache.add("k", 1) is False
        assert cache.set("k", 1) is None
        assert cache.get("k") is None
        assert cache.touch("k") is False
        assert cache.delete("k") is False
        assert cache.has_key("k") is False
        assert cache.set_many({"k": 1, "j": 2}) == ["k", "j"]
        assert cache.delete_many(["k", "j"]) is None
        assert cache.get_or_set("k", "made") == "made"
        assert cache.clear() is False
        with pytest.raises(ValueError, match="not found"):
            cache.incr("k")
        with pytest.raises(ValueError, match="not found"):
            cache.decr("k")
        with pytest.raises(ValueError, match="not found"):
            cache.incr_version("k")

    def test_a_dead_server_is_tried_once_per_pause_and_logged_once(self, redis_down, caplog):
        refused = RedisConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        with (
            mock.patch.object(RedisCache, "get", autospec=True, side_effect=refused) as get,
            caplog.at_level(logging.WARNING),
        ):
            started = time.monotonic()
            assert [cache.get(f"k{n}") for n in range(100)] == [None] * 100
        assert time.monotonic() - started < 1
        assert get.call_count == 1
        records = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert [(r.name, r.levelname) for r in records] == [("rs_cms.cache_backends", "WARNING")]
        assert "127.0.0.1:1/0 is unreachable" in records[0].getMessage()

    def test_a_password_in_the_address_stays_out_of_the_log(self, monkeypatch, caplog):
        monkeypatch.setattr(cache_backends, "_outages", {})
        backend = cache_backends.FailSoftRedisCache("redis://:s3cret@127.0.0.1:1/2", {})
        with caplog.at_level(logging.WARNING):
            backend.get("k")
        assert "127.0.0.1:1/2" in caplog.text
        assert "s3cret" not in caplog.text


def test_the_cache_is_used_again_once_redis_is_back(monkeypatch, caplog):
    if not redis_is_running():
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setattr(cache_backends, "_outages", {})
    monkeypatch.setattr(cache_backends, "RETRY_SECONDS", 0.2)
    backend = cache_backends.FailSoftRedisCache(LIVE_REDIS, {})
    backend.clear()
    refused = RedisConnectionError("Connection refused.")
    try:
        with mock.patch.object(RedisCache, "get", autospec=True, side_effect=refused):
            assert backend.get("k") is None
        backend.set("k", "dropped")  # within the pause: not even tried
        time.sleep(0.3)
        with caplog.at_level(logging.WARNING):
            assert backend.get("k") is None
            backend.set("k", "kept")
            assert backend.get("k") == "kept"
        assert "is back" in caplog.text
    finally:
        backend.clear()
        backend.close()
