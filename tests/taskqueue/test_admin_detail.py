"""A task's page: its error and traceback when it failed, its times, and its cost."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.forms import soup_of
from tests.task_rows import Status, task_row
from tests.taskqueue.admin_pages import detail_url, field, subtitle

pytestmark = pytest.mark.django_db


class TestDetail:
    def test_a_failed_task_shows_its_whole_traceback_and_a_retry_button(self, editor_client, rows):
        response = editor_client.get(detail_url(rows["failed mail"]))

        assert response.status_code == 200
        soup = soup_of(response)
        assert subtitle(soup) == "Confirmation mail to subscription 41"
        assert field(soup, "state") == "Failed"
        assert field(soup, "attempt_number") == "3"
        assert field(soup, "error") == (
            "smtplib.SMTPRecipientsRefused: {'a…@example.org': (550, b'5.1.1 No such user')}"
        )
        assert field(soup, "exception_class_path") == "smtplib.SMTPRecipientsRefused"
        traceback = soup.select_one("pre.queue-traceback").get_text()
        assert traceback.startswith("Traceback (most recent call last):")
        assert "raise error" in traceback
        assert traceback.rstrip().endswith(
            "smtplib.SMTPRecipientsRefused: {'a…@example.org': (550, b'5.1.1 No such user')}"
        )
        [button] = soup.select(".queue-retry button")
        assert button.get_text(strip=True) == "Retry"

    @pytest.mark.parametrize("key", ["waiting", "scheduled", "running", "done"])
    def test_a_task_that_has_not_failed_shows_no_error_and_no_retry(self, editor_client, rows, key):
        response = editor_client.get(detail_url(rows[key]))

        assert response.status_code == 200
        soup = soup_of(response)
        assert subtitle(soup) == rows[key].description
        assert soup.select(".field-error, .field-traceback_display, .queue-retry") == []

    def test_a_stalled_task_can_be_retried_from_its_page(self, editor_client, rows):
        soup = soup_of(editor_client.get(detail_url(rows["stalled"])))

        assert field(soup, "state").startswith("Stalled: running since")
        assert soup.select(".queue-retry button")

    @time_machine.travel("2026-12-07 16:40:05 +0000", tick=False)
    def test_times_are_shown_to_the_second_in_local_time(self, editor_client, settings):
        settings.TIME_ZONE = "Europe/Berlin"
        held_back = task_row(
            queued_ago=timedelta(hours=2),
            held_until=timezone.now() - timedelta(minutes=30),
            status=Status.SUCCESSFUL,
            started_ago=timedelta(minutes=20),
            finished_ago=timedelta(minutes=19, seconds=58),
        )
        waiting = task_row()
        times = ["queued_time", "held_until", "started_time", "finished_time"]

        soup = soup_of(editor_client.get(detail_url(held_back)))
        assert [field(soup, name) for name in times] == [
            "7 Dec 2026, 15:40:05",
            "7 Dec 2026, 17:10:05",
            "7 Dec 2026, 17:20:05",
            "7 Dec 2026, 17:20:07",
        ]
        soup = soup_of(editor_client.get(detail_url(waiting)))
        assert [field(soup, name) for name in times] == ["7 Dec 2026, 17:39:05", "-", "-", "-"]

    def test_the_page_costs_a_fixed_number_of_queries(
        self, editor_client, rows, django_assert_num_queries
    ):
        url = detail_url(rows["failed mail"])
        editor_client.get(url)
        # Session, user, the task, the user's permissions (two).
        with django_assert_num_queries(5):
            assert editor_client.get(url).status_code == 200
