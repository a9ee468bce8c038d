#!/usr/bin/env python
"""Benchmark, not a test: a newsroom's readers and editor, the page cache with tags and without."""

# .venv/bin/python bench/workload.py [--articles 100000] [--minutes 5] [--warmup 60]
#                                    [--rate 100] [--zipf 1.0] [--save-every 30]
#                                    [--publish-every 300] [--write docs/performance.md]
#
# It loads a throwaway PostgreSQL database (127.0.0.1:5432, user postgres) with
# `load_demo --articles N`, caches in Redis db 13 (127.0.0.1:6379, flushed first) and runs four
# phases, ABBA: gunicorn with PAGE_CACHE_TAGS=1 (new), =0 (old), =0, =1. In each, wrk offers a
# steady rate of readers: home 10%, section pages 5%, articles 85% by a Zipf law, newest first;
# meanwhile an editor process saves a published story every 30 s and publishes a new one every
# 5 minutes. It reports per design the server CPU per request divided by a static file's (the
# same measure as bench/site.py, in the same run), the share of page-cache misses, p50/p99
# latency, and old ÷ new CPU per request. About 30 minutes at the defaults.
#
# Everything it makes is removed on exit, Ctrl-C included. It writes into the repository only
# when given --write (its `## Newsroom workload` section; the others stay). It reports targets
# as PASS/MISS and always exits 0 once measured. The code: bench/workloads/.

import sys
from pathlib import Path

if __name__ == "__main__":
    # Python put bench/ first on the path, where its scripts would shadow the site's apps
    # (bench/newsletter.py) and the standard library: the repository goes instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from bench.workloads.cli import main

    main()
