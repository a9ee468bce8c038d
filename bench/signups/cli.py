"""Benchmark, not a test: newsletter signup's answer time by the address's state."""

import argparse

from bench.common.lifecycle import add_pg_bin, exit_after
from bench.signups.run import SignupBench


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="signups per state")
    parser.add_argument("--warmup", type=int, default=25, help="uncounted rounds first")
    parser.add_argument(
        "--tolerance", type=float, default=0.10, help="how far apart the medians may be"
    )
    parser.add_argument("--worker", action="store_true", help="run the task worker beside gunicorn")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (GUNICORN_THREADS; above 1, connections stay open)",
    )
    add_pg_bin(parser)
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0 or args.threads < 1:
        parser.error("--requests and --threads must be at least 1, --warmup not negative")
    return args


def main(argv=None):
    leftovers = "worker, gunicorn, redis-server, PostgreSQL, temporary files"
    exit_after(SignupBench(parse_args(argv)), leftovers)
