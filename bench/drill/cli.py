"""The fault drill's command line: bench/fault_drill.py."""

import argparse

from bench.common.lifecycle import add_pg_bin, exit_after
from bench.drill.run import Drill

DESCRIPTION = (
    "Fault drill, not a test: PostgreSQL, Redis, the mail server and the task worker, each "
    "failed and restored under load."
)


# Each option: its name, type, default and help, in the order --help lists them.
OPTIONS = [
    ("--seconds", int, 30, "length of the PostgreSQL and Redis rounds"),
    ("--outage", int, 8, "seconds each service is down"),
    ("--mail-seconds", int, 20, "length of each mail and worker round"),
    (
        "--mail-outage",
        int,
        8,
        "seconds the mail server is bad, or the worker stopped, in each of those rounds",
    ),
    ("--clients", int, 4, "client threads"),
    (
        "--grace",
        float,
        3,
        "seconds after PostgreSQL is back by which every request must be served again",
    ),
    ("--smtp-timeout", float, 3, "SMTP_TIMEOUT: what a silent server costs"),
    (
        "--slow-reply",
        float,
        2,
        "seconds the slow mail server waits before taking a message (below --smtp-timeout)",
    ),
    (
        "--mail-tries",
        int,
        150,
        "retries of a mail, 2 s apart, before it is given up (MAIL_RETRY_DELAYS)",
    ),
    (
        "--slow-limit",
        float,
        3,
        "in the mail and worker rounds, no request may take this many seconds",
    ),
    ("--drain-timeout", int, 150, "seconds the queue has to empty after the last round"),
    (
        "--settle",
        float,
        6,
        "seconds to wait once the queue is empty, for any second copy of a mail",
    ),
    (
        "--max-requests",
        int,
        0,
        "gunicorn replaces a worker after this many requests (0: never; production: 1000)",
    ),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    for name, kind, default, text in OPTIONS:
        parser.add_argument(name, type=kind, default=default, help=text)
    add_pg_bin(parser)
    args = parser.parse_args(argv)
    if args.seconds < args.outage + args.grace + 5:
        parser.error("--seconds must leave room for the outage, the grace and some load after")
    if args.mail_seconds < args.mail_outage + 5:
        parser.error("--mail-seconds must leave room for the outage and some load after")
    if args.slow_reply >= args.smtp_timeout:
        # A reply later than the timeout is a failed try for a message the server took: the
        # retry would send it again. That is SMTP's nature, not what this round drills.
        parser.error("--slow-reply must be below --smtp-timeout")
    return args


def main(argv=None):
    leftovers = "task worker, gunicorn, mail servers, redis-server, PostgreSQL, temporary files"
    exit_after(Drill(parse_args(argv)), leftovers)
