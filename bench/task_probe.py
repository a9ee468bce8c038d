"""Tasks for bench/task_backends.py, run by the worker measured: when they began, what they saw."""

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
