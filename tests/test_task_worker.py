"""`make run`'s site with its real task worker (Procfile.dev under honcho), against a mail server
that accepts connections and never answers, then a working one.

No reader waits on the mail server, and once a working server takes over every confirmation
arrives exactly once. The site runs in its own processes on its own database (a SQLite file, or
a scratch PostgreSQL database when the suite runs on PostgreSQL), as a newcomer's would."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from psycopg import sql

from bench.common.mail import SilentMailServer
from bench.common.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SIGNUPS = 10
# Generous: these are the test's deadlines, not the site's. The site's answers must each come
# within a second, and the test checks that.
PATIENCE = 120


class Inbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted"


@pytest.fixture
def database_url():
    """A database of the site's own, of the kind the suite runs on."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"rs-cms-worker-{os.getpid()}.sqlite3"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"rs_cms_worker_{os.getpid()}"
    server = {
        "host": default["HOST"] or "127.0.0.1",
        "port": default["PORT"] or 5432,
        "user": default["USER"],
        "password": default["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    credentials = server["user"] + (f":{server['password']}" if server["password"] else "")
    yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def site_environment(database_url, tmp_path, web_port, mail_port):
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-media"),
        "CACHE_URL": "locmem://",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        # Every page is rendered: the article page must be quick uncached.
        "PAGE_CACHE_SECONDS": "0",
        "SIGNUP_RATE_LIMIT": "100",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mail_port),
        "SMTP_USE_TLS": "0",
        "SMTP_TIMEOUT": "2",
        "MAIL_RETRY_DELAYS": "1,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2",
        "TASKS_BACKEND": "database",
        # Nothing restarts halfway through because a file changed.
        "RUNSERVER_OPTIONS": "--noreload",
        "PYTHONUNBUFFERED": "1",
    }


def manage(environment, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=PATIENCE,
    )


def get(url, data=None):
    """(status, seconds) of one request; an error status is an answer too."""
    started = time.perf_counter()
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=PATIENCE) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def wait_for(condition, what, timeout=PATIENCE):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Gave up waiting for {what}")


def answers(url):
    try:
        return get(url)[0] == 200
    except OSError:
        return False


def ask_the_site(environment, expression):
    """The value of a Python expression, evaluated in the site's own environment."""
    output = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"import json; print(json.dumps({expression}))",
        ],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def first_article_path(environment):
    return ask_the_site(
        environment,
        "__import__('articles.models').models.Article.objects.published()"
        ".first().get_absolute_url()",
    )


def unfinished_renditions(environment):
    return ask_the_site(
        environment,
        "__import__('django_tasks_db.models').models.DBTaskResult.objects"
        ".filter(task_path='articles.tasks.make_renditions', finished_at__isnull=True).count()",
    )


@pytest.mark.timeout(600)
def test_a_silent_mail_server_costs_readers_nothing_and_every_mail_arrives_once(
    database_url, tmp_path
):
    web_port, mail_port = free_port(), free_port()
    environment = site_environment(database_url, tmp_path, web_port, mail_port)
    manage(environment, "migrate", "--no-input")
    manage(environment, "load_demo")
    article = first_article_path(environment)
    silent = SilentMailServer(mail_port)
    log = (tmp_path / "site.log").open("w")
    # What `make run` starts: the web server and the worker, under honcho.
    site = subprocess.Popen(
        [BIN / "honcho", "start", "-f", "Procfile.dev", "--port", str(web_port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{web_port}"
    inbox = Inbox()
    controller = None
    try:
        wait_for(lambda: answers(f"{base}/"), "the site to answer")
        # The demo's pictures are encoded first: the worker's CPU is not what is measured here,
        # the mail server is. (On a 2-core machine AVIF encoding beside the web server is.)
        wait_for(lambda: unfinished_renditions(environment) == 0, "the demo's renditions")
        addresses = [f"new-reader-{n}@example.net" for n in range(SIGNUPS)]
        with ThreadPoolExecutor(SIGNUPS) as pool:
            signups = list(
                pool.map(
                    lambda address: get(
                        f"{base}/newsletter/signup/", {"email": address, "source": article}
                    ),
                    addresses,
                )
            )
        home, article_page = get(f"{base}/"), get(f"{base}{article}")

        assert [status for status, _ in signups] == [200] * SIGNUPS
        assert home[0] == 200 and article_page[0] == 200
        timings = [round(seconds, 3) for _, seconds in [*signups, home, article_page]]
        assert max(timings) < 1, f"a reader waited (signups, home, article): {timings} s"

        # The worker has met the silent server; now a working one takes its place.
        wait_for(lambda: len(silent.connections) >= 2, "the worker to try the silent server")
        silent.close()
        controller = Controller(inbox, hostname="127.0.0.1", port=mail_port)
        controller.start()
        wait_for(lambda: len(inbox.messages) >= SIGNUPS, "every confirmation mail")
        # Long enough for any second copy (retries come 1–2 s apart) to show up.
        time.sleep(6)

        recipients = sorted(recipient for rcpt_tos, _ in inbox.messages for recipient in rcpt_tos)
        assert recipients == sorted(addresses)
        for _, message in inbox.messages:
            assert message["Subject"] == "Confirm your subscription to The Weekly Round-up"
            text = next(
                part.get_payload(decode=True).decode()
                for part in message.walk()
                if part.get_content_type() == "text/plain"
            )
            assert f"{base}/newsletter/confirm/" in text
    finally:
        if controller is not None:
            controller.stop()
        silent.close()
        # Ctrl-C, as a person stops `make run`: honcho stops the web server and the worker.
        os.killpg(site.pid, signal.SIGINT)
        try:
            site.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(site.pid, signal.SIGKILL)
            site.wait()
        log.close()
    output = (tmp_path / "site.log").read_text()
    assert "web.1" in output and "worker.1" in output
    with pytest.raises(ProcessLookupError):
        os.killpg(site.pid, 0)
