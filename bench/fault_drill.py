#!/usr/bin/env python
"""Fault drill, not a test: each service the site needs, failed and restored under load."""

# .venv/bin/python bench/fault_drill.py [--seconds 30] [--outage 8] [--clients 4]
#                                       [--mail-seconds 20] [--mail-outage 8]
#
# It leaves the PostgreSQL and Redis that others use alone: it makes its own throwaway PostgreSQL
# cluster (initdb from /usr/lib/postgresql/*/bin, run as the `postgres` user when started as root,
# on a free loopback port with its socket in a temporary folder) and its own redis-server on a
# free port (without one installed, CACHE_URL points at a closed port: the cache is down all
# along, which is what the Redis part drills). It migrates, loads the demo (`load_demo`),
# collects the static files and serves the site with gunicorn (gunicorn.conf.py, 2 workers,
# DEBUG off, a persistent connection per worker, no worker recycling unless --max-requests says
# so), as bench/site.py does, and runs the task worker beside it (`manage.py run_worker`, the
# Procfile's line). Mail goes by SMTP to a loopback port the drill owns, where an aiosmtpd inbox
# takes it, except while a mail round puts something worse there; retries come every second or
# two (MAIL_RETRY_DELAYS) and a silent server costs a try --smtp-timeout seconds.
#
# Then rounds of load, with --clients threads reading pages (the page cache's addresses, and the
# same pages with a query string the cache never takes, so the database is read every time) and
# posting newsletter signups, each with an address of its own. Each round fails one thing a third
# of the way in and restores it --outage (--mail-outage) seconds later:
#
# 1. PostgreSQL: stopped (`pg_ctl stop -m fast`, which cuts the workers' connections).
# 2. Redis: stopped the same way, then started again (empty, as after a restart).
# 3. The mail server accepts connections and never answers (not even the greeting).
# 4. The mail server refuses connections (nothing listens on its port).
# 5. The mail server answers slowly: --slow-reply seconds before it takes each message.
# 6. The task worker is stopped (SIGTERM, as a supervisor stops it) and started again.
#
# It prints every request's outcome, by round, window (before, during, after the fault) and kind:
# served (2xx/3xx), the friendly 503 page (recognised by its heading), 500s, other answers, and
# connection errors, with the median and slowest answer. Then what was lost: every signup that
# was answered with success must be in the database afterwards, and every article and
# subscription there before must still be there. Last, with the inbox working and the worker
# running, it waits until the queue is empty (no task waiting, due or deferred, none running)
# and counts the confirmation mails: exactly one per acknowledged signup, none missing, none twice.
#
# It exits non-zero if anything was lost, any 500 (or other unexpected answer) was seen, the
# site did not serve again within --grace seconds of PostgreSQL coming back, any request failed
# while only Redis was down, any request failed or took --slow-limit seconds or more during the
# mail and worker rounds, the worker exited without being asked to (it is then started again, as
# a supervisor would), a task was left running for good by a worker that exited, the queue did
# not empty within --drain-timeout seconds, or a confirmation mail was missing, sent twice, or
# sent without its row recording it. Everything it makes is removed on exit, Ctrl-C included.
#
# The code: bench/drill/.

import sys
from pathlib import Path

if __name__ == "__main__":
    # Python put bench/ first on the path, where its scripts would shadow the site's apps
    # (bench/newsletter.py) and the standard library (bench/site.py): the repository goes instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from bench.drill.cli import main

    main()
