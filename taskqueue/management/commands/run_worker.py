"""The task worker that outlives a database outage.

django-tasks-db's `db_worker` stops with an error when its database goes away (any database
error but SQLite's "locked"), and the task it held stays marked running. Under a Procfile runner
one stopped process stops them all, the web server included. This command runs `db_worker` and,
when the database fails, waits for it (1 s, 2 s, 4 s … up to --max-wait) and runs it again,
first putting the task it lost back in the queue. TERM and INT stop it as they stop db_worker:
the task in hand is finished first."""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils.crypto import get_random_string

from taskqueue.models import requeue_lost_tasks

logger = logging.getLogger(__name__)


class WorkerLostItsDatabase(Exception):
    """What a task interrupted by a database outage is recorded as having failed with."""


class Command(BaseCommand):
    help = "Run the task worker (db_worker), and run it again whenever the database comes back."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="as db_worker's")
        parser.add_argument(
            "--interval", type=float, default=1, help="seconds between looks at an empty queue"
        )
        parser.add_argument(
            "--worker-id",
            help="as db_worker's: unique among the workers (default: a random one)",
        )
        parser.add_argument(
            "--max-wait",
            type=float,
            default=30,
            help="the longest wait, in seconds, between tries while the database is away",
        )

    def handle(self, *, queue_name, interval, worker_id, max_wait, verbosity, **options):
        # Named, so that after an outage the tasks this worker held are known.
        worker_id = worker_id or get_random_string(32)
        wait = 1.0
        while True:
            try:
                for lost in requeue_lost_tasks(worker_id, WorkerLostItsDatabase()):
                    logger.warning("Task %s was interrupted; queued again.", lost)
                wait = 1.0
                call_command(
                    "db_worker",
                    queue_name=queue_name,
                    interval=interval,
                    worker_id=worker_id,
                    reload=False,
                    verbosity=verbosity,
                )
                return
            except DatabaseError as error:
                logger.warning(
                    "The database is unavailable (%s); the task worker tries again in %g s.",
                    str(error).strip().splitlines()[0] if str(error).strip() else error,
                    wait,
                )
                # Drops the broken connection: the next try opens a new one.
                close_old_connections()
                time.sleep(wait)
                wait = min(wait * 2, max_wait)
