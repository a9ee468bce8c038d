"""The task queue as staff see it: django-tasks-db's rows, in the newsroom's words."""

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db.models import Case, Count, Min, Q, When
from django.db.models.functions import Greatest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet, get_date_max

Status = TaskResultStatus

# Our tasks take seconds (one mail, a few picture encodings): one still running after this long
# has lost its worker (stopped, killed or restarted mid-task), and may be tried again.
STALLED_AFTER = timedelta(hours=1)
# The dashboard's note counts the failures of this last stretch.
RECENT_FAILURES = timedelta(days=1)

# The kinds of task staff filter by, with the tasks of each. Paths, not imports: the queue sits
# below the apps whose tasks it lists.
KINDS = {
    "renditions": ("Picture renditions", ["articles.tasks.make_renditions"]),
    "mail": (
        "Confirmation mail",
        ["newsletter.tasks.confirm_signup", "newsletter.tasks.retry_confirmation"],
    ),
}

# An address as it appears in arguments and error messages (no quotes: they delimit it in a repr).
EMAIL = re.compile(r"([\w.!#$%&*+/=?^`{|}~-]+)@([\w-]+(?:\.[\w-]+)+)")


def mask_emails(text):
    """Each address in `text` cut to its first letter and its domain: a…@example.org.

    Staff watching the queue need to tell one mail from another, not to read readers' addresses."""
    return EMAIL.sub(lambda match: f"{match[1][0]}…@{match[2]}", text)


def describe(task_path, args, kwargs):
    """A task in staff's words, and which try it is when its arguments say so (else None)."""
    match task_path, args:
        case "articles.tasks.make_renditions", [image_id]:
            return f"Make picture renditions for image {image_id}", None
        case "newsletter.tasks.confirm_signup", [_, str() as email]:
            return f"Confirmation mail to {mask_emails(email)}", 1
        case "newsletter.tasks.retry_confirmation", [subscription_id, _, int() as attempt]:
            # Later tries name the subscription, not the address.
            return f"Confirmation mail to subscription {subscription_id}", attempt
    # Any other task (or one whose arguments have changed shape): its name and arguments.
    name = capfirst(task_path.rpartition(".")[2].replace("_", " "))
    values = [repr(value) for value in args]
    values += [f"{key}={value!r}" for key, value in kwargs.items()]
    return mask_emails(f"{name}({', '.join(values)})"), kwargs.get("attempt")


@dataclass(frozen=True)
class Backlog:
    """The queue at a glance: tasks due and not started, since when, and recent failures."""

    waiting: int
    waiting_since: datetime | None
    failed: int


class QueuedTaskQuerySet(DBTaskResultQuerySet):
    def scheduled(self):
        """Tasks held back until a later time: a deferred task, a mail's next try."""
        return self.filter(status=Status.READY, run_after__gt=timezone.now()).exclude(
            run_after=get_date_max()
        )

    def stalled(self):
        """Tasks running for so long that their worker has evidently died."""
        return self.running().filter(started_at__lt=timezone.now() - STALLED_AFTER)

    def of_kind(self, key):
        return self.filter(task_path__in=KINDS[key][1])

    def of_no_known_kind(self):
        return self.exclude(task_path__in=[path for _, paths in KINDS.values() for path in paths])

    def backlog(self):
        """The tasks that are due and not started (ready() is the worker's own rule) and the
        failures of the last day, in one query."""
        recent_failures = self.failed().filter(finished_at__gte=timezone.now() - RECENT_FAILURES)
        # A task waits from when it was queued, or from its time if it was held back until then.
        waiting_since = Case(
            When(run_after=get_date_max(), then="enqueued_at"),
            default=Greatest("enqueued_at", "run_after"),
        )
        waiting = Q(status=Status.READY)
        counts = (self.ready() | recent_failures).aggregate(
            waiting=Count("pk", filter=waiting),
            waiting_since=Min(waiting_since, filter=waiting),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
        )
        return Backlog(**counts)


class QueuedTask(DBTaskResult):
    """One task on the queue, for the admin: what it does, where it stands, its last error."""

    objects = QueuedTaskQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "task"
        verbose_name_plural = "tasks"
        # Only the queue writes these rows: staff look at them, and may retry one.
        default_permissions = ["view"]
        permissions = [("retry_queuedtask", "Can retry a failed or stalled task")]

    def __str__(self):
        return self.description

    @cached_property
    def summary(self):
        return describe(self.task_path, self.args_kwargs["args"], self.args_kwargs["kwargs"])

    @property
    def description(self):
        return self.summary[0]

    @property
    def attempt(self):
        return self.summary[1]

    @property
    def last_error(self):
        """The traceback's last line (“smtplib.SMTPServerDisconnected: …”), addresses masked."""
        lines = self.traceback.strip().splitlines()
        return mask_emails(lines[-1] if lines else self.exception_class_path)

    def is_scheduled(self):
        return (
            self.status == Status.READY
            and self.run_after != get_date_max()
            and self.run_after > timezone.now()
        )

    def is_stalled(self):
        return (
            self.status == Status.RUNNING
            and self.started_at is not None
            and self.started_at < timezone.now() - STALLED_AFTER
        )

    def is_retryable(self):
        return self.status == Status.FAILED or self.is_stalled()

    def retry(self):
        """Queue the same task with the same arguments again, to run now; returns its result.

        The task itself makes a second run harmless (a mail already sent is not sent again)."""
        # The same priority, queue and backend, but not held back: a deferred try runs now, not
        # at its old time (which would also make it look long overdue). using() keeps a time it
        # is given None for; replace() clears it.
        task = replace(self.task, run_after=None)
        return task.enqueue(*self.args_kwargs["args"], **self.args_kwargs["kwargs"])


def requeue_lost_tasks(worker_id, error):
    """Record as failed (with `error`) the tasks a worker left running when it lost its
    database, and queue each again; returns their descriptions.

    Only this worker's: another's running task is still in its hands."""
    lost = [
        task
        for task in QueuedTask.objects.running()
        # In Python: SQLite has no JSON containment lookup, and running tasks are few.
        if worker_id in task.worker_ids
    ]
    for task in lost:
        task.set_failed(error)
        task.retry()
    return [task.description for task in lost]
