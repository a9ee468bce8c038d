"""Logins: throttled by django-axes, staff sessions that expire, the admin at ADMIN_PATH."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import STAFF_PASSWORD
from tests.urlconf import admin_moved_to

pytestmark = pytest.mark.django_db

WRONG = "not the password"
ATTACKER = "203.0.113.66"
EDITOR_DESK = "198.51.100.20"


def log_in(client, username, password, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **headers,
    )


def is_logged_in(client):
    return SESSION_KEY in client.session


def fail(client, username, times, **headers):
    return [log_in(client, username, WRONG, **headers).status_code for _ in range(times)]


def test_wrong_passwords_lock_the_account_out_even_for_the_right_one(editor):
    client = Client(REMOTE_ADDR=ATTACKER)
    limit = settings.AXES_FAILURE_LIMIT

    # Each failure but the last gets the login form again; the last one the lockout.
    assert fail(client, "editor", limit) == [200] * (limit - 1) + [429]

    response = log_in(client, "editor", STAFF_PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_lockout_is_a_clear_page_not_an_error(editor):
    client = Client(REMOTE_ADDR=ATTACKER)
    fail(client, "editor", settings.AXES_FAILURE_LIMIT)

    response = log_in(client, "editor", STAFF_PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Too many failed logins"
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    assert f"Try again in {minutes} minutes" in soup.select_one("#content-main").get_text()
    assert soup.select_one("#site-name").get_text(strip=True) == admin.site.site_header
    # Not the login form: nothing to keep guessing with.
    assert soup.find("input", attrs={"name": "password"}) is None


def test_the_lockout_is_per_username_and_address(make_staff, editor):
    make_staff("writer", "Writers")
    fail(Client(REMOTE_ADDR=ATTACKER), "editor", settings.AXES_FAILURE_LIMIT)

    # The editor at their own desk still gets in: a stranger cannot lock them out.
    at_desk = Client(REMOTE_ADDR=EDITOR_DESK)
    assert log_in(at_desk, "editor", STAFF_PASSWORD).status_code == 302
    assert is_logged_in(at_desk)
    # Another account from the attacker's address is not locked either.
    same_address = Client(REMOTE_ADDR=ATTACKER)
    assert log_in(same_address, "writer", STAFF_PASSWORD).status_code == 302
    assert is_logged_in(same_address)


def test_the_lock_lifts_after_the_cool_off_and_each_try_restarts_it(editor):
    client = Client(REMOTE_ADDR=ATTACKER)
    cool_off = settings.AXES_COOLOFF_TIME
    minute = timedelta(minutes=1)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail(client, "editor", settings.AXES_FAILURE_LIMIT)
        clock.shift(cool_off - minute)
        assert log_in(client, "editor", STAFF_PASSWORD).status_code == 429
        # Past the first wait, but that try, made while locked, started it again.
        clock.shift(2 * minute)
        assert log_in(client, "editor", STAFF_PASSWORD).status_code == 429
        clock.shift(cool_off + minute)
        assert log_in(client, "editor", STAFF_PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_forgets_earlier_typos(editor):
    client = Client(REMOTE_ADDR=EDITOR_DESK)
    below_limit = settings.AXES_FAILURE_LIMIT - 1
    assert fail(client, "editor", below_limit) == [200] * below_limit
    assert log_in(client, "editor", STAFF_PASSWORD).status_code == 302
    client.logout()

    assert fail(client, "editor", below_limit) == [200] * below_limit
    assert log_in(client, "editor", STAFF_PASSWORD).status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_lock(editor, settings):
    settings.TRUSTED_PROXIES = 0
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    response = log_in(client, "editor", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


def test_behind_a_proxy_the_lock_follows_the_client_address(editor, settings):
    """As the signup rate limit reads it: TRUSTED_PROXIES entries from the right."""
    settings.TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for number in range(settings.AXES_FAILURE_LIMIT):
        # What the client puts on the left is its own invention; the proxy appends the truth.
        log_in(proxy, "editor", WRONG, HTTP_X_FORWARDED_FOR=f"forged-{number}, {ATTACKER}")

    locked = log_in(proxy, "editor", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR=f"x, {ATTACKER}")
    assert locked.status_code == 429
    # Another reader of the same proxy, the editor at their desk, is let in.
    desk = log_in(proxy, "editor", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR=EDITOR_DESK)
    assert desk.status_code == 302


def test_client_login_works_when_given_a_request(client, editor):
    """django-axes needs the request; the test client passes one only when asked to."""
    assert client.login(request=HttpRequest(), username="editor", password=STAFF_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


# Sessions.


def test_a_staff_session_ends_when_the_browser_closes(client, editor):
    response = log_in(client, "editor", STAFF_PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A cookie without Max-Age or Expires dies with the browser.
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]


def test_a_staff_session_expires_after_the_session_age(client, editor, settings):
    settings.SESSION_COOKIE_AGE = 3600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "editor", STAFF_PASSWORD)
        clock.shift(timedelta(minutes=59))
        assert client.get(reverse("admin:index")).status_code == 200
        clock.shift(timedelta(minutes=2))
        response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_default_session_lasts_one_working_day():
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


# The admin's address.


@pytest.fixture
def moved_admin():
    with admin_moved_to("office-7c1d/"):
        yield "/office-7c1d/"


def test_the_admin_answers_at_admin_path(moved_admin, editor):
    assert reverse("admin:index") == moved_admin
    client = Client(REMOTE_ADDR=EDITOR_DESK)
    response = log_in(client, "editor", STAFF_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == moved_admin
    page = client.get(moved_admin)
    assert page.status_code == 200
    assert page.resolver_match.namespace == "admin"


def test_the_old_admin_address_is_just_a_missing_page(moved_admin, client):
    response = client.get("/admin/")
    assert response.status_code == 404
    assert client.get("/admin/login/").status_code == 404


def test_robots_txt_does_not_publish_a_custom_admin_path(moved_admin, client):
    robots = client.get(reverse("robots-txt")).content.decode()
    disallowed = [
        line.removeprefix("Disallow:").strip()
        for line in robots.splitlines()
        if line.startswith("Disallow:")
    ]
    assert disallowed and moved_admin not in disallowed
    assert "/admin/" not in disallowed


def test_the_lockout_page_links_to_the_moved_admin(moved_admin, editor):
    client = Client(REMOTE_ADDR=ATTACKER)
    fail(client, "editor", settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "editor", STAFF_PASSWORD)
    assert response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#site-name a")["href"] == moved_admin


def test_moving_the_admin_back_restores_it():
    with admin_moved_to("elsewhere/"):
        assert reverse("admin:index") == "/elsewhere/"
    assert reverse("admin:index") == "/admin/"
