import json

# The package's bare admin registers itself when imported: importing it here means it is there
# to be replaced below, whatever the order of INSTALLED_APPS.
import django_tasks_db.admin  # noqa: F401
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django_tasks_db.models import DBTaskResult, get_date_max

from taskqueue.models import KINDS, QueuedTask, Status, mask_emails

admin.site.unregister(DBTaskResult)


def moment(value):
    """A time in the list, as short as stays clear: "14:15" today, "5 Dec, 14:15" this year."""
    value, today = timezone.localtime(value), timezone.localdate()
    if value.date() == today:
        return date_format(value, "H:i")
    if value.year == today.year:
        return date_format(value, "j M, H:i")
    return date_format(value, "j M Y, H:i")


def exact_moment(value):
    """A time on a task's page, to the second: when it was queued, started and finished."""
    return None if value is None else date_format(timezone.localtime(value), "j M Y, H:i:s")


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Waiting"),
            ("scheduled", "Scheduled"),
            ("running", "Running"),
            ("stalled", "Stalled (running over an hour)"),
            ("done", "Done"),
            ("failed", "Failed"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "waiting":
                return queryset.ready()
            case "scheduled":
                return queryset.scheduled()
            case "running":
                return queryset.running()
            case "stalled":
                return queryset.stalled()
            case "done":
                return queryset.successful()
            case "failed":
                return queryset.failed()
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [*((key, label) for key, (label, _) in KINDS.items()), ("other", "Other")]

    def queryset(self, request, queryset):
        if self.value() in KINDS:
            return queryset.of_kind(self.value())
        if self.value() == "other":
            return queryset.of_no_known_kind()
        return queryset


@admin.register(QueuedTask)
class QueuedTaskAdmin(admin.ModelAdmin):
    """The queue, read-only: what each task does, where it stands, its last error; and retry."""

    list_display = [
        "description",
        "state",
        "attempt_number",
        "enqueued",
        "started",
        "finished",
        "error",
    ]
    list_filter = [StateFilter, KindFilter]
    ordering = ["-enqueued_at"]
    # The table keeps every finished task until it is pruned: count it once, not twice.
    show_full_result_count = False
    actions = ["retry"]
    # The page's title already says what the task does; a failed task's error comes next.
    fieldsets = [
        (None, {"fields": ["state", "attempt_number"]}),
        ("Error", {"fields": ["error", "traceback_display"]}),
        ("Times", {"fields": ["queued_time", "held_until", "started_time", "finished_time"]}),
        (
            "For developers",
            {
                "fields": [
                    "task_path",
                    "arguments",
                    "return_value_display",
                    "exception_class_path",
                    "queue_name",
                    "priority",
                    "backend_name",
                    "worker_ids",
                    "id",
                ],
                "classes": ["collapse"],
            },
        ),
    ]
    readonly_fields = [name for _, options in fieldsets for name in options["fields"]]

    class Media:
        css = {"all": ["css/admin-queue.css"]}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("taskqueue.retry_queuedtask")

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.status != Status.FAILED:
            return [fieldset for fieldset in self.fieldsets if fieldset[0] != "Error"]
        return self.fieldsets

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The "Retry" button (templates/admin/taskqueue/queuedtask/change_form_actions.html)
        # shows for the tasks the action would retry.
        context["is_retryable"] = obj is not None and obj.is_retryable()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def shown(self, value):
        """`value`, or the list's "-" for nothing: a task's page would print None as "None"."""
        return self.get_empty_value_display() if value is None else value

    @admin.display(description="task")
    def description(self, obj):
        return obj.description

    @admin.display(description="status")
    def state(self, obj):
        if obj.is_scheduled():
            return f"Scheduled for {moment(obj.run_after)}"
        if obj.is_stalled():
            return f"Stalled: running since {moment(obj.started_at)}"
        return {
            Status.READY: "Waiting",
            Status.RUNNING: "Running",
            Status.SUCCESSFUL: "Done",
            Status.FAILED: "Failed",
        }[obj.status]

    @admin.display(description="try")
    def attempt_number(self, obj):
        return self.shown(obj.attempt)

    @admin.display(description="queued", ordering="enqueued_at")
    def enqueued(self, obj):
        return moment(obj.enqueued_at)

    @admin.display(description="started", ordering="started_at")
    def started(self, obj):
        return moment(obj.started_at) if obj.started_at else None

    @admin.display(description="finished", ordering="finished_at")
    def finished(self, obj):
        return moment(obj.finished_at) if obj.finished_at else None

    @admin.display(description="last error")
    def error(self, obj):
        if obj.status != Status.FAILED:
            return None
        return format_html(
            '<span class="queue-error">{}</span>', Truncator(obj.last_error).chars(120)
        )

    @admin.display(description="queued")
    def queued_time(self, obj):
        return exact_moment(obj.enqueued_at)

    @admin.display(description="held back until")
    def held_until(self, obj):
        held = obj.run_after != get_date_max()
        return self.shown(exact_moment(obj.run_after) if held else None)

    @admin.display(description="started")
    def started_time(self, obj):
        return self.shown(exact_moment(obj.started_at))

    @admin.display(description="finished")
    def finished_time(self, obj):
        return self.shown(exact_moment(obj.finished_at))

    @admin.display(description="traceback")
    def traceback_display(self, obj):
        return format_html('<pre class="queue-traceback">{}</pre>', mask_emails(obj.traceback))

    @admin.display(description="arguments")
    def arguments(self, obj):
        return format_html("<pre>{}</pre>", mask_emails(json.dumps(obj.args_kwargs, indent=2)))

    @admin.display(description="return value")
    def return_value_display(self, obj):
        if obj.return_value is None:
            return self.shown(None)
        return mask_emails(json.dumps(obj.return_value))

    @admin.action(
        description="Retry this task",
        description_plural="Retry the selected failed or stalled tasks",
        permissions=["retry"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def retry(self, request, queryset):
        chosen = list(queryset)
        retryable = [task for task in chosen if task.is_retryable()]
        queued = []
        for task in retryable:
            try:
                queued.append((task, task.retry()))
            except ImportError:
                self.message_user(
                    request,
                    f"“{task}” was not retried: the task it ran is no longer in the code "
                    f"(renamed or removed since).",
                    messages.ERROR,
                )
        if len(queued) == 1 and len(chosen) == 1:
            [(task, result)] = queued
            self.message_user(
                request,
                f"“{task}” is queued again, as this new task: a worker runs it next. The "
                f"earlier try stays in the list as it was, for the record.",
                messages.SUCCESS,
            )
            # To the new task's page, where staff see it wait, run and finish: the failed try's
            # page would still offer "Retry", and a second click would queue it once more.
            return HttpResponseRedirect(
                reverse("admin:taskqueue_queuedtask_change", args=[result.id])
            )
        if queued:
            self.message_user(
                request,
                f"Queued {len(queued)} task(s) again, as new tasks at the top of the list: a "
                f"worker runs them next.",
                messages.SUCCESS,
            )
        skipped = len(chosen) - len(retryable)
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} task(s) as they were: only failed tasks, and tasks running "
                f"for over an hour (their worker stopped), can be retried.",
                messages.WARNING,
            )
