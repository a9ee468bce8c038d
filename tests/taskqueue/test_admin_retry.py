"""Retrying failed and stalled tasks, and who may see the queue and retry."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import get_date_max

from articles.tasks import make_renditions
from taskqueue.models import QueuedTask
from tests.forms import form_data, soup_of
from tests.task_rows import RENDITIONS, Status, task_row
from tests.taskqueue.admin_pages import (
    CHANGELIST,
    CONFIRM,
    READER,
    REFUSED,
    descriptions,
    detail_url,
    field,
    messages_of,
)

pytestmark = pytest.mark.django_db


def new_rows(*old):
    return QueuedTask.objects.exclude(pk__in=[task.pk for task in old])


def retry_from_list(client, *tasks):
    return client.post(
        CHANGELIST,
        {"action": "retry", "_selected_action": [task.pk for task in tasks], "index": "0"},
        follow=True,
    )


class TestRetry:
    def test_a_failed_task_is_queued_again_with_the_same_arguments(self, editor_client):
        failed = make_renditions.using(priority=5).enqueue(12).db_result
        failed.claim("worker-1")
        failed.set_failed(OSError("disk full"))

        response = retry_from_list(editor_client, failed)

        [queued] = new_rows(failed)
        assert (queued.task_path, queued.args_kwargs) == (RENDITIONS, {"args": [12], "kwargs": {}})
        assert (queued.status, queued.priority, queued.queue_name) == (Status.READY, 5, "default")
        assert queued.run_after == get_date_max()
        assert QueuedTask.objects.get(pk=failed.pk).status == Status.FAILED
        # On to the new task's page, which says what happened.
        assert response.redirect_chain == [(detail_url(queued), 302)]
        assert field(soup_of(response), "state") == "Waiting"
        assert messages_of(response) == [
            "“Make picture renditions for image 12” is queued again, as this new task: a worker "
            "runs it next. The earlier try stays in the list as it was, for the record."
        ]

    def test_a_held_back_try_that_failed_is_retried_now_not_at_its_old_time(self, editor_client):
        long_ago = timezone.now() - timedelta(hours=5)
        failed = task_row(args=[12], held_until=long_ago, status=Status.FAILED, error=REFUSED)

        retry_from_list(editor_client, failed)

        [queued] = new_rows(failed)
        assert queued.run_after == get_date_max()
        assert QueuedTask.objects.ready().get() == queued

    def test_a_successful_task_is_not_retried(self, editor_client):
        done = task_row(status=Status.SUCCESSFUL, finished_ago=timedelta(minutes=1))

        response = retry_from_list(editor_client, done)

        assert not new_rows(done).exists()
        assert messages_of(response) == [
            "Left 1 task(s) as they were: only failed tasks, and tasks running for over an hour "
            "(their worker stopped), can be retried."
        ]

    def test_of_a_mixed_selection_only_failed_and_stalled_tasks_are_retried(self, editor_client):
        chosen = [
            task_row(args=[1], status=Status.FAILED, error=REFUSED),
            task_row(args=[2], status=Status.RUNNING, started_ago=timedelta(hours=2)),
            task_row(args=[3], status=Status.RUNNING, started_ago=timedelta(minutes=5)),
            task_row(args=[4]),
        ]

        response = retry_from_list(editor_client, *chosen)

        assert sorted(task.args_kwargs["args"] for task in new_rows(*chosen)) == [[1], [2]]
        assert messages_of(response) == [
            "Queued 2 task(s) again, as new tasks at the top of the list: a worker runs them next.",
            "Left 2 task(s) as they were: only failed tasks, and tasks running for over an hour "
            "(their worker stopped), can be retried.",
        ]

    def test_the_retry_button_on_the_tasks_page_queues_it_again(self, editor_client):
        failed = task_row(CONFIRM, [1, READER], status=Status.FAILED, error=REFUSED)
        page = editor_client.get(detail_url(failed))

        response = editor_client.post(
            detail_url(failed), {**form_data(page, "queuedtask_form"), "index": "0"}, follow=True
        )

        [queued] = new_rows(failed)
        assert response.redirect_chain == [(detail_url(queued), 302)]
        assert (queued.task_path, queued.args_kwargs) == (
            CONFIRM,
            {"args": [1, READER], "kwargs": {}},
        )
        assert messages_of(response)[0].startswith(
            "“Confirmation mail to a…@example.org” is queued again"
        )

    def test_a_task_whose_code_is_gone_is_reported_not_retried(self, editor_client):
        gone = task_row("newsletter.tasks.send_confirmation", [1, READER], status=Status.FAILED)

        response = retry_from_list(editor_client, gone)

        assert response.status_code == 200
        assert not new_rows(gone).exists()
        assert messages_of(response) == [
            "“Send confirmation(1, 'a…@example.org')” was not retried: the task it ran is no "
            "longer in the code (renamed or removed since)."
        ]


class TestWhoSeesIt:
    def test_writers_do_not_see_the_queue(self, writer_client):
        task = task_row()

        assert writer_client.get(CHANGELIST).status_code == 403
        assert writer_client.get(detail_url(task)).status_code == 403
        index = soup_of(writer_client.get(reverse("admin:index")))
        assert index.select(".app-taskqueue") == []

    def test_newsletter_staff_see_the_queue_but_cannot_retry(self, client, make_staff):
        client.force_login(make_staff("nina", "Newsletter staff"))
        failed = task_row(CONFIRM, [1, READER], status=Status.FAILED, error=REFUSED)

        listed = client.get(CHANGELIST)
        assert descriptions(listed) == ["Confirmation mail to a…@example.org"]
        assert soup_of(listed).select("select[name=action]") == []
        page = client.get(detail_url(failed))
        assert page.status_code == 200
        assert soup_of(page).select(".queue-retry") == []

        retry_from_list(client, failed)
        client.post(
            detail_url(failed),
            {"CHANGE_FORM-action": "retry", "_selected_action": failed.pk, "index": "0"},
        )
        assert not new_rows(failed).exists()

    def test_editors_see_the_queue_on_the_admin_index(self, editor_client):
        index = soup_of(editor_client.get(reverse("admin:index")))

        [link] = index.select("#content-main .app-taskqueue .model-queuedtask th a")
        assert link["href"] == CHANGELIST
        assert link.get_text(strip=True) == "Tasks"

    def test_superusers_see_and_retry_everything(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_superuser("boss"))
        failed = task_row(status=Status.FAILED, error=REFUSED)

        assert descriptions(client.get(CHANGELIST)) == ["Make picture renditions for image 12"]
        retry_from_list(client, failed)
        assert new_rows(failed).count() == 1
