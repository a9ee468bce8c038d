"""gunicorn serving the site as production does (gunicorn.conf.py), with WORKERS workers."""

import contextlib
import os
import signal
import subprocess
import sys
import time

from bench.common.client import fetch
from bench.common.environment import ROOT
from bench.common.processes import child_pids, free_port

WORKERS = 2
# Gunicorn's access log, when a config turns it on, must not be what the figures measure:
# the config decides, and the report says which config ran.
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"


def gunicorn_command(port, *options):
    """gunicorn serving the app with WORKERS workers on a loopback port."""
    # It reads ./gunicorn.conf.py by itself; the command line wins over it.
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        *options,
        "rs_cms.wsgi:application",
    ]


class Gunicorn:
    """gunicorn on a free port in a session of its own, its output in `log_path`."""

    def __init__(self, env, log_path, *options):
        self.env = env
        self.log_path = log_path
        self.options = options
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, probe="/", patience=120):
        """Start it and wait until every worker is up and `probe` answers 200."""
        with self.log_path.open("ab") as log:
            # Its own session: Ctrl-C reaches us, and we stop it in order.
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
                sys.stderr.write(self.log())
                raise SystemExit("gunicorn exited during start-up")
            if len(child_pids(self.process.pid)) >= WORKERS:
                with contextlib.suppress(OSError):
                    answer = fetch(self.base_url, probe, timeout=10)[0]
                    if answer == 200:
                        return
            if time.monotonic() > deadline:
                sys.stderr.write(self.log())
                raise SystemExit(
                    f"gunicorn did not serve {probe} within {patience} s (last answer: {answer})"
                )
            time.sleep(0.2)

    def log(self, last=4000):
        return self.log_path.read_text(errors="replace")[-last:]

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
