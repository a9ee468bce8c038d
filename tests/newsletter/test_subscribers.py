import csv
import io
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Subscription
from newsletter.subscribers import (
    CHUNK_SIZE,
    HEADER,
    csv_filename,
    csv_rows,
    escape_cell,
    weekly_confirmations,
)
from tests.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

SIGNED_UP = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
CONFIRMED = datetime(2026, 11, 2, 9, 45, 12, tzinfo=UTC)
LEFT = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def csv_url(newsletter):
    return reverse("admin:newsletter_newsletter_subscribers", args=[newsletter.pk])


def parse(lines):
    return list(csv.reader(io.StringIO(b"".join(lines).decode())))


@pytest.fixture
def newsletter():
    return NewsletterFactory()


@pytest.fixture
def exporter(django_user_model):
    """Staff who may export subscribers and nothing else."""
    user = django_user_model.objects.create_user(username="exporter", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="newsletter", codename="export_subscribers")
    )
    return user


class TestEscapeCell:
    @pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
    def test_a_leading_formula_character_is_defused_with_a_quote(self, trigger):
        assert escape_cell(f"{trigger}HYPERLINK(1)") == f"'{trigger}HYPERLINK(1)"

    @pytest.mark.parametrize(
        "value", ["reader@example.org", "/asia-pacific/shipping/", "a=b", "x-y@example.org"]
    )
    def test_ordinary_text_is_left_alone(self, value):
        assert escape_cell(value) == value

    def test_times_are_iso_8601_and_nothing_is_empty(self):
        assert escape_cell(CONFIRMED) == "2026-11-02T09:45:12+00:00"
        assert escape_cell(None) == ""


class TestCsvRows:
    def test_header_then_one_row_per_subscription_in_signup_order(self, newsletter):
        first = SubscriptionFactory(
            newsletter=newsletter,
            email="ana@example.org",
            created_at=SIGNED_UP,
            confirmed_at=CONFIRMED,
            source_url="/asia-pacific/shipping-lanes/",
        )
        second = SubscriptionFactory(
            newsletter=newsletter,
            email="ben@example.org",
            status=Subscription.Status.UNSUBSCRIBED,
            created_at=SIGNED_UP,
            confirmed_at=CONFIRMED,
            unsubscribed_at=LEFT,
        )
        SubscriptionFactory(
            newsletter=newsletter,
            email="cy@example.org",
            status=Subscription.Status.PENDING,
            confirmed_at=None,
            created_at=SIGNED_UP,
            source_url="",
        )
        assert first.pk < second.pk

        rows = parse(csv_rows(Subscription.objects.filter(newsletter=newsletter)))

        assert rows == [
            HEADER,
            [
                "ana@example.org",
                "confirmed",
                "2026-11-02T09:45:12+00:00",
                "2026-11-02T09:30:00+00:00",
                "",
                "/asia-pacific/shipping-lanes/",
            ],
            [
                "ben@example.org",
                "unsubscribed",
                "2026-11-02T09:45:12+00:00",
                "2026-11-02T09:30:00+00:00",
                "2026-11-20T18:00:00+00:00",
                "/",
            ],
            ["cy@example.org", "pending", "", "2026-11-02T09:30:00+00:00", "", ""],
        ]
        assert HEADER == [
            "email",
            "status",
            "consent time",
            "signed up",
            "unsubscribed at",
            "source page",
        ]

    def test_formula_cells_are_escaped(self, newsletter):
        # Not addresses the signup form accepts, but the CSV must defuse whatever is stored;
        # bulk_create skips save(), which would strip the tab.
        Subscription.objects.bulk_create(
            Subscription(newsletter=newsletter, email=email, source_url=source)
            for email, source in [
                ("=cmd@example.org", "+1+1"),
                ("@sum@example.org", "-2"),
                ("\tx@example.org", "\r=1"),
            ]
        )

        rows = parse(csv_rows(Subscription.objects.order_by("pk")))[1:]

        assert [(row[0], row[5]) for row in rows] == [
            ("'=cmd@example.org", "'+1+1"),
            ("'@sum@example.org", "'-2"),
            ("'\tx@example.org", "'\r=1"),
        ]

    def test_rows_stream_in_chunks_from_the_database(self, newsletter):
        Subscription.objects.bulk_create(
            Subscription(
                newsletter=newsletter,
                email=f"reader{n}@example.org",
                status=Subscription.Status.CONFIRMED,
                confirmed_at=CONFIRMED,
            )
            for n in range(5000)
        )
        lines = csv_rows(Subscription.objects.all())

        with CaptureQueriesContext(connection) as queries:
            header = next(lines)
        assert header == b"email,status,consent time,signed up,unsubscribed at,source page\r\n"
        assert len(queries) == 0  # nothing is read before the first row is asked for

        with mock.patch.object(
            QuerySet, "iterator", autospec=True, side_effect=QuerySet.iterator
        ) as iterator:
            first = next(lines)
        assert first.startswith(b"reader0@example.org,confirmed,")
        iterator.assert_called_once()
        assert iterator.call_args.kwargs == {"chunk_size": CHUNK_SIZE}

        assert len(list(lines)) == 4999


