"""What the list says of a task: what it does, for whom (masked), and when."""

from datetime import datetime

import pytest
import time_machine

from taskqueue.admin import moment
from taskqueue.models import describe, mask_emails
from tests.task_rows import RENDITIONS
from tests.taskqueue.admin_pages import CONFIRM, READER, RETRY_MAIL

pytestmark = pytest.mark.django_db


class TestDescriptions:
    def test_known_tasks_say_what_they_do_and_which_try_they_are(self):
        assert describe(RENDITIONS, [12], {}) == ("Make picture renditions for image 12", None)
        assert describe(CONFIRM, [1, READER], {}) == ("Confirmation mail to a…@example.org", 1)
        assert describe(RETRY_MAIL, [41, "2026-12-07T09:00:00+00:00", 3], {}) == (
            "Confirmation mail to subscription 41",
            3,
        )

    def test_other_tasks_show_their_name_and_masked_arguments(self):
        assert describe("newsletter.tasks.send_digest", [READER], {"attempt": 2}) == (
            "Send digest('a…@example.org', attempt=2)",
            2,
        )

    def test_a_known_task_whose_arguments_changed_shape_is_described_as_any_other(self):
        assert describe(CONFIRM, [], {"email": READER}) == (
            "Confirm signup(email='a…@example.org')",
            None,
        )

    def test_addresses_are_cut_to_a_letter_and_the_domain(self):
        assert mask_emails(f"Refused: {READER}, o'brien+news@mail.example.co.uk.") == (
            "Refused: a…@example.org, o'b…@mail.example.co.uk."
        )


@time_machine.travel("2026-12-07 16:40:05 +0000", tick=False)
@pytest.mark.parametrize(
    ("when", "shown"),
    [
        ("2026-12-07 16:35:00", "16:35"),
        ("2026-12-06 23:40:00", "6 Dec, 23:40"),
        ("2026-01-02 08:05:00", "2 Jan, 08:05"),
        ("2025-12-28 16:40:00", "28 Dec 2025, 16:40"),
    ],
)
def test_the_list_shows_times_as_short_as_stays_clear(when, shown):
    assert moment(datetime.fromisoformat(f"{when}+00:00")) == shown
