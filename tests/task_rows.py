"""Rows of the task queue in any state, as the queue and its worker leave them."""

import traceback
from datetime import timedelta

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import get_date_max

from taskqueue.models import QueuedTask

Status = TaskResultStatus
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RENDITIONS = "articles.tasks.make_renditions"


def failure(error):
    """`error` raised and caught: its class path and traceback, as the worker records them."""
    try:
        raise error
    except Exception as raised:
        return {
            "exception_class_path": f"{type(raised).__module__}.{type(raised).__qualname__}",
            "traceback": "".join(traceback.format_exception(raised)),
        }


def task_row(
    task_path=RENDITIONS,
    args=(12,),
    kwargs=None,
    *,
    status=Status.READY,
    queued_ago=timedelta(minutes=1),
    held_until=None,
    started_ago=None,
    finished_ago=None,
    error=None,
):
    """A queue row queued `queued_ago`; `held_until` for a task deferred to that time."""
    now = timezone.now()
    row = QueuedTask.objects.create(
        task_path=task_path,
        args_kwargs={"args": list(args), "kwargs": kwargs or {}},
        backend_name="default",
        status=status,
        run_after=held_until or get_date_max(),
        started_at=None if started_ago is None else now - started_ago,
        finished_at=None if finished_ago is None else now - finished_ago,
        **(failure(error) if error is not None else {}),
    )
    # enqueued_at is set on insert (auto_now_add): move it back afterwards.
    QueuedTask.objects.filter(pk=row.pk).update(enqueued_at=now - queued_ago)
    return QueuedTask.objects.get(pk=row.pk)
