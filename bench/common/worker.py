"""The task worker beside gunicorn, started and stopped as a supervisor would."""

import os
import signal
import subprocess
import sys
import time

from bench.common.environment import ROOT

# The worker line of the Procfile: what production runs beside gunicorn.
WORKER_COMMAND = ["manage.py", "run_worker", "--interval", "1"]


class TaskWorker:
    """A task worker (`manage.py run_worker` unless told otherwise) in a session of its own."""

    def __init__(self, env, log_path, command=WORKER_COMMAND, name=None):
        self.env = env
        # Appended to: each start's output follows the last one's.
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
        """SIGTERM, as a supervisor stops it; the seconds it took to exit."""
        # The task in hand is finished first.
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
