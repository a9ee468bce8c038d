"""run_worker: the task worker waits out a database outage instead of stopping (and, under a
Procfile runner, taking the web server down with it), and queues again the task it lost."""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.tasks import make_renditions
from taskqueue.management.commands import run_worker
from taskqueue.models import requeue_lost_tasks

pytestmark = pytest.mark.django_db

RENDITIONS = "articles.tasks.make_renditions"


@pytest.fixture(autouse=True)
def queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def running(worker_id, image_id):
    result = make_renditions.enqueue(image_id)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    return row


def test_the_tasks_a_worker_lost_are_failed_and_queued_again_but_not_anothers():
    mine = running("worker-a", 12)
    theirs = running("worker-b", 13)

    lost = requeue_lost_tasks("worker-a", run_worker.WorkerLostItsDatabase("gone"))

    assert lost == ["Make picture renditions for image 12"]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == TaskResultStatus.FAILED
    assert mine.exception_class_path.endswith("WorkerLostItsDatabase")
    assert theirs.status == TaskResultStatus.RUNNING
    [again] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert (again.task_path, again.args_kwargs["args"]) == (RENDITIONS, [12])


def test_the_worker_waits_for_the_database_and_runs_again(monkeypatch):
    runs, waits = [], []

    def db_worker(name, **options):
        assert name == "db_worker"
        runs.append(options["worker_id"])
        if len(runs) == 1:
            # What db_worker lets escape when PostgreSQL stops mid-task.
            running(options["worker_id"], 7)
            raise OperationalError("server closed the connection unexpectedly")
        if len(runs) == 2:
            raise OperationalError("connection refused")

    monkeypatch.setattr(run_worker, "call_command", db_worker)
    monkeypatch.setattr(run_worker.time, "sleep", waits.append)
    # The test's own connection holds its transaction: the worker's reconnect is noted, not done.
    closes = []
    monkeypatch.setattr(run_worker, "close_old_connections", lambda: closes.append(True))

    call_command("run_worker", verbosity=0)

    assert len(runs) == 3 and len(set(runs)) == 1
    # The database answered between the failures (the lost task was queued again), so each
    # wait starts afresh; only a database that stays away lengthens them.
    assert waits == [1.0, 1.0]
    assert len(closes) == 2
    # The task in hand when the database went away runs again.
    [again] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert again.args_kwargs["args"] == [7]