class TestSubscribersCsvView:
    def test_streams_the_lists_subscribers_as_an_attachment(self, client, exporter, newsletter):
        SubscriptionFactory(newsletter=newsletter, email="ana@example.org", confirmed_at=CONFIRMED)
        SubscriptionFactory(
            newsletter=newsletter,
            email="cy@example.org",
            status=Subscription.Status.PENDING,
            confirmed_at=None,
            source_url="/middle-east/",
        )
        SubscriptionFactory(newsletter=NewsletterFactory(slug="other"), email="x@example.org")
        client.force_login(exporter)

        response = client.get(csv_url(newsletter))

        assert response.status_code == 200
        assert response.streaming is True
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        today = timezone.localdate().isoformat()
        assert response["Content-Disposition"] == (
            f'attachment; filename="weekly-round-up-subscribers-{today}.csv"'
        )
        rows = parse(response.streaming_content)
        assert rows[0] == HEADER
        assert [(row[0], row[1], row[2], row[5]) for row in rows[1:]] == [
            ("ana@example.org", "confirmed", "2026-11-02T09:45:12+00:00", "/"),
            ("cy@example.org", "pending", "", "/middle-east/"),
        ]

    def test_escapes_formulas(self, client, exporter, newsletter):
        SubscriptionFactory(newsletter=newsletter, email="=cmd@example.org")
        client.force_login(exporter)

        rows = parse(client.get(csv_url(newsletter)).streaming_content)

        assert rows[1][0] == "'=cmd@example.org"

    def test_filename_names_the_list_and_the_day(self, newsletter):
        assert csv_filename(newsletter, date(2026, 11, 25)) == (
            "weekly-round-up-subscribers-2026-11-25.csv"
        )

    def test_staff_without_the_export_permission_are_refused(
        self, client, django_user_model, newsletter
    ):
        user = django_user_model.objects.create_user(username="viewer", is_staff=True)
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="newsletter", codename="view_newsletter")
        )
        client.force_login(user)

        assert client.get(csv_url(newsletter)).status_code == 403

    def test_visitors_are_sent_to_the_login_page(self, client, newsletter):
        response = client.get(csv_url(newsletter))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_unknown_newsletter_is_404(self, client, exporter):
        client.force_login(exporter)
        url = reverse("admin:newsletter_newsletter_subscribers", args=[999999])

        assert client.get(url).status_code == 404


class TestWeeklyConfirmations:
    NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
    MONDAY = date(2026, 11, 23)

    def confirm(self, newsletter, when, status=Subscription.Status.CONFIRMED):
        return SubscriptionFactory(newsletter=newsletter, status=status, confirmed_at=when)

    def test_counts_confirmations_by_week_over_26_weeks(self, newsletter):
        self.confirm(newsletter, self.NOW - timedelta(hours=1))
        self.confirm(newsletter, datetime(2026, 11, 23, 0, 0, tzinfo=UTC))  # Monday, 00:00
        self.confirm(newsletter, datetime(2026, 11, 22, 23, 59, tzinfo=UTC))  # Sunday before
        self.confirm(newsletter, self.NOW - timedelta(weeks=3))
        self.confirm(newsletter, self.NOW - timedelta(weeks=25, days=2))  # oldest week shown
        self.confirm(newsletter, self.NOW - timedelta(weeks=26, days=3))  # too old
        # Only readers still subscribed count, and only this list's.
        self.confirm(newsletter, self.NOW, status=Subscription.Status.UNSUBSCRIBED)
        SubscriptionFactory(newsletter=newsletter, status=Subscription.Status.PENDING)
        self.confirm(NewsletterFactory(slug="other"), self.NOW)

        with CaptureQueriesContext(connection) as queries:
            weeks = weekly_confirmations(newsletter, now=self.NOW)

        assert len(queries) == 1
        assert "GROUP BY" in queries[0]["sql"]
        assert len(weeks) == 26
        mondays = [monday for monday, _ in weeks]
        assert mondays[-1] == self.MONDAY
        assert mondays[0] == self.MONDAY - timedelta(weeks=25)
        assert all(monday.weekday() == 0 for monday in mondays)
        counts = dict(weeks)
        assert counts[self.MONDAY] == 2
        assert counts[self.MONDAY - timedelta(weeks=1)] == 1
        assert counts[self.MONDAY - timedelta(weeks=3)] == 1
        assert counts[self.MONDAY - timedelta(weeks=25)] == 1
        assert sum(counts.values()) == 5

    def test_weeks_begin_on_monday_in_the_sites_time_zone(self, settings, newsletter):
        settings.TIME_ZONE = "America/New_York"
        # Monday 03:00 UTC is still Sunday evening in New York.
        self.confirm(newsletter, datetime(2026, 11, 23, 3, 0, tzinfo=UTC))

        counts = dict(weekly_confirmations(newsletter, now=self.NOW))

        assert counts[self.MONDAY] == 0
        assert counts[self.MONDAY - timedelta(weeks=1)] == 1

    def test_an_empty_list_has_26_empty_weeks(self, newsletter):
        weeks = weekly_confirmations(newsletter, now=self.NOW)

        assert [count for _, count in weeks] == [0] * 26
