#!/usr/bin/env python
"""Benchmark, not a test: the two task queues we could run, briefly compared."""

# .venv/bin/python bench/task_backends.py [--enqueues 500] [--starts 50]
#                                        [--redis-url redis://127.0.0.1:6379/13]
#
# django-tasks-db (`django_tasks_db.DatabaseBackend`, what the site runs) on a throwaway
# PostgreSQL cluster, and django-tasks-rq (`django_tasks_rq.RQBackend`) on the local Redis, in a
# database number of its own that must be empty and is flushed at the end. django-tasks-rq is not
# a dependency of the project: when it (or django-rq) cannot be imported, only the database
# backend is measured. Each backend is measured in a process of its own (the RQ one with
# bench/rq_settings.py), with its own worker as production would run it (`manage.py db_worker
# --interval 1`, the Procfile's line; `manage.py rqworker`):
#
# 1. The worker down: --enqueues calls of `task.enqueue()`, each timed (what a request pays), in
#    autocommit (the database backend's figure includes its own commit), then as many inside one
#    transaction (as a signup enqueues: the row and the task share the request's commit).
# 2. The worker started: how long until every one of those tasks has run (none lost).
# 3. Idle worker running: --starts tasks, one at a time at random moments, each reporting the
#    worker's clock when it began: the latency from enqueue to start.
# 4. A task enqueued in the transaction that writes the row it is about: does the worker see the
#    row? (Committed 0.3 s after the enqueue.)
# 5. RQ only: enqueue with Redis unreachable.
#
# Everything it makes is removed on exit, Ctrl-C included.
#
# The code: bench/queues/.

import sys
from pathlib import Path

if __name__ == "__main__":
    # Python put bench/ first on the path, where its scripts would shadow the site's apps
    # (bench/newsletter.py) and the standard library (bench/site.py): the repository goes instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from bench.queues.cli import main

    main()
