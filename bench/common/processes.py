"""Child processes, their CPU ticks in /proc, and loopback ports."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcStat:
    ppid: int
    utime: int
    stime: int
    cutime: int
    cstime: int


def parse_proc_stat(text):
    """The fields we need from a /proc/<pid>/stat line (the command name may hold spaces)."""
    fields = text[text.rindex(")") + 2 :].split()
    return ProcStat(
        ppid=int(fields[1]),
        utime=int(fields[11]),
        stime=int(fields[12]),
        cutime=int(fields[13]),
        cstime=int(fields[14]),
    )


def read_stat(pid):
    try:
        return parse_proc_stat(Path(f"/proc/{pid}/stat").read_text())
    except (FileNotFoundError, ProcessLookupError):
        return None


def child_pids(parent):
    children = Path(f"/proc/{parent}/task/{parent}/children")
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        return [int(pid) for pid in children.read_text().split()]
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (stat := read_stat(entry.name)) and stat.ppid == parent:
            pids.append(int(entry.name))
    return pids


def process_ticks(pid):
    stat = read_stat(pid)
    return stat.utime + stat.stime if stat else None


def run_checked(cmd, **kwargs):
    """Run a command; on failure show what it printed."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(map(str, cmd))}")
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def bind_listener(port, patience=10):
    """A listening socket on `port`, once another socket that held it a moment lets go."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return socket.create_server(("127.0.0.1", port))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
