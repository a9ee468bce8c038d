"""The list of tasks: each one's state, the filters, the cost, and no adding or changing."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from taskqueue.admin import moment
from taskqueue.models import QueuedTask
from tests.forms import soup_of
from tests.task_rows import Status, task_row
from tests.taskqueue.admin_pages import (
    CHANGELIST,
    CONFIRM,
    READER,
    REFUSED,
    descriptions,
    detail_url,
    list_rows,
)

pytestmark = pytest.mark.django_db


class TestList:
    def test_each_task_shows_what_where_when_which_try_and_its_error(self, editor_client, rows):
        listed = list_rows(editor_client.get(CHANGELIST))

        assert [(row["description"], row["state"], row["attempt_number"]) for row in listed] == [
            ("Confirmation mail to subscription 41", "Failed", "3"),
            ("Make picture renditions for image 12", "Waiting", "-"),
            (
                "Confirmation mail to a…@example.org",
                f"Scheduled for {moment(rows['scheduled'].run_after)}",
                "1",
            ),
            ("Make picture renditions for image 13", "Running", "-"),
            (
                "Make picture renditions for image 14",
                f"Stalled: running since {moment(rows['stalled'].started_at)}",
                "-",
            ),
            ("Make picture renditions for image 15", "Done", "-"),
        ]
        failed, waiting = listed[0], listed[1]
        assert failed["error"] == (
            "smtplib.SMTPRecipientsRefused: {'a…@example.org': (550, b'5.1.1 No such user')}"
        )
        assert failed["enqueued"] == moment(rows["failed mail"].enqueued_at)
        assert failed["finished"] == moment(rows["failed mail"].finished_at)
        assert (waiting["started"], waiting["finished"], waiting["error"]) == ("-", "-", "-")

    def test_readers_addresses_are_not_moment(self, editor_client, rows):
        pages = [editor_client.get(CHANGELIST)]
        pages += [editor_client.get(detail_url(row)) for row in rows.values()]

        for page in pages:
            assert page.status_code == 200
            assert READER not in page.content.decode()
            assert "ana.lopez" not in page.content.decode()

    @pytest.mark.parametrize(
        ("state", "expected"),
        [
            ("waiting", ["waiting"]),
            ("scheduled", ["scheduled"]),
            ("running", ["running", "stalled"]),
            ("stalled", ["stalled"]),
            ("done", ["done"]),
            ("failed", ["failed mail"]),
        ],
    )
    def test_the_status_filter_picks_its_tasks(self, editor_client, rows, state, expected):
        response = editor_client.get(CHANGELIST, {"state": state})

        assert descriptions(response) == [rows[key].description for key in expected]

    def test_a_task_held_back_until_a_time_gone_by_is_waiting(self, editor_client):
        task_row(args=[16], held_until=timezone.now() - timedelta(minutes=1))

        [row] = list_rows(editor_client.get(CHANGELIST, {"state": "waiting"}))

        assert (row["description"], row["state"]) == (
            "Make picture renditions for image 16",
            "Waiting",
        )

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            ("renditions", ["Make picture renditions for image 12"]),
            ("mail", ["Confirmation mail to a…@example.org"]),
            ("other", ["Send digest(7)"]),
        ],
    )
    def test_the_kind_filter_picks_its_tasks(self, editor_client, kind, expected):
        task_row(args=[12])
        task_row(CONFIRM, [1, READER])
        task_row("newsletter.tasks.send_digest", [7])

        assert descriptions(editor_client.get(CHANGELIST, {"kind": kind})) == expected

    def test_the_list_costs_the_same_however_many_tasks(
        self, editor_client, django_assert_num_queries
    ):
        for number in range(3):
            task_row(args=[number], status=Status.FAILED, error=REFUSED)
        editor_client.get(CHANGELIST)
        # Session, user, the user's permissions (two), the count, the page of rows.
        with django_assert_num_queries(6):
            assert len(list_rows(editor_client.get(CHANGELIST))) == 3

        for number in range(30):
            task_row(args=[number], status=Status.SUCCESSFUL)
        with django_assert_num_queries(6):
            assert len(list_rows(editor_client.get(CHANGELIST))) == 33

    def test_rows_cannot_be_added_changed_or_deleted(self, client, django_user_model):
        task = task_row()
        client.force_login(django_user_model.objects.create_superuser("boss"))

        assert client.get(reverse("admin:taskqueue_queuedtask_add")).status_code == 403
        assert (
            client.get(reverse("admin:taskqueue_queuedtask_delete", args=[task.pk])).status_code
            == 403
        )
        assert client.post(detail_url(task), {"status": Status.SUCCESSFUL}).status_code == 403
        response = client.get(CHANGELIST)
        actions = [
            option["value"] for option in soup_of(response).select("select[name=action] option")
        ]
        assert actions == ["", "retry"]
        assert QueuedTask.objects.get(pk=task.pk).status == Status.READY

    def test_the_packages_bare_admin_is_replaced(self):
        assert not admin.site.is_registered(DBTaskResult)
        with pytest.raises(NoReverseMatch):
            reverse("admin:django_tasks_database_dbtaskresult_changelist")
