#!/usr/bin/env python
"""Benchmark, not a test: the public site under gunicorn on PostgreSQL, driven by wrk."""

# .venv/bin/python bench/site.py [--articles 100000] [--seconds 5] [--slices 4]
#                                [--connections 16] [--write docs/performance.md]
#
# It makes a throwaway PostgreSQL database (127.0.0.1:5432, user postgres), migrates it, loads the
# demo (`load_demo --articles N` when the command takes it), collects the static files into a
# temporary folder and serves the site with gunicorn (2 workers, DEBUG off) on a free loopback
# port, caching in Redis db 14 (flushed first). wrk then measures the article page uncached and
# cached, page-cache misses on articles whose fragments are kept and on cold ones (each slice
# walking a range of articles of its own), the home page, a section page, search, and a static
# file holding the article's exact bytes, served by the same gunicorn through whitenoise.
# Slices alternate: static, page, page, static, ... The headline is each page's server CPU per
# request (gunicorn's master and workers plus the PostgreSQL backends of this database, read
# from /proc) divided by the static file's,
# per round and as the median: on a shared machine requests/second swing with other load while
# this ratio holds. In-process it also counts queries per page and times the admin article list
# and the newsletter export at the loaded scale.
#
# Everything it makes (database, Redis db, temporary folders, server) is removed on exit, Ctrl-C
# included. It writes into the repository only when given --write. It reports targets as
# PASS/MISS and always exits 0 once measured: it never fails a build. The code: bench/pages/.

import sys
from pathlib import Path

if __name__ == "__main__":
    # Python put bench/ first on the path, where its scripts would shadow the site's apps
    # (bench/newsletter.py) and the standard library (this file): the repository goes instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from bench.pages.cli import main

    main()
