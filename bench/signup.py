#!/usr/bin/env python
"""Benchmark, not a test: newsletter signup's answer time by the address's state."""

# .venv/bin/python bench/signup.py [--requests 200] [--warmup 25] [--worker] [--threads 1]
#
# A signup must cost the same whatever the address (new, pending, confirmed, unsubscribed), or its
# timing tells a stranger who is on the list. On a throwaway PostgreSQL cluster and redis-server
# (as bench/fault_drill.py makes them), with gunicorn serving the site as bench/site.py does
# (gunicorn.conf.py, 2 workers, DEBUG off), it prepares one newsletter with addresses in each
# state, a fresh one for every request (new ones are made up as it goes), and posts --requests
# signups per state from one client thread over one keep-alive HTTP connection, interleaved
# new, pending, confirmed, unsubscribed, new, ... after --warmup rounds that are not counted.
# gunicorn's sync workers (production's default) close the connection after every answer, so the
# client then opens one per request; --threads 2 runs threaded workers, which keep it open.
# It reports each state's median and p90, and the largest median over the smallest; the medians
# must lie within --tolerance (10 %) of each other, or it exits 1.
#
# Without --worker no task worker runs: the request must not care, and the confirmation tasks
# just wait in the queue. With it, `manage.py run_worker` runs beside gunicorn and mails an
# aiosmtpd inbox in this process, as it would in production.
#
# In-process (Django's test client and CaptureQueriesContext, on the same database) it also
# counts the SQL statements of one signup per state, and shows that they are the same statements:
# the same kind and number, literals aside. Everything it makes is removed on exit, Ctrl-C
# included.
#
# The code: bench/signups/.

import sys
from pathlib import Path

if __name__ == "__main__":
    # Python put bench/ first on the path, where its scripts would shadow the site's apps
    # (bench/newsletter.py) and the standard library (bench/site.py): the repository goes instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from bench.signups.cli import main

    main()
