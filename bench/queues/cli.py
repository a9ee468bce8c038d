"""Benchmark, not a test: the two task queues we could run, briefly compared."""

import argparse
import json
from pathlib import Path

from bench.common.lifecycle import add_pg_bin, exit_after, stop_on_signals
from bench.queues.backends import BACKENDS
from bench.queues.measure import measure
from bench.queues.run import QueueBench


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enqueues", type=int, default=500, help="timed enqueue() calls")
    parser.add_argument("--starts", type=int, default=50, help="tasks timed to their start")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="an empty Redis database for RQ (flushed at the end)",
    )
    add_pg_bin(parser)
    # The orchestrating process runs this script again to measure one backend.
    parser.add_argument("--measure", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.enqueues < 10 or args.starts < 10:
        parser.error("--enqueues and --starts must be at least 10")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.measure:
        stop_on_signals()
        figures = measure(args.measure, args.enqueues, args.starts, Path(args.workdir))
        print("RESULT " + json.dumps(figures))
        return
    exit_after(QueueBench(args), "workers, Redis db, PostgreSQL, temporary files")
