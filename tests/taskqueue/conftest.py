"""The task queue in the database, and one task in each state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.task_rows import DATABASE_QUEUE, Status, task_row
from tests.taskqueue.admin_pages import CONFIRM, READER, REFUSED, RETRY_MAIL


@pytest.fixture(autouse=True)
def database_queue(settings):
    """Enqueueing writes rows (the suite's default backend runs tasks at once)."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def rows():
    """One task in each state, the newest first."""
    hour = timedelta(hours=1)
    return {
        "failed mail": task_row(
            RETRY_MAIL,
            [41, "2026-12-07T09:00:00+00:00", 3],
            status=Status.FAILED,
            queued_ago=timedelta(minutes=1),
            started_ago=timedelta(seconds=50),
            finished_ago=timedelta(seconds=35),
            error=REFUSED,
        ),
        "waiting": task_row(args=[12], queued_ago=timedelta(minutes=2)),
        "scheduled": task_row(
            CONFIRM,
            [1, READER],
            queued_ago=timedelta(minutes=3),
            held_until=timezone.now() + hour,
        ),
        "running": task_row(
            args=[13],
            status=Status.RUNNING,
            queued_ago=timedelta(minutes=4),
            started_ago=timedelta(minutes=3),
        ),
        "stalled": task_row(
            args=[14],
            status=Status.RUNNING,
            queued_ago=3 * hour,
            started_ago=2 * hour,
        ),
        "done": task_row(
            args=[15],
            status=Status.SUCCESSFUL,
            queued_ago=4 * hour,
            started_ago=4 * hour,
            finished_ago=4 * hour,
        ),
    }
