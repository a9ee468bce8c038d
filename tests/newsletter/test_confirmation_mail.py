"""Confirmation mail through the task queue: the request only enqueues, the worker sends, a mail
server's failure is tried again later, and no message is ever sent twice.

The mail server is a real one on this machine (aiosmtpd), stopped to refuse connections."""

import re
import socket
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletter import tasks
from newsletter.models import Subscription
from tests.factories import NewsletterFactory, SubscriptionFactory, subscriptions_in_every_state

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"


class MailServer:
    """A local SMTP server that can be up (keeping what it receives) or down (refusing)."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def recipients(self):
        return [message["To"] for message in self.inbox.messages]


@pytest.fixture
def mail_server(settings):
    server = MailServer()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False, "timeout": 5},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def queue(settings):
    """The database queue, as in production: enqueueing writes a row that nothing runs yet."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.MAIL_RETRY_DELAYS = [60, 600]


@pytest.fixture
def newsletter():
    return NewsletterFactory()


def waiting(task):
    return DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).order_by("enqueued_at")


def run_waiting(task):
    """Run, as the worker would, the waiting tasks of one kind; returns their return values."""
    results = []
    for row in waiting(task):
        row.claim("test-worker")
        try:
            results.append(task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
        except tasks.MAIL_ERRORS as error:
            row.set_failed(error)
            results.append(error)
        else:
            row.set_successful(results[-1])
    return results


def statements(sql):
    """The shape of a statement: its values and generated ids left out."""
    sql = re.sub(r'SAVEPOINT "[^"]+"', "SAVEPOINT ?", sql)
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b[0-9a-f]{32}\b|\b\d+(\.\d+)?\b", "?", sql)
    return sql


class TestTheRequest:
    def test_signup_costs_the_same_statements_whatever_the_address_state(self, queue, newsletter):
        subscriptions_in_every_state(newsletter)
        # The first page also fills the cached site chrome (navigation, appeal): not the signup's.
        Client().post(SIGNUP, {"email": "warm-up@example.org"})
        shapes = {}
        for email in ("new@example.org", "pending@example.org", "confirmed@example.org"):
            with CaptureQueriesContext(connection) as queries:
                response = Client().post(SIGNUP, {"email": email})
            assert response.status_code == 200
            shapes[email] = [statements(query["sql"]) for query in queries.captured_queries]
        with CaptureQueriesContext(connection) as queries:
            Client().post(SIGNUP, {"email": "left@example.org"})
        shapes["left@example.org"] = [
            statements(query["sql"]) for query in queries.captured_queries
        ]

        new = shapes["new@example.org"]
        assert all(shape == new for shape in shapes.values()), shapes
        # Saving the signup and queueing its mail; nothing reads or changes the address's row.
        inserts = [sql for sql in new if sql.lstrip().upper().startswith("INSERT")]
        assert [re.search(r'INTO "(\w+)"', sql)[1] for sql in inserts] == [
            "newsletter_subscription",
            "django_tasks_database_dbtaskresult",
        ]
        assert [sql for sql in new if "newsletter_subscription" in sql] == inserts[:1]
        assert waiting(tasks.confirm_signup).count() == 5

    def test_the_request_sends_nothing_and_the_worker_sends_the_mail(
        self, queue, newsletter, mail_server
    ):
        mail_server.start()
        response = Client().post(SIGNUP, {"email": "reader@example.org"})

        assert response.status_code == 200
        assert mail_server.inbox.messages == []
        assert Subscription.objects.get().status == Subscription.Status.PENDING
        assert run_waiting(tasks.confirm_signup) == ["sent on try 1"]
        assert mail_server.recipients == ["reader@example.org"]
        subscription = Subscription.objects.get()
        assert subscription.confirmation_sent_at is not None
        assert subscription.confirmation_queued_at is None


class TestRetries:
    def test_a_refused_mail_is_tried_later_and_arrives_exactly_once(
        self, queue, newsletter, mail_server, time_machine
    ):
        time_machine.move_to("2026-12-07 10:00:00+00:00", tick=False)
        Client().post(SIGNUP, {"email": "reader@example.org"})

        [failure] = run_waiting(tasks.confirm_signup)
        assert isinstance(failure, ConnectionRefusedError)
        [first_try] = DBTaskResult.objects.filter(task_path=tasks.confirm_signup.module_path)
        assert first_try.status == TaskResultStatus.FAILED
        assert "ConnectionRefusedError" in first_try.exception_class_path
        [retry] = waiting(tasks.retry_confirmation)
        assert retry.run_after == timezone.now() + timedelta(seconds=60)
        assert retry.args_kwargs["args"][2] == 2

        mail_server.start()
        # Not before its time: a worker leaves it alone until then.
        assert not DBTaskResult.objects.ready().filter(pk=retry.pk).exists()
        time_machine.move_to("2026-12-07 10:01:00+00:00", tick=False)
        assert DBTaskResult.objects.ready().filter(pk=retry.pk).exists()
        assert run_waiting(tasks.retry_confirmation) == ["sent on try 2"]
        assert mail_server.recipients == ["reader@example.org"]

        # Staff press "Retry" on the failed first try, or a copy of the retry runs again: the
        # message went out, so nothing is sent.
        first_try.task.enqueue(*first_try.args_kwargs["args"])
        retry.task.enqueue(*retry.args_kwargs["args"])
        assert run_waiting(tasks.confirm_signup) == [
            "a confirmation mail went out after this signup"
        ]
        assert run_waiting(tasks.retry_confirmation) == ["sent already: nothing to do"]
        assert mail_server.recipients == ["reader@example.org"]

    def test_signups_while_a_mail_waits_for_its_retry_add_no_second_mail(
        self, queue, newsletter, mail_server, time_machine
    ):
        time_machine.move_to("2026-12-07 10:00:00+00:00", tick=False)
        Client().post(SIGNUP, {"email": "reader@example.org"})
        run_waiting(tasks.confirm_signup)
        for second in range(1, 4):
            time_machine.move_to(f"2026-12-07 10:00:0{second}+00:00", tick=False)
            Client().post(SIGNUP, {"email": "Reader@Example.org"})
        on_its_way = "a confirmation mail is already on its way"
        assert run_waiting(tasks.confirm_signup) == [on_its_way] * 3

        mail_server.start()
        time_machine.move_to("2026-12-07 10:05:00+00:00", tick=False)
        run_waiting(tasks.retry_confirmation)
        assert mail_server.recipients == ["reader@example.org"]

    def test_after_the_last_retry_the_mail_is_given_up_and_a_new_signup_starts_afresh(
        self, queue, newsletter, mail_server, time_machine, caplog
    ):
        time_machine.move_to("2026-12-07 10:00:00+00:00", tick=False)
        Client().post(SIGNUP, {"email": "reader@example.org"})
        run_waiting(tasks.confirm_signup)
        for minutes in (1, 11):
            time_machine.move_to(f"2026-12-07 10:{minutes:02}:00+00:00", tick=False)
            [error] = run_waiting(tasks.retry_confirmation)
            assert isinstance(error, ConnectionRefusedError)

        assert not waiting(tasks.retry_confirmation).exists()
        assert "Giving up the confirmation mail" in caplog.text
        assert Subscription.objects.get().confirmation_queued_at is None

        mail_server.start()
        Client().post(SIGNUP, {"email": "reader@example.org"})
        assert run_waiting(tasks.confirm_signup) == ["sent on try 1"]

    def test_staff_retrying_a_given_up_mail_send_it_once(
        self, queue, newsletter, mail_server, time_machine
    ):
        time_machine.move_to("2026-12-07 10:00:00+00:00", tick=False)
        Client().post(SIGNUP, {"email": "reader@example.org"})
        run_waiting(tasks.confirm_signup)
        for minutes in (1, 11):
            time_machine.move_to(f"2026-12-07 10:{minutes:02}:00+00:00", tick=False)
            run_waiting(tasks.retry_confirmation)
        last_try = DBTaskResult.objects.filter(
            task_path=tasks.retry_confirmation.module_path, status=TaskResultStatus.FAILED
        ).latest("finished_at")

        mail_server.start()
        for _ in range(2):
            last_try.task.enqueue(*last_try.args_kwargs["args"])
        assert run_waiting(tasks.retry_confirmation) == [
            "sent on try 3",
            "sent already: nothing to do",
        ]
        assert mail_server.recipients == ["reader@example.org"]

    def test_a_claim_left_by_a_dead_worker_lapses_after_every_retry_would_have_run(
        self, queue, newsletter, mail_server, time_machine
    ):
        time_machine.move_to("2026-12-07 10:00:00+00:00", tick=False)
        SubscriptionFactory(
            newsletter=newsletter,
            email="reader@example.org",
            status=Subscription.Status.PENDING,
            confirmed_at=None,
            confirmation_queued_at=timezone.now() - timedelta(minutes=1),
        )
        mail_server.start()
        Client().post(SIGNUP, {"email": "reader@example.org"})
        assert run_waiting(tasks.confirm_signup) == ["a confirmation mail is already on its way"]

        time_machine.move_to(timezone.now() + tasks.retry_window() + timedelta(seconds=1))
        Client().post(SIGNUP, {"email": "reader@example.org"})
        assert run_waiting(tasks.confirm_signup) == ["sent on try 1"]

    def test_an_address_confirmed_before_its_retry_gets_no_mail(
        self, queue, newsletter, mail_server, time_machine
    ):
        time_machine.move_to("2026-12-07 10:00:00+00:00", tick=False)
        Client().post(SIGNUP, {"email": "reader@example.org"})
        run_waiting(tasks.confirm_signup)
        Subscription.objects.update(
            status=Subscription.Status.CONFIRMED, confirmed_at=timezone.now()
        )
        mail_server.start()
        time_machine.move_to("2026-12-07 10:05:00+00:00", tick=False)
        assert run_waiting(tasks.retry_confirmation) == ["confirmed meanwhile: no mail"]
        assert mail_server.inbox.messages == []


class TestAWorkerThatLostItsDatabase:
    def test_a_signup_task_run_again_sends_its_mail_once(
        self, queue, newsletter, mail_server, time_machine
    ):
        """The worker lost the database before it could record this task: run_worker queues it
        again, and the second run must neither skip the mail nor send it twice."""
        time_machine.move_to("2026-12-07 10:00:00+00:00", tick=False)
        Client().post(SIGNUP, {"email": "reader@example.org"})
        [row] = waiting(tasks.confirm_signup)
        args = row.args_kwargs["args"]
        # The first run claimed the mail, and its worker lost the database before sending.
        Subscription.objects.update(confirmation_queued_at=timezone.now())
        mail_server.start()

        assert tasks.confirm_signup.call(*args) == "sent on try 1"
        assert tasks.confirm_signup.call(*args) == (
            "a confirmation mail went out after this signup"
        )
        assert mail_server.recipients == ["reader@example.org"]


class TestAllowance:
    def test_the_allowance_counts_mails_tried_not_requests(
        self, queue, settings, newsletter, mail_server
    ):
        settings.SIGNUP_MAILS_PER_ADDRESS = 1
        settings.SIGNUP_RATE_LIMIT = 100
        SubscriptionFactory(newsletter=newsletter, email="reader@example.org")
        briefing = NewsletterFactory(slug="briefing", name="The Briefing")
        digest = NewsletterFactory(slug="digest", name="The Digest")
        mail_server.start()
        # Signups for a list the reader already confirmed send nothing and use nothing up.
        for _ in range(5):
            Client().post(SIGNUP, {"email": "reader@example.org"})
        assert run_waiting(tasks.confirm_signup) == ["already confirmed: no mail"] * 5

        Client().post(SIGNUP, {"email": "reader@example.org", "newsletter": briefing.slug})
        assert run_waiting(tasks.confirm_signup) == ["sent on try 1"]
        Client().post(SIGNUP, {"email": "reader@example.org", "newsletter": digest.slug})
        assert run_waiting(tasks.confirm_signup) == [
            "the address has had its share of mail for now"
        ]
        assert mail_server.recipients == ["reader@example.org"]
