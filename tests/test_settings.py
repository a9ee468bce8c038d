import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from rs_cms.environment import PREPARE_THRESHOLD, cache_from_url, database_from_env

ROOT = Path(__file__).resolve().parent.parent


def django_setup(then="print('started')", **env):
    """Start Django in a fresh interpreter with only the given configuration, then run `then`."""
    given = {"SECRET_KEY", "DEBUG", "SITE_URL", "HOST", "PORT"}
    clean = {k: v for k, v in os.environ.items() if k not in given}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {then}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "rs_cms.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


# What production needs besides a secret key.
SITE = {"SITE_URL": "https://review.example.org"}


def test_production_refuses_to_start_without_a_secret_key():
    result = django_setup(**SITE)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = django_setup(SECRET_KEY="a-real-secret", **SITE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_production_refuses_to_start_without_a_site_url():
    result = django_setup(SECRET_KEY="a-real-secret", PORT="8123")
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr


PRINT_SITE_URL = "from django.conf import settings; print(settings.SITE_URL)"


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "localhost", "PORT": "8123"}, "http://localhost:8123"),
        ({"HOST": "", "PORT": ""}, "http://127.0.0.1:8000"),
        ({"PORT": "8123", "SITE_URL": "https://review.example.org"}, "https://review.example.org"),
    ],
)
def test_development_serves_links_on_the_port_it_runs_on(env, site_url):
    result = django_setup(PRINT_SITE_URL, DEBUG="1", **env)
    assert result.stdout.strip() == site_url, result.stderr


def test_development_runs_without_a_secret_key():
    assert django_setup(DEBUG="1").returncode == 0


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "rs_cms.cache_backends.FailSoftRedisCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_chooses_the_backend(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend


def test_unknown_cache_url_is_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match="memcached"):
        cache_from_url("memcached://127.0.0.1")


def test_the_task_queue_is_the_database_unless_told_otherwise():
    result = django_setup(
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
        SECRET_KEY="a-real-secret",
        **SITE,
    )
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend", result.stderr


def test_production_refuses_to_run_tasks_inside_requests():
    result = django_setup(SECRET_KEY="a-real-secret", TASKS_BACKEND="immediate", **SITE)
    assert result.returncode != 0
    assert "TASKS_BACKEND=immediate runs mail and picture encoding inside" in result.stderr
    assert django_setup(DEBUG="1", TASKS_BACKEND="immediate").returncode == 0


def test_an_unknown_task_backend_is_a_clear_error():
    result = django_setup(DEBUG="1", TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of database, immediate, not 'celery'" in result.stderr


POSTGRES_URL = "postgres://rs_cms@db.internal:5432/rs_cms"
SQLITE_URL = "sqlite:///db.sqlite3"


def test_postgresql_prepares_statements_by_default():
    options = database_from_env({"DATABASE_URL": POSTGRES_URL}, SQLITE_URL)["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": PREPARE_THRESHOLD}


@pytest.mark.parametrize("value", ["0", "false", "off"])
def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(value):
    environ = {"DATABASE_URL": POSTGRES_URL, "DATABASE_PREPARED_STATEMENTS": value}
    assert database_from_env(environ, SQLITE_URL)["OPTIONS"] == {}


def test_options_in_the_database_url_are_kept_beside_the_prepared_statements():
    environ = {"DATABASE_URL": POSTGRES_URL + "?connect_timeout=5"}
    options = database_from_env(environ, SQLITE_URL)["OPTIONS"]
    assert options["connect_timeout"] == 5
    assert options["server_side_binding"] is True


def test_sqlite_gets_its_locking_options_and_no_prepared_statements():
    database = database_from_env({"SQLITE_BUSY_TIMEOUT": "7"}, SQLITE_URL)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 7,
    }
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
@pytest.mark.django_db
def test_a_query_run_often_is_prepared_on_its_connection():
    """What Django passes on to psycopg: past the threshold, PostgreSQL holds the statement."""
    with connection.cursor() as cursor:
        for _ in range(PREPARE_THRESHOLD + 1):
            cursor.execute("SELECT %s::int AS prepared_statement_probe", [1])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%prepared_statement_probe%"],
        )
        assert cursor.fetchone()[0] == 1
