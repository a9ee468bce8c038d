"""The site bench's data: a scratch database on the shared PostgreSQL, loaded, and a Redis db."""

import os
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.common.environment import manage, server_environment
from bench.common.postgres import scratch_database
from bench.common.processes import process_ticks


@dataclass
class Scratch:
    workdir: Path
    dbname: str
    monitor: psycopg.Connection  # to the server's `postgres` database, in autocommit
    redis: object  # a redis.Redis on the page cache's db
    redis_pid: int | None  # None when Redis runs out of this machine's sight
    env: dict

    @property
    def static_root(self):
        return self.workdir / "static"


def prepare(args, workdir, cleanups, findings, db_prefix="rs_cms_bench"):
    """Database and Redis db made (and undone by `cleanups`), migrated, loaded and collected."""
    # Imported here: ensure_tools() installs redis-py when it is missing.
    import redis

    dbname, monitor = scratch_database(args.postgres, cleanups, db_prefix)

    client = redis.Redis.from_url(args.redis_url)
    cleanups.callback(client.close)
    client.flushdb()
    cleanups.callback(client.flushdb)
    info = client.info("server")
    findings.facts["redis"] = info.get("redis_version", "?")
    redis_pid = info.get("process_id")
    redis_pid = redis_pid if redis_pid and process_ticks(redis_pid) is not None else None
    if redis_pid is None:
        findings.note("Redis runs out of this machine's sight: its CPU is not measured.")

    env = server_environment(
        database_url=f"{args.postgres}/{dbname}",
        cache_url=args.redis_url,
        workdir=workdir,
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"),
    )
    print(f"database {dbname}: migrating")
    load(args, env, findings)
    return Scratch(workdir, dbname, monitor, client, redis_pid, env)


def load(args, env, findings):
    """Migrate, load the demo at the asked scale, VACUUM ANALYZE, collect the static files."""
    facts = findings.facts
    manage(env, "migrate", "--no-input", "-v", "0")
    takes_articles = "--articles" in manage(env, "load_demo", "--help")
    command = ["load_demo", "--articles", str(args.articles)] if takes_articles else ["load_demo"]
    print(f"loading: manage.py {' '.join(command)}")
    started = time.perf_counter()
    output = manage(env, *command)
    facts["load_seconds"] = time.perf_counter() - started
    facts["load_command"] = "manage.py " + " ".join(command)
    if not takes_articles:
        findings.note(
            "load_demo does not take --articles yet: the plain demo was loaded, so these "
            "figures are at demo scale, not the requested "
            f"{args.articles:,} articles."
        )
    print(f"  {output.strip().splitlines()[0] if output.strip() else 'done'}")
    print(f"  in {facts['load_seconds']:.1f} s; VACUUM ANALYZE, collectstatic")
    # As autovacuum soon would.
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    manage(env, "collectstatic", "--no-input", "-v", "0")
