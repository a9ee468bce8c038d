"""Scratch PostgreSQL: a cluster of the bench's own, or a database on the shared server."""

import contextlib
import glob
import os
import pwd
import re
import secrets
from pathlib import Path

import psycopg
from psycopg import sql

from bench.common.processes import free_port, run_checked

DATABASE = "rs_cms"


def postgres_bin(explicit=None):
    """The newest PostgreSQL server programs installed, or the folder given."""
    if explicit:
        return Path(explicit)
    found = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not found:
        raise SystemExit("No PostgreSQL server programs under /usr/lib/postgresql/*/bin.")
    newest = max(found, key=lambda path: int(re.search(r"/(\d+)/bin/", path).group(1)))
    return Path(newest).parent


class Postgres:
    """A throwaway PostgreSQL cluster in `folder`, run as the postgres user when we are root."""

    def __init__(self, bin_dir, folder):
        self.bin_dir = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_user = []
        folder.mkdir()
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise SystemExit("Running as root, and there is no postgres user.") from None
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        folder.chmod(0o700)

    def run(self, program, *arguments):
        return run_checked([*self.as_user, str(self.bin_dir / program), *arguments], cwd="/")

    def init(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self):
        options = f"-p {self.port} -h 127.0.0.1 -k {self.folder}"
        log = str(self.folder / "postgres.log")
        self.run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", log, "-o", options
        )

    def stop(self):
        self.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def stop_if_running(self):
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(SystemExit):
                self.stop()

    def url(self, database=DATABASE):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def version(self):
        return run_checked([str(self.bin_dir / "postgres"), "--version"]).strip()


def scratch_postgres(workdir, cleanups, pg_bin=None):
    """A started cluster in `workdir` with an empty DATABASE, stopped by `cleanups`."""
    # The postgres user must reach its folder inside ours.
    workdir.chmod(0o711)
    postgres = Postgres(postgres_bin(pg_bin), workdir / "postgres")
    print(f"PostgreSQL ({postgres.bin_dir}): initdb, start on port {postgres.port}")
    postgres.init()
    postgres.start()
    cleanups.callback(postgres.stop_if_running)
    with psycopg.connect(postgres.url("postgres"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return postgres


def scratch_database(server_url, cleanups, prefix="rs_cms_bench"):
    """A new database on a running server, dropped at cleanup: (its name, a monitor connection)."""
    # The monitor, on the server's `postgres` database, reads pg_stat_activity during the run.
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    monitor = psycopg.connect(f"{server_url}/postgres", autocommit=True)
    cleanups.callback(monitor.close)
    monitor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    cleanups.callback(
        monitor.execute,
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
    )
    return name, monitor
