#!/usr/bin/env python
"""Benchmark, not a test: Redis cache backends compared call by call, on one Redis.

    .venv/bin/python bench/cache_backends.py [--calls 5000] [--rounds 5]
                                             [--redis-url redis://127.0.0.1:6379/12]
                                             [--backend NAME=dotted.path.Backend ...]

Each backend gets the same database of the same Redis, which must be empty and is flushed at
the end (12 by default: the tests use 9 and 15, bench/site.py 14, bench/task_backends.py 13),
and the same calls, each timed over --calls calls and --rounds rounds, the backends
taking turns within a round so that a slower moment of the machine falls on all of them:
get_many of two keys, get and incr, each on a hit and on a miss (incr's miss is the ValueError
that rs_cms/ratelimit.py handles), and set. Printed: the median round's time per call, in µs.
Standalone: it configures Django itself and imports nothing of the site but the backends.
"""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402
import redis  # noqa: E402
from django.conf import settings  # noqa: E402

BACKENDS = {
    "site": "rs_cms.cache_backends.FailSoftRedisCache",
    "django-redis": "django_redis.cache.RedisCache",
    "django": "django.core.cache.backends.redis.RedisCache",
}
# What the site gives django-redis when it is used plain: fail-soft by its own option, with
# short socket timeouts.
DJANGO_REDIS_OPTIONS = {
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": 0.25,
    "SOCKET_TIMEOUT": 1.0,
}


def incr_hit(cache):
    try:
        cache.incr("bench:counter")
    except ValueError:  # the database was flushed under the bench: count on
        cache.set("bench:counter", 0)


def incr_miss(cache):
    with contextlib.suppress(ValueError):
        cache.incr("bench:absent")


CALLS = {
    "get_many, hit": lambda cache: cache.get_many(["bench:a", "bench:b"]),
    "get_many, miss": lambda cache: cache.get_many(["bench:absent", "bench:absent2"]),
    "get, hit": lambda cache: cache.get("bench:a"),
    "get, miss": lambda cache: cache.get("bench:absent"),
    "set": lambda cache: cache.set("bench:set", {"a": 1}, 60),
    "incr, hit": incr_hit,
    "incr, miss": incr_miss,
}


def seed(cache):
    """The keys the hits read, set again before each measurement: anything else flushing this
    database meanwhile (a test run using the same one) turns hits into misses, or errors."""
    cache.set_many({"bench:a": "a" * 200, "bench:b": {"b": list(range(20))}, "bench:counter": 0})


def per_call_us(cache, call, calls):
    started = time.perf_counter()
    for _ in range(calls):
        call(cache)
    return (time.perf_counter() - started) / calls * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument(
        "--backend",
        action="append",
        metavar="NAME=PATH",
        help="a backend to measure (repeatable); default: " + ", ".join(BACKENDS),
    )
    args = parser.parse_args()
    backends = dict(b.split("=", 1) for b in args.backend) if args.backend else BACKENDS

    settings.configure(
        CACHES={
            name: {
                "BACKEND": path,
                "LOCATION": args.redis_url,
                "OPTIONS": DJANGO_REDIS_OPTIONS if path.startswith("django_redis.") else {},
            }
            for name, path in backends.items()
        }
    )
    django.setup()
    from django.core.cache import caches

    if redis.Redis.from_url(args.redis_url).dbsize():
        sys.exit(f"{args.redis_url} is not empty: give --redis-url a database of its own.")
    first = caches[next(iter(backends))]
    try:
        for name in backends:
            seed(caches[name])
            for call in CALLS.values():  # warm up: connections, imports
                call(caches[name])
        results = {name: {call: [] for call in CALLS} for name in backends}
        for _ in range(args.rounds):
            for call_name, call in CALLS.items():
                for name in backends:
                    seed(caches[name])
                    results[name][call_name].append(per_call_us(caches[name], call, args.calls))
    finally:
        first.clear()

    names = list(backends)
    print(f"µs per call, median of {args.rounds} rounds of {args.calls} calls\n")
    print("| call | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for call_name in CALLS:
        row = [f"{statistics.median(results[name][call_name]):.1f}" for name in names]
        print(f"| {call_name} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
