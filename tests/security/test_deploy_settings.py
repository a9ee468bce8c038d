"""Production settings pass `check --deploy`; HTTPS is enforced where it should be, only there."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import STAFF_PASSWORD

ROOT = settings.BASE_DIR
CHECK_DEPLOY = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
CHECK_LINE = re.compile(r"^\S*: \((\w+\.[CEIW]\d+)\) ")
# Settings this module reads, cleared from the inherited environment before each run.
OURS = {
    "DEBUG",
    "SECRET_KEY",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "SMTP_HOST",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "BEHIND_TLS_PROXY",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
    "ADMIN_PATH",
}


def production(**overrides):
    """A production environment: DEBUG off, a long random key, a host and its address, and a
    mail server."""
    # DJANGO_ALLOW_ASYNC_UNSAFE, set by the browser tests, is itself an error in production.
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in OURS and not name.startswith("DJANGO_")
    }
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "rs_cms.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "www.example.org",
        "SITE_URL": "https://www.example.org",
        # Without one, email goes to the console, which check --deploy rightly calls an error.
        "SMTP_HOST": "smtp.example.net",
    }
    return env | overrides


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "-W", "error", *CHECK_DEPLOY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def reported(result):
    """The ids of the issues `check` printed ("?: (security.W004) You have not set…")."""
    return {match[1] for line in result.stderr.splitlines() if (match := CHECK_LINE.match(line))}


def settings_in(env, *names):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_settings_pass_check_deploy_without_a_warning():
    result = check_deploy(production())

    assert result.returncode == 0, result.stderr
    assert reported(result) == set()
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    ("variable", "value", "check_id"),
    [
        ("SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "0", "security.W005"),
        ("SECURE_HSTS_PRELOAD", "0", "security.W021"),
        ("SECURE_SSL_REDIRECT", "0", "security.W008"),
        ("SESSION_COOKIE_SECURE", "0", "security.W012"),
        ("CSRF_COOKIE_SECURE", "0", "security.W016"),
        ("SECRET_KEY", "short", "security.W009"),
    ],
)
def test_switching_a_protection_off_fails_check_deploy(variable, value, check_id):
    result = check_deploy(production(**{variable: value}))

    assert result.returncode != 0
    assert reported(result) == {check_id}


def test_debug_left_on_in_production_fails_check_deploy():
    result = check_deploy(production(DEBUG="1"))

    assert result.returncode != 0
    assert "security.W018" in reported(result)


def test_production_defaults_are_strict():
    values = settings_in(
        production(),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_COOKIE_AGE",
        "ADMIN_PATH",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        # No proxy is believed unless one is declared.
        "SECURE_PROXY_SSL_HEADER": None,
        "CSRF_TRUSTED_ORIGINS": [],
        "SESSION_COOKIE_AGE": 12 * 3600,
        "ADMIN_PATH": "admin/",
    }


def test_development_serves_plain_http():
    """`make run`: DEBUG=1 on http://127.0.0.1:8000, with no redirect and no secure cookies."""
    env = production(DEBUG="1")
    del env["SECRET_KEY"], env["SITE_URL"]
    values = settings_in(
        env,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_the_environment_sets_proxy_origins_sessions_logins_and_admin_path():
    values = settings_in(
        production(
            BEHIND_TLS_PROXY="1",
            CSRF_TRUSTED_ORIGINS="https://www.example.org, https://example.org",
            SESSION_COOKIE_AGE="3600",
            SESSION_EXPIRE_AT_BROWSER_CLOSE="0",
            LOGIN_FAILURE_LIMIT="3",
            ADMIN_PATH="/newsroom-5d2e/",
        ),
        "SECURE_PROXY_SSL_HEADER",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "AXES_FAILURE_LIMIT",
        "ADMIN_PATH",
    )
    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": ["https://www.example.org", "https://example.org"],
        "SESSION_COOKIE_AGE": 3600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": False,
        "AXES_FAILURE_LIMIT": 3,
        "ADMIN_PATH": "newsroom-5d2e/",
    }


def test_an_empty_admin_path_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production(ADMIN_PATH="/"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ADMIN_PATH cannot be empty" in result.stderr


# What the settings do to requests (in this process, with production's values switched on).


@pytest.fixture
def https_on(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, https_on):
    response = client.get("/feeds/?x=1")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/feeds/?x=1"
    assert "Strict-Transport-Security" not in response


@pytest.mark.django_db
def test_https_pages_carry_hsts(client, https_on):
    response = client.get("/feeds/", secure=True)

    assert response.status_code == 200
    directives = [part.strip() for part in response["Strict-Transport-Security"].split(";")]
    assert directives == ["max-age=31536000", "includeSubDomains", "preload"]


@pytest.mark.django_db
def test_a_declared_tls_proxy_is_believed(client, https_on):
    https_on.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/feeds/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


@pytest.mark.django_db
def test_without_a_declared_proxy_a_forwarded_proto_is_ignored(client, https_on):
    response = client.get("/feeds/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_cookies_are_secure_in_production(https_on, editor):
    https_on.SESSION_COOKIE_SECURE = True
    https_on.CSRF_COOKIE_SECURE = True
    client = Client(enforce_csrf_checks=True)

    login_page = client.get(reverse("admin:login"), secure=True)
    response = client.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": STAFF_PASSWORD,
            "csrfmiddlewaretoken": login_page.cookies["csrftoken"].value,
        },
        secure=True,
        HTTP_REFERER="https://testserver" + reverse("admin:login"),
    )

    assert response.status_code == 302
    assert login_page.cookies["csrftoken"]["secure"]
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]
