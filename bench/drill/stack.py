"""The site under drill and what it talks to: PostgreSQL, Redis, a mail server, the task worker."""

import re
import secrets
import time
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from bench.common.client import fetch
from bench.common.environment import manage, server_environment
from bench.common.mail import Inbox, MailServer, SilentMailServer
from bench.common.postgres import scratch_postgres
from bench.common.processes import free_port
from bench.common.redis_server import start_redis
from bench.common.web_server import WORKERS, Gunicorn
from bench.common.worker import TaskWorker


class Stack:
    """Every service of the site, each of which a round fails and restores."""

    def __init__(self, args, workdir, cleanups, failures):
        self.args = args
        self.workdir = workdir
        self.cleanups = cleanups
        # What went wrong that is the drill's finding, not a reason to stop.
        self.failures = failures
        self.run_id = secrets.token_hex(3)
        self.began = time.monotonic()
        self.began_wall = time.time()
        self.silent_server = None

    def say(self, text):
        """A line of progress, stamped with the seconds since the drill began."""
        print(f"[{time.monotonic() - self.began:5.0f} s] {text}", flush=True)

    def prepare(self):
        """PostgreSQL and Redis of the drill's own; the site migrated, loaded and collected."""
        self.postgres = scratch_postgres(self.workdir, self.cleanups, self.args.pg_bin)
        self.redis = start_redis(self.workdir, self.cleanups)
        if self.redis:
            cache_port = self.redis.port
            self.say(f"redis-server on port {cache_port}")
        else:
            cache_port = free_port()
            self.say(f"no redis-server: CACHE_URL points at closed port {cache_port} (cache down)")

        self.mail_port = free_port()
        self.inbox = Inbox()
        self.mail_server = MailServer(self.inbox, self.mail_port)
        # Enough tries, a second or two apart, that no message is given up before the
        # drill's last outage is over (each silent try also costs --smtp-timeout).
        retries = ",".join(["1"] + ["2"] * self.args.mail_tries)
        self.env = server_environment(
            database_url=self.postgres.url(),
            cache_url=f"redis://127.0.0.1:{cache_port}/0",
            workdir=self.workdir,
            # Every client posts from 127.0.0.1: the drill needs far more than a reader's share.
            SIGNUP_RATE_LIMIT="1000000",
            TASKS_BACKEND="database",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(self.mail_port),
            SMTP_USE_TLS="0",
            SMTP_TIMEOUT=str(self.args.smtp_timeout),
            MAIL_RETRY_DELAYS=retries,
            PYTHONUNBUFFERED="1",
        )
        for command in (
            ["migrate", "--no-input", "-v", "0"],
            ["load_demo"],
            ["collectstatic", "--no-input", "-v", "0"],
        ):
            self.say(f"manage.py {command[0]}")
            manage(self.env, *command)

    def start(self):
        """The inbox, gunicorn and the task worker, all stopped at cleanup."""
        self.mail_server.start()
        self.cleanups.callback(self.stop_mail_servers)
        self.say(f"aiosmtpd inbox on port {self.mail_port}")
        self.log_path = self.workdir / "gunicorn.log"
        # gunicorn.conf.py replaces each worker after about a thousand requests; two workers
        # that share the load reach it within seconds of each other, and readers then wait on
        # the new workers' start-up whatever the fault. Off unless asked for, as in bench/site.py.
        self.server = Gunicorn(
            self.env, self.log_path, "--max-requests", str(self.args.max_requests)
        )
        self.cleanups.callback(self.server.stop)
        self.server.start()
        self.base_url = self.server.base_url
        self.say(f"gunicorn on {self.base_url}: {WORKERS} workers, gunicorn.conf.py")
        self.worker_log = self.workdir / "worker.log"
        self.worker = TaskWorker(self.env, self.worker_log, name=f"drill-{self.run_id}")
        self.cleanups.callback(self.worker.stop)
        self.worker.start()
        self.say("task worker: manage.py run_worker --interval 1")

    def silence_mail(self):
        """A server that never answers takes the inbox's port."""
        self.mail_server.stop()
        self.silent_server = SilentMailServer(self.mail_port)

    def unsilence_mail(self):
        """The inbox back on its port; how many connections met the silent server."""
        met = len(self.silent_server.connections)
        self.silent_server.close()
        self.silent_server = None
        self.mail_server.start()
        return met

    def stop_mail_servers(self):
        self.mail_server.stop()
        if self.silent_server is not None:
            self.silent_server.close()
            self.silent_server = None

    def check_worker(self, during):
        """A worker that exited by itself is a fault of its own: noted, and started again."""
        # As a supervisor would (honcho, under `make serve`, would stop the web server with it).
        if self.worker.check():
            return
        status = self.worker.exits[-1][0]
        self.failures.append(
            f"the task worker exited by itself (status {status}) during the {during} round; "
            "the drill started it again"
        )
        self.say(f"{during}: the task worker had exited (status {status}): starting it again")
        self.worker.start()

    def choose_pages(self):
        """The front page and some articles (from the sitemaps), and the signup form's fields."""
        status, body = fetch(self.base_url, "/")
        soup = BeautifulSoup(body.decode(), "html.parser")
        form = soup.find("form", action=re.compile("signup"))
        self.signup_path = form["action"]
        self.signup_fields = {
            field["name"]: field.get("value", "")
            for field in form.find_all("input", type="hidden")
            if field.get("name")
        }
        articles = []
        _, index = fetch(self.base_url, "/sitemap.xml")
        for sitemap in re.findall(r"<loc>([^<]+)</loc>", index.decode()):
            _, listing = fetch(self.base_url, urlsplit(sitemap).path)
            for loc in re.findall(r"<loc>([^<]+)</loc>", listing.decode()):
                path = urlsplit(loc).path
                if path.count("/") == 3 and fetch(self.base_url, path)[0] == 200:
                    articles.append(path)
                if len(articles) == 6:
                    break
            if len(articles) == 6:
                break
        self.pages = ["/", *articles]
        self.say(f"pages: {', '.join(self.pages)}; signups to {self.signup_path}")
