import smtplib
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from articles.tasks import make_renditions
from taskqueue.admin import moment
from taskqueue.models import QueuedTask, describe, mask_emails
from tests.forms import form_data, soup_of
from tests.task_rows import DATABASE_QUEUE, RENDITIONS, Status, task_row

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taskqueue_queuedtask_changelist")
CONFIRM = "newsletter.tasks.confirm_signup"
RETRY_MAIL = "newsletter.tasks.retry_confirmation"
READER = "ana.lopez@example.org"
REFUSED = smtplib.SMTPRecipientsRefused({READER: (550, b"5.1.1 No such user")})


def detail_url(task):
    return reverse("admin:taskqueue_queuedtask_change", args=[task.pk])


@pytest.fixture(autouse=True)
def database_queue(settings):
    """Enqueueing writes rows (the suite's default backend runs tasks at once)."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def rows():
    """One task in each state, the newest first."""
    hour = timedelta(hours=1)
    return {
        "failed mail": task_row(
            RETRY_MAIL,
            [41, "2026-12-07T09:00:00+00:00", 3],
            status=Status.FAILED,
            queued_ago=timedelta(minutes=1),
            started_ago=timedelta(seconds=50),
            finished_ago=timedelta(seconds=35),
            error=REFUSED,
        ),
        "waiting": task_row(args=[12], queued_ago=timedelta(minutes=2)),
        "scheduled": task_row(
            CONFIRM,
            [1, READER],
            queued_ago=timedelta(minutes=3),
            held_until=timezone.now() + hour,
        ),
        "running": task_row(
            args=[13],
            status=Status.RUNNING,
            queued_ago=timedelta(minutes=4),
            started_ago=timedelta(minutes=3),
        ),
        "stalled": task_row(
            args=[14],
            status=Status.RUNNING,
            queued_ago=3 * hour,
            started_ago=2 * hour,
        ),
        "done": task_row(
            args=[15],
            status=Status.SUCCESSFUL,
            queued_ago=4 * hour,
            started_ago=4 * hour,
            finished_ago=4 * hour,
        ),
    }


def list_rows(response):
    """Each row of the changelist as {column: text}."""
    assert response.status_code == 200
    return [
        {
            cell["class"][0].removeprefix("field-"): cell.get_text(" ", strip=True)
            for cell in row.find_all(["th", "td"])
            if any(name.startswith("field-") for name in cell["class"])
        }
        for row in soup_of(response).select("#result_list tbody tr")
    ]


def descriptions(response):
    return [row["description"] for row in list_rows(response)]


def subtitle(soup):
    return soup.select_one("#content h2").get_text(strip=True)


def field(soup, name):
    return soup.select_one(f".field-{name} .readonly").get_text(strip=True)


def messages_of(response):
    return [" ".join(li.get_text().split()) for li in soup_of(response).select(".messagelist li")]


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
