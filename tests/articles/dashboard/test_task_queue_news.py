"""The task queue's news on the dashboard: a warning when a task waits too long, a note of
failures."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.tasks import TaskResultStatus as TaskStatus
from django.urls import reverse
from django.utils import timezone

from taskqueue.models import QueuedTask
from tests.articles.dashboard.panels import INDEX, PANELS
from tests.forms import soup_of
from tests.task_rows import DATABASE_QUEUE, task_row

pytestmark = pytest.mark.django_db

QUEUE_CHANGELIST = reverse("admin:taskqueue_queuedtask_changelist")
WORKER_STOPPED = (
    ": the task worker may be stopped. Mail and picture renditions wait until it runs. "
    "See the waiting tasks"
)


def text_of(element):
    return " ".join(element.get_text().split())


def queue_warning(response):
    assert response.status_code == 200
    return soup_of(response).select_one("#newsroom-queue-warning")


def queue_descriptions(client, url):
    response = client.get(url)
    assert response.status_code == 200
    cells = soup_of(response).select("#result_list tbody .field-description")
    return sorted(cell.get_text(strip=True) for cell in cells)


class TestTaskQueue:
    def test_a_task_waiting_too_long_warns_that_the_worker_may_be_stopped(self, editor_client):
        task_row(args=[7], queued_ago=timedelta(minutes=18, seconds=5))

        warning = queue_warning(editor_client.get(INDEX))

        assert text_of(warning) == f"1 task is waiting, for 18 minutes{WORKER_STOPPED}"
        link = warning.a["href"]
        assert link == f"{QUEUE_CHANGELIST}?state=waiting"
        assert queue_descriptions(editor_client, link) == ["Make picture renditions for image 7"]

    def test_the_warning_counts_the_waiting_tasks_and_ages_the_oldest(self, editor_client):
        task_row(queued_ago=timedelta(minutes=18, seconds=5))
        for _ in range(11):
            task_row(queued_ago=timedelta(seconds=30))
        task_row(held_until=timezone.now() + timedelta(hours=1), queued_ago=timedelta(hours=2))
        task_row(status=TaskStatus.RUNNING, started_ago=timedelta(hours=2))

        warning = queue_warning(editor_client.get(INDEX))

        assert (
            text_of(warning) == f"12 tasks are waiting, the oldest for 18 minutes{WORKER_STOPPED}"
        )

    def test_the_warning_comes_first(self, editor_client):
        task_row(queued_ago=timedelta(hours=1))

        soup = soup_of(editor_client.get(INDEX))

        order = [element.get("id") for element in soup.select("#content [id]")]
        assert order[:2] == ["newsroom-queue-warning", "newsroom-dashboard-title"]

    @pytest.mark.parametrize(
        "quiet",
        [
            {"queued_ago": timedelta(minutes=1)},
            {"queued_ago": timedelta(hours=2), "held_until": timedelta(hours=1)},
            {"queued_ago": timedelta(hours=2), "held_until": -timedelta(minutes=2)},
            {"status": TaskStatus.RUNNING, "started_ago": timedelta(minutes=30)},
            {"status": TaskStatus.SUCCESSFUL, "queued_ago": timedelta(hours=2)},
        ],
        ids=["fresh", "held-back-until-later", "held-back-until-just-now", "running", "done"],
    )
    def test_tasks_not_overdue_do_not_warn(self, editor_client, quiet):
        if "held_until" in quiet:
            quiet["held_until"] = timezone.now() + quiet["held_until"]
        task_row(**quiet)

        assert queue_warning(editor_client.get(INDEX)) is None

    def test_a_held_back_task_waits_from_its_time_not_from_when_it_was_queued(self, editor_client):
        task_row(
            queued_ago=timedelta(hours=3),
            held_until=timezone.now() - timedelta(minutes=20, seconds=5),
        )

        warning = queue_warning(editor_client.get(INDEX))

        assert text_of(warning) == f"1 task is waiting, for 20 minutes{WORKER_STOPPED}"

    def test_how_long_is_too_long_comes_from_the_settings(self, editor_client, settings):
        task_row(queued_ago=timedelta(minutes=3))
        assert queue_warning(editor_client.get(INDEX)) is None

        settings.TASKS_STALE_AFTER = 120

        assert queue_warning(editor_client.get(INDEX)) is not None

    def test_a_retried_task_waits_from_its_retry(self, editor_client, settings):
        settings.TASKS = DATABASE_QUEUE
        failed = task_row(
            status=TaskStatus.FAILED,
            queued_ago=timedelta(hours=3),
            held_until=timezone.now() - timedelta(hours=2),
        )

        failed.retry()

        assert QueuedTask.objects.ready().count() == 1
        assert queue_warning(editor_client.get(INDEX)) is None

    def test_failures_of_the_last_day_get_a_quiet_note_and_a_link(self, editor_client):
        task_row(args=[1], status=TaskStatus.FAILED, finished_ago=timedelta(hours=1))
        task_row(args=[2], status=TaskStatus.FAILED, finished_ago=timedelta(hours=23))
        task_row(args=[3], status=TaskStatus.FAILED, finished_ago=timedelta(days=2))
        task_row(args=[4], status=TaskStatus.SUCCESSFUL, finished_ago=timedelta(hours=1))

        response = editor_client.get(INDEX)

        assert queue_warning(response) is None
        note = soup_of(response).select_one("#newsroom-queue-failed")
        assert text_of(note) == "2 tasks failed in the last day. See the failed tasks"
        assert queue_descriptions(editor_client, note.a["href"]) == [
            "Make picture renditions for image 1",
            "Make picture renditions for image 2",
        ]

    def test_a_quiet_queue_says_nothing(self, editor_client):
        task_row(status=TaskStatus.SUCCESSFUL, finished_ago=timedelta(hours=1))

        soup = soup_of(editor_client.get(INDEX))

        assert soup.select("#newsroom-queue-warning, #newsroom-queue-failed") == []
        assert soup.select(".newsroom-panel")

    @pytest.mark.parametrize(("role", "sees_it"), [("Newsletter staff", True), ("Writers", False)])
    def test_staff_who_may_see_the_queue_get_its_news(self, client, make_staff, role, sees_it):
        client.force_login(make_staff("someone", role))
        task_row(queued_ago=timedelta(hours=1))
        task_row(status=TaskStatus.FAILED, finished_ago=timedelta(hours=1))

        soup = soup_of(client.get(INDEX))

        news = soup.select("#newsroom-queue-warning, #newsroom-queue-failed")
        assert len(news) == (2 if sees_it else 0)
        assert len(soup.select(".newsroom-panel")) == len(PANELS)

    def test_staff_who_see_only_the_queue_get_its_news_without_the_panels(
        self, client, django_user_model
    ):
        watcher = django_user_model.objects.create_user("watcher", is_staff=True)
        watcher.user_permissions.add(
            Permission.objects.get(content_type__app_label="taskqueue", codename="view_queuedtask")
        )
        client.force_login(watcher)
        task_row(queued_ago=timedelta(hours=1))

        soup = soup_of(client.get(INDEX))

        assert soup.select("#newsroom-queue-warning")
        assert soup.select(".newsroom-panel") == []
