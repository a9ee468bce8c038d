"""A redis-server of the bench's own, so the one others use is left alone."""

import shutil
import subprocess
import time

from bench.common.processes import free_port, port_is_open


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


def start_redis(folder, cleanups):
    """A started Redis in `folder`, stopped by `cleanups`; None when redis-server is missing."""
    if not shutil.which("redis-server"):
        return None
    redis = Redis(folder)
    redis.start()
    cleanups.callback(redis.stop)
    return redis
