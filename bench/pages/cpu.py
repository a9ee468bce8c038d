"""The server's CPU per slice, from /proc: gunicorn's processes, PostgreSQL's backends, Redis."""

import os
import time
from pathlib import Path

from bench.common.processes import child_pids, process_ticks, read_stat

CLK_TCK = os.sysconf("SC_CLK_TCK")


def accept_queue(proc_net_tcp, port):
    """Connections waiting to be accepted on the listening socket of `port`, from /proc/net/tcp."""
    # For a listening socket, rx_queue is its accept queue.
    for line in proc_net_tcp.splitlines()[1:]:
        fields = line.split()
        local, state, queues = fields[1], fields[3], fields[4]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
            return int(queues.split(":")[1], 16)
    return 0


def tree_ticks(parent, children):
    """CPU ticks of a process and its children, live ones and those it has already reaped."""
    total = parent.utime + parent.stime + parent.cutime + parent.cstime
    return total + sum(child.utime + child.stime for child in children)


class CpuMeter:
    """CPU ticks of the server between begin() and end()."""

    def __init__(self, master_pid, port, monitor, dbname, redis_pid):
        self.master_pid = master_pid
        self.port = port
        # A connection to the server, to find the PostgreSQL backends of the bench database.
        self.monitor = monitor
        self.dbname = dbname
        self.redis_pid = redis_pid
        self.first = {}
        self.last = {}

    def app_ticks(self):
        master = read_stat(self.master_pid)
        if master is None:
            raise SystemExit("gunicorn has stopped")
        workers = [stat for pid in child_pids(self.master_pid) if (stat := read_stat(pid))]
        return tree_ticks(master, workers)

    def backend_ticks(self):
        rows = self.monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s"
            " AND backend_type IN ('client backend', 'parallel worker')",
            [self.dbname],
        ).fetchall()
        return {pid: ticks for (pid,) in rows if (ticks := process_ticks(pid)) is not None}

    def cache_ticks(self):
        if self.redis_pid is None:
            return 0
        return process_ticks(self.redis_pid) or 0

    def busy_ticks(self):
        # Not Redis's: other programs on the machine may be using it.
        return self.app_ticks() + sum(self.backend_ticks().values())

    def wait_idle(self, interval=0.2, limit=60):
        """Whether the server went idle within `limit` seconds."""
        # Idle: nothing waiting to be accepted and at most a tick spent, twice in a row (an idle
        # gunicorn worker still wakes up to say it is alive; on a busy machine a working one may
        # get no CPU for a moment).
        deadline = time.monotonic() + limit
        previous, quiet = self.busy_ticks(), 0
        while time.monotonic() < deadline:
            time.sleep(interval)
            current = self.busy_ticks()
            waiting = accept_queue(Path("/proc/net/tcp").read_text(), self.port)
            quiet = quiet + 1 if current - previous <= 1 and not waiting else 0
            if quiet == 2:
                return True
            previous = current
        return False

    def begin(self):
        self.first = self.backend_ticks()
        self.last = dict(self.first)
        self.app_start = self.app_ticks()
        self.cache_start = self.cache_ticks()

    def poll(self):
        # A backend that appeared during the slice was born during it: it started from zero.
        for pid, ticks in self.backend_ticks().items():
            self.first.setdefault(pid, 0)
            self.last[pid] = ticks

    def end(self):
        """Seconds of CPU since begin(): (gunicorn, PostgreSQL, Redis, backends seen)."""
        app = self.app_ticks() - self.app_start
        cache = self.cache_ticks() - self.cache_start
        self.poll()
        db = sum(self.last[pid] - self.first[pid] for pid in self.last)
        return app / CLK_TCK, db / CLK_TCK, cache / CLK_TCK, len(self.last)
