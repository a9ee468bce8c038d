"""State that several app servers share through Redis: the cache, rate limits and sessions.

Each "server" is a separate Python process started with the production settings, so nothing
can pass between them except through Redis and the database."""

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache

from rs_cms.cache_backends import FailSoftRedisCache

ROOT = Path(__file__).resolve().parent.parent
# Database 15 of the Redis that runs beside the tests, here and in CI; keys are unique per test.
REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_is_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


# CI always has Redis: there a missing one fails the tests instead of skipping them.
needs_redis = pytest.mark.skipif(
    not redis_is_running() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379"
)


@pytest.fixture
def redis():
    """The same Redis the app servers use, seen from the test; removes what the test made."""
    shared = RedisCache(REDIS_URL, {})
    made = []
    yield shared, made
    shared.delete_many(made)
    shared.close()


@pytest.fixture
def server_env(tmp_path):
    """The environment of every app server: production settings, one database, one Redis."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "DATABASE_URL", "CACHE_URL"} and not name.startswith("MEDIA_")
    }
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "rs_cms.settings",
        "SECRET_KEY": "a-real-secret",
        "CACHE_URL": REDIS_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    }


def start(env, code):
    """Start one app server process running `code` after django.setup()."""
    return subprocess.Popen(
        [sys.executable, "-W", "error", "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process):
    """Its last printed line, parsed as JSON."""
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    return json.loads(stdout.splitlines()[-1])


def run(env, code):
    return finish(start(env, code))


def test_a_redis_cache_url_shares_the_cache_and_the_sessions(server_env):
    settings = run(
        server_env,
        "import json; from django.conf import settings\n"
        "print(json.dumps([settings.CACHES['default'], settings.SESSION_ENGINE]))",
    )
    assert settings == [
        {"BACKEND": "rs_cms.cache_backends.FailSoftRedisCache", "LOCATION": REDIS_URL},
        "django.contrib.sessions.backends.cached_db",
    ]


def test_a_per_process_cache_keeps_sessions_in_the_database_alone(server_env):
    engine = run(
        {**server_env, "CACHE_URL": "locmem://"},
        "import json; from django.conf import settings; print(json.dumps(settings.SESSION_ENGINE))",
    )
    assert engine == "django.contrib.sessions.backends.db"


@needs_redis
def test_two_app_servers_count_against_one_rate_limit(server_env, redis):
    shared, made = redis
    client = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex}"
    made.append(f"ratelimit:signup:{client}")
    hits = (
        "import json; from rs_cms.ratelimit import hit\n"
        f"print(json.dumps([hit('signup', {client!r}, 15, 60) for _ in range(10)]))"
    )

    first, second = start(server_env, hits), start(server_env, hits)
    answers = finish(first) + finish(second)

    # Twenty hits from one client across both servers: the limit of fifteen holds overall.
    assert answers.count(True) == 15
    assert answers.count(False) == 5
    assert shared.get(f"ratelimit:signup:{client}") == 20


@needs_redis
def test_a_cache_key_set_by_one_app_server_is_seen_by_another(server_env, redis):
    shared, made = redis
    key = f"shared-state-test:{uuid.uuid4().hex}"
    made.append(key)

    run(
        server_env,
        f"from django.core.cache import cache; cache.set({key!r}, 'hello', 60); print('null')",
    )
    seen = run(
        server_env,
        f"import json; from django.core.cache import cache; print(json.dumps(cache.get({key!r})))",
    )

    assert seen == "hello"
    assert shared.get(key) == "hello"


@needs_redis
def test_a_session_started_on_one_app_server_continues_on_another(server_env, redis):
    shared, made = redis
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "sessions", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stderr
    session_key = run(
        server_env,
        "import json; from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "session = SessionStore(); session['editor'] = 'ana'; session.create()\n"
        "print(json.dumps(session.session_key))",
    )
    cache_key = f"django.contrib.sessions.cached_db{session_key}"
    made.append(cache_key)
    load = (
        "import json; from django.contrib.sessions.backends.cached_db import SessionStore\n"
        f"print(json.dumps(SessionStore({session_key!r}).load()))"
    )

    assert shared.get(cache_key) == {"editor": "ana"}
    assert run(server_env, load) == {"editor": "ana"}

    # Redis restarted or evicted the key: the session lives on in the database.
    shared.delete(cache_key)
    assert run(server_env, load) == {"editor": "ana"}


@needs_redis
def test_the_redis_cache_makes_one_client_per_connection_pool():
    shared = FailSoftRedisCache(REDIS_URL, {})
    try:
        shared.set("client-reuse-probe", 1, 5)
        assert shared.get("client-reuse-probe") == 1
        client = shared.client.get_client(write=True)
        assert shared.client.get_client(write=True) is client
        assert shared.client.get_client(write=False) is client  # one server: one pool
    finally:
        shared.delete("client-reuse-probe")
        shared.close()
