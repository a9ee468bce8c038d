"""Tasks for bench/task_backends.py, run by whichever worker is measured: each reports when it
started, or what it could see of the database."""

import time

from django.tasks import task

from newsletter.models import Subscription


@task
def report_start():
    """The worker's clock when the task began (same machine as the one that enqueued it)."""
    return time.time()


@task
def sees_subscription(email):
    """Whether the row that was written with this task's enqueue is visible to the worker."""
    return Subscription.objects.filter(email=email).exists()
