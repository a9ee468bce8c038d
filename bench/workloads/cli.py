"""Benchmark, not a test: a newsroom's traffic and edits, page cache with tags against without."""

import argparse

from bench.common.lifecycle import exit_after, stop_on_signals
from bench.pages.cli import ensure_tools
from bench.workloads.run import WorkloadBench


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000, help="load_demo --articles N")
    parser.add_argument("--minutes", type=float, default=4, help="measured length of a phase")
    parser.add_argument(
        "--warmup", type=int, default=150, help="longest replay of the stream before a phase"
    )
    parser.add_argument(
        "--rate", type=float, default=100, help="requests/second offered, over all connections"
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf exponent of article views")
    parser.add_argument("--home-share", type=float, default=0.10, help="share of home requests")
    parser.add_argument(
        "--section-share", type=float, default=0.05, help="share of section page requests"
    )
    parser.add_argument("--save-every", type=float, default=30, help="seconds between saves")
    parser.add_argument(
        "--publish-every", type=float, default=300, help="seconds between new stories"
    )
    parser.add_argument(
        "--static-seconds", type=int, default=15, help="length of a static twin slice"
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--write", metavar="PATH", help="put the section into this Markdown file")
    args = parser.parse_args(argv)
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections")
    if not 0 <= args.home_share + args.section_share < 1:
        parser.error("--home-share and --section-share must leave room for articles")
    if args.rate <= 0 or args.minutes <= 0 or args.save_every <= 0 or args.publish_every <= 0:
        parser.error("--rate, --minutes, --save-every and --publish-every must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    stop_on_signals()
    ensure_tools()
    exit_after(WorkloadBench(args), "gunicorn, editor, Redis db, database, temporary files")
