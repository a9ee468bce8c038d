"""gunicorn.conf.py: what each environment gives, and that gunicorn accepts all of it."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
VARIABLES = [
    "CACHE_URL",
    "BIND",
    "PORT",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
    "GUNICORN_ACCESS_LOG",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_LOG_LEVEL",
    "GUNICORN_CONTROL_SOCKET",
]


@pytest.fixture
def load(monkeypatch):
    """The configuration's settings as gunicorn would apply them, under the given environment."""

    def load(**env):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        namespace = runpy.run_path(str(CONFIG))
        config = Config()
        for name, value in namespace.items():
            if name in config.settings:
                config.set(name, value)
        return namespace, config

    return load


def test_every_setting_in_the_file_is_one_gunicorn_knows(load):
    namespace, config = load()
    helpers = {"os", "MAX_WORKERS", "available_cores", "workers_for"}
    helpers |= {"bind_from_env", "access_log_from_env"}
    unknown = {
        name
        for name in namespace
        if not name.startswith("__") and name not in helpers and name not in config.settings
    }
    assert not unknown


def test_production_defaults(load):
    namespace, config = load()

    assert config.wsgi_app == "rs_cms.wsgi:application"
    assert config.address == [("127.0.0.1", 8000)]
    assert config.workers == namespace["workers_for"](namespace["available_cores"]())
    assert config.threads == 1
    assert config.worker_class_str == "sync"
    assert (config.timeout, config.graceful_timeout, config.keepalive) == (30, 30, 5)
    assert (config.max_requests, config.max_requests_jitter) == (1000, 100)
    assert config.accesslog is None
    assert config.errorlog == "-"
    assert config.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert config.control_socket_disable is True


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 5), (4, 9), (8, 12), (64, 12)])
def test_workers_follow_the_cores_within_a_cap(load, cores, workers):
    namespace, _ = load()
    assert namespace["workers_for"](cores) == workers


def test_workers_count_only_the_cores_this_process_may_use(load, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    _, config = load()
    assert config.workers == 7


def test_the_environment_overrides_the_defaults(load):
    _, config = load(
        WEB_CONCURRENCY="3",
        PORT="9000",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="20",
        GUNICORN_GRACEFUL_TIMEOUT="45",
        GUNICORN_KEEPALIVE="75",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        GUNICORN_ACCESS_LOG="1",
        GUNICORN_LOG_LEVEL="warning",
        FORWARDED_ALLOW_IPS="*",
    )

    assert config.workers == 3
    assert config.address == [("0.0.0.0", 9000)]
    assert config.threads == 4
    assert (config.timeout, config.graceful_timeout, config.keepalive) == (20, 45, 75)
    assert (config.max_requests, config.max_requests_jitter) == (500, 50)
    assert config.accesslog == "-"
    assert config.loglevel == "warning"
    assert config.forwarded_allow_ips == ["*"]


def test_bind_wins_over_port(load):
    _, config = load(BIND="unix:/run/rs_cms.sock, 10.0.0.5:8000", PORT="9000")
    assert config.address == ["/run/rs_cms.sock", ("10.0.0.5", 8000)]


@pytest.mark.parametrize(
    ("value", "accesslog"),
    [
        ("", None),
        ("0", None),
        ("off", None),
        ("true", "-"),
        ("/var/log/rs_cms/access.log", "/var/log/rs_cms/access.log"),
    ],
)
def test_the_access_log_is_off_unless_asked_for(load, value, accesslog):
    _, config = load(GUNICORN_ACCESS_LOG=value)
    assert config.accesslog == accesslog


def test_a_control_socket_only_when_asked_for(load, tmp_path):
    _, config = load(GUNICORN_CONTROL_SOCKET=str(tmp_path / "gunicorn.ctl"))
    assert config.control_socket_disable is False
    assert config.control_socket == str(tmp_path / "gunicorn.ctl")


def test_worker_heartbeats_are_kept_in_memory(load):
    _, config = load()
    assert config.worker_tmp_dir == ("/dev/shm" if os.path.isdir("/dev/shm") else None)


class FakeLog:
    def __init__(self):
        self.warnings = []

    def warning(self, message, *args):
        self.warnings.append(message % args)


@pytest.mark.parametrize(
    ("cache_url", "workers", "warned"),
    [
        ("", 5, True),
        ("locmem://", 2, True),
        ("locmem://", 1, False),
        ("redis://10.0.0.7:6379/0", 5, False),
        ("rediss://cache.internal:6380/0", 5, False),
    ],
)
def test_workers_without_a_shared_cache_are_warned_about(load, cache_url, workers, warned):
    _, config = load(CACHE_URL=cache_url, WEB_CONCURRENCY=str(workers))
    server = SimpleNamespace(cfg=config, log=FakeLog())

    config.on_starting(server)

    assert bool(server.log.warnings) is warned
    if warned:
        assert f"each of the {workers} workers keeps its own cache" in server.log.warnings[0]


def test_gunicorn_loads_the_configuration_and_the_application(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SITE_URL", *VARIABLES}}
    production = {
        "SECRET_KEY": "a-real-secret",
        "SITE_URL": "https://www.example.org",
        "STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--check-config"],
        cwd=ROOT,
        env={**clean, **production, "PYTHONWARNINGS": "error"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
