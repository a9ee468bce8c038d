"""Throwaway services for the bench scripts and the fault drill, all on 127.0.0.1.

A PostgreSQL cluster and a redis-server of their own (so the ones others use are left alone),
mail servers the drill switches between (one that never answers, an aiosmtpd inbox that may
answer slowly), and the task worker (`manage.py run_worker`, as the Procfile runs it)."""

import asyncio
import contextlib
import glob
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

from bench.site import WORKERS, child_pids, fetch, free_port, gunicorn_command, run_checked

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "rs_cms"
# The worker line of the Procfile: what production runs beside gunicorn.
WORKER_COMMAND = ["manage.py", "run_worker", "--interval", "1"]


def postgres_bin(explicit=None):
    """The newest PostgreSQL server programs installed, or the folder given."""
    if explicit:
        return Path(explicit)
    found = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not found:
        raise SystemExit("No PostgreSQL server programs under /usr/lib/postgresql/*/bin.")
    newest = max(found, key=lambda path: int(re.search(r"/(\d+)/bin/", path).group(1)))
    return Path(newest).parent


def port_is_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


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
    import psycopg

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


class Redis:
    """A throwaway redis-server on a free port, keeping nothing on disk."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while not port_is_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class SilentMailServer:
    """Accepts connections on `port` and never says a word, not even the SMTP greeting."""

    def __init__(self, port):
        self.listener = bind_listener(port)
        self.connections = []
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        # shutdown() wakes the accept() blocked in the thread; close() alone may not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.connections:
            connection.close()
        self.thread.join(5)


def bind_listener(port, patience=10):
    """A listening socket on `port`; waits a little should another socket hold it a moment."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return socket.create_server(("127.0.0.1", port))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Inbox:
    """aiosmtpd's handler: keeps the recipients and subject of every message it accepts, after
    waiting `delay` seconds (a slow server) before it answers the message's data."""

    def __init__(self):
        self.delay = 0.0
        self.messages = []  # (recipients, subject)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        subject = message_from_bytes(envelope.content)["Subject"]
        with self.lock:
            self.messages.append(([r.lower() for r in envelope.rcpt_tos], subject))
        return "250 Message accepted"

    def recipients(self):
        with self.lock:
            return [recipient for rcpt_tos, _ in self.messages for recipient in rcpt_tos]


class MailServer:
    """The inbox, served by aiosmtpd on `port` while started."""

    def __init__(self, inbox, port):
        self.inbox = inbox
        self.port = port
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        deadline = time.monotonic() + 10
        while True:
            controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            try:
                controller.start()
            except (OSError, RuntimeError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
                continue
            self.controller = controller
            return

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class TaskWorker:
    """A task worker (`manage.py run_worker` unless told otherwise) in a session of its own, its
    output appended to `log_path`."""

    def __init__(self, env, log_path, command=WORKER_COMMAND, name=None):
        self.env = env
        self.log_path = log_path
        self.command = command
        # The worker marks the tasks it claims with its id: named, each run's tasks are known.
        self.name = name
        self.runs = 0
        self.worker_id = None
        self.process = None
        self.exits = []  # (exit status, when) of every exit we did not ask for

    def start(self):
        self.runs += 1
        command = [sys.executable, *self.command]
        if self.name:
            self.worker_id = f"{self.name}-{self.runs}"
            command += ["--worker-id", self.worker_id]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def check(self):
        """Record an exit nobody asked for; True if the worker is running."""
        if self.process is not None and self.process.poll() is not None:
            self.exits.append((self.process.returncode, time.monotonic()))
            self.process = None
        return self.alive()

    def stop(self, patience=30):
        """SIGTERM, as a supervisor stops it: the task in hand is finished first. Returns the
        seconds it took to exit."""
        if not self.alive():
            return 0.0
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(patience)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None
        return time.monotonic() - started


class Gunicorn:
    """gunicorn serving the site as bench/site.py does (gunicorn.conf.py, WORKERS workers), in
    a session of its own, its output in `log_path`."""

    def __init__(self, env, log_path, *options):
        self.env = env
        self.log_path = log_path
        self.options = options
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, patience=120):
        """Start it and wait until every worker is up and the front page answers."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                gunicorn_command(self.port, *self.options),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + patience
        answer = "nothing"
        while True:
            if self.process.poll() is not None:
                sys.stderr.write(self.log_path.read_text(errors="replace")[-4000:])
                raise SystemExit("gunicorn exited during start-up")
            if len(child_pids(self.process.pid)) >= WORKERS:
                with contextlib.suppress(OSError):
                    answer = fetch(self.base_url, "/", timeout=10)[0]
                    if answer == 200:
                        return
            if time.monotonic() > deadline:
                sys.stderr.write(self.log_path.read_text(errors="replace")[-4000:])
                raise SystemExit(
                    f"gunicorn did not serve / within {patience} s (last answer: {answer})"
                )
            time.sleep(0.2)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
