"""What the reports say of the machine and the code they measured."""

import os
import platform
import re
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.common.environment import ROOT


def cpu_model():
    model = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    return model.group(1) if model else platform.processor()


def cpu_count():
    """What `nproc` says: the CPUs this process may run on."""
    return len(os.sched_getaffinity(0))


def load_average(values=None):
    """The 1, 5 and 15 minute load averages given, or now's, as the reports print them."""
    return ", ".join(f"{x:.2f}" for x in (values or os.getloadavg()))


def package_version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def git_describe():
    result = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty=+uncommitted changes"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"
