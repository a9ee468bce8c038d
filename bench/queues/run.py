"""The task-queue bench's orchestrating process: the database, Redis, one process per backend."""

import json
import sys

import redis

from bench.common.environment import ROOT, manage, server_environment
from bench.common.lifecycle import Run
from bench.common.postgres import scratch_postgres
from bench.common.processes import free_port, run_checked
from bench.queues.backends import BACKENDS, rq_importable
from bench.queues.report import report

# Each backend is measured by this script again, in a process set up with its settings.
SCRIPT = ROOT / "bench" / "task_backends.py"


class QueueBench(Run):
    def __init__(self, args):
        super().__init__(args)
        self.notes = []
        self.redis_version = "?"

    def prepare(self):
        self.workdir = self.scratch_folder("rs-cms-bench-tasks-")
        self.postgres = scratch_postgres(self.workdir, self.cleanups, self.args.pg_bin)
        self.env = server_environment(
            database_url=self.postgres.url(),
            cache_url="locmem://",
            workdir=self.workdir,
            TASKS_BACKEND="database",
            PYTHONUNBUFFERED="1",
        )
        print("migrate")
        manage(self.env, "migrate", "--no-input", "-v", "0")

    def redis_ready(self):
        """Whether the RQ side can run: the packages import and the Redis db is free."""
        if not rq_importable():
            self.notes.append(
                "django-tasks-rq (or django-rq) is not importable in this environment: only the "
                "database backend was measured. It is not a dependency of the project; "
                "`pip install django-tasks-rq` into .venv to compare."
            )
            return False
        client = redis.Redis.from_url(self.args.redis_url)
        self.cleanups.callback(client.close)
        try:
            keys = client.dbsize()
        except redis.RedisError as error:
            self.notes.append(f"Redis at {self.args.redis_url} is unreachable ({error}).")
            return False
        if keys:
            raise SystemExit(
                f"{self.args.redis_url} holds {keys} keys: not ours to flush. "
                "Choose an empty database with --redis-url."
            )
        self.cleanups.callback(client.flushdb)
        self.redis_version = client.info("server").get("redis_version", "?")
        return True

    def measure(self, backend):
        """The figures of `backend`, measured in a process of its own."""
        label, settings_module, _, _ = BACKENDS[backend]
        print(f"{label}: measuring")
        env = {
            **self.env,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "BENCH_RQ_URL": self.args.redis_url,
            "BENCH_RQ_DOWN_URL": f"redis://127.0.0.1:{free_port()}/0",
        }
        output = run_checked(
            [
                sys.executable,
                str(SCRIPT),
                "--measure",
                backend,
                "--enqueues",
                str(self.args.enqueues),
                "--starts",
                str(self.args.starts),
                "--workdir",
                str(self.workdir),
            ],
            cwd=ROOT,
            env=env,
        )
        line = next(line for line in output.splitlines() if line.startswith("RESULT "))
        return json.loads(line.removeprefix("RESULT "))

    def run(self):
        self.prepare()
        backends = ["database", "rq"] if self.redis_ready() else ["database"]
        figures = [self.measure(backend) for backend in backends]
        report(figures, self.args, self.postgres.version(), self.redis_version, self.notes)
