"""The signup bench from start to end: the stack, the addresses, the timings, the report."""

import os
import secrets

import django
from django.db import connections

from bench.common.environment import manage, server_environment
from bench.common.lifecycle import Run
from bench.common.machine import load_average
from bench.common.mail import Inbox, MailServer
from bench.common.postgres import scratch_postgres
from bench.common.processes import free_port
from bench.common.redis_server import start_redis
from bench.common.web_server import WORKERS, Gunicorn
from bench.common.worker import TaskWorker
from bench.signups.addresses import NEWSLETTER, make_addresses, rows_after
from bench.signups.report import report
from bench.signups.statements import count_statements
from bench.signups.timing import time_signups


class SignupBench(Run):
    def __init__(self, args):
        super().__init__(args)
        self.run_id = secrets.token_hex(3)
        self.facts = {}

    def prepare(self):
        """A PostgreSQL and a Redis of the bench's own; the site migrated and collected."""
        self.workdir = self.scratch_folder("rs-cms-bench-signup-")
        self.postgres = scratch_postgres(self.workdir, self.cleanups, self.args.pg_bin)
        self.facts["postgres"] = self.postgres.version()
        redis = start_redis(self.workdir, self.cleanups)
        if redis:
            cache_url = f"redis://127.0.0.1:{redis.port}/0"
            print(f"redis-server on port {redis.port}")
        else:
            # Each gunicorn worker keeps its own counts: the rate limit only, which is raised.
            cache_url = "locmem://"
            print("no redis-server: each worker caches in its own memory")
        self.facts["cache"] = cache_url.split(":")[0]
        self.mail_port = free_port()
        self.env = server_environment(
            database_url=self.postgres.url(),
            cache_url=cache_url,
            workdir=self.workdir,
            # One client sends every signup: far more than a reader's share.
            SIGNUP_RATE_LIMIT="1000000",
            NEWSLETTER_DEFAULT=NEWSLETTER,
            TASKS_BACKEND="database",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(self.mail_port),
            SMTP_USE_TLS="0",
            SMTP_TIMEOUT="5",
            # gunicorn.conf.py: above 1, threaded workers, which keep connections alive.
            GUNICORN_THREADS=str(self.args.threads),
        )
        print("migrate, collectstatic")
        manage(self.env, "migrate", "--no-input", "-v", "0")
        manage(self.env, "collectstatic", "--no-input", "-v", "0")

    def setup_django(self):
        os.environ.update(self.env)
        # The test client's host too, for the in-process count.
        os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
        django.setup()
        self.cleanups.callback(connections.close_all)

    def start(self):
        """gunicorn, and with --worker the task worker mailing an inbox in this process."""
        self.server = Gunicorn(self.env, self.workdir / "gunicorn.log")
        self.cleanups.callback(self.server.stop)
        self.server.start()
        print(f"gunicorn on {self.server.base_url}: {WORKERS} workers, gunicorn.conf.py")
        self.inbox = Inbox()
        if self.args.worker:
            mail = MailServer(self.inbox, self.mail_port)
            mail.start()
            self.cleanups.callback(mail.stop)
            worker = TaskWorker(self.env, self.workdir / "worker.log")
            self.cleanups.callback(worker.stop)
            worker.start()
            print("task worker running (manage.py run_worker), mailing an aiosmtpd inbox")
        else:
            print("no task worker: the confirmation tasks wait in the queue")

    def run(self):
        args = self.args
        self.facts["load"] = load_average()
        self.prepare()
        self.setup_django()
        # Every request, warm-up and in-process count included, has its own address.
        make_addresses(self.run_id, args.requests + args.warmup + 2)
        self.statements, self.same_statements = count_statements(
            self.run_id, args.requests + args.warmup + 1
        )
        self.start()
        print(f"{args.requests} signups per state, after {args.warmup} warm-up rounds")
        self.timings = time_signups(
            self.server.port, self.run_id, args.requests, args.warmup, self.cleanups
        )
        self.rows_after = rows_after(self.run_id)
        return report(self)
