"""Benchmark, not a test: the public site under gunicorn on PostgreSQL, driven by wrk."""

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys

from bench.common.lifecycle import exit_after, stop_on_signals
from bench.pages.run import SiteBench


def ensure_tools():
    """wrk from Debian, gunicorn and redis-py in this environment: installed when missing."""
    if not shutil.which("wrk"):
        if os.geteuid() != 0:
            raise SystemExit("wrk is missing: sudo apt-get install -y wrk")
        print("wrk is missing: apt-get install -y wrk")
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False).returncode:
            subprocess.run(["apt-get", "update", "-q"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    for module in ("gunicorn", "redis"):
        if importlib.util.find_spec(module) is None:
            print(f"{module} is missing: pip install {module} into {sys.prefix}")
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", module], check=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000, help="load_demo --articles N")
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk slice")
    parser.add_argument("--slices", type=int, default=4, help="ABBA rounds per page")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--article", help="the article's path (default: the fullest story)")
    parser.add_argument("--query", default="ports", help="the search term")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--write", metavar="PATH", help="write the report here (Markdown)")
    parser.add_argument("--note", help="a line to put at the top of the written report")
    args = parser.parse_args(argv)
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections")
    return args


def main(argv=None):
    args = parse_args(argv)
    stop_on_signals()
    ensure_tools()
    exit_after(SiteBench(args), "gunicorn, Redis db, database, temporary files")
