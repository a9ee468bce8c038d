"""The site as a bench or drill runs it: production's settings, on loopback, from the repository."""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bench.common.processes import run_checked

ROOT = Path(__file__).resolve().parents[2]
# The site's address under a benchmark or drill: https, as production's links are.
SITE_URL = "https://review.example.org"
SITE_HOST = urlsplit(SITE_URL).netloc


def server_environment(database_url, cache_url, workdir, **settings):
    """The environment the app runs in under a benchmark or drill: production's, on loopback."""
    # Inherited S3 settings would send the demo's media to a bucket, and an access log would be
    # measured with every request: production runs without one.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("MEDIA_S3_") and name != "GUNICORN_ACCESS_LOG"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="rs_cms.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        # Clients that want the page cache send SITE_URL's host, as readers behind the proxy
        # do: the cache stores pages for that host only.
        ALLOWED_HOSTS=f"127.0.0.1,{urlsplit(SITE_URL).hostname}",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        CONN_MAX_AGE="60",
        # Production links are https (the newsletter export refuses anything else).
        SITE_URL=SITE_URL,
        # wrk and the clients speak plain http on loopback (in production the proxy in front
        # terminates TLS): no redirect to https.
        SECURE_SSL_REDIRECT="0",
        MEDIA_ROOT=str(workdir / "media"),
        # Uploaded originals live apart from the public media: in the workdir too, never in
        # the repository's folder.
        PRIVATE_MEDIA_ROOT=str(workdir / "private-media"),
        STATIC_ROOT=str(workdir / "static"),
    )
    env.update(settings)
    return env


def manage(env, *command):
    """What `manage.py <command>` printed, run in `env`; a failure ends the bench."""
    return run_checked([sys.executable, "manage.py", *command], cwd=ROOT, env=env)
