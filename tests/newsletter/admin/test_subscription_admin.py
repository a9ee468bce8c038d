"""Subscriptions in the admin: consent records, read-only."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from newsletter.models import Subscription
from tests.factories import SubscriptionFactory
from tests.forms import soup_of
from tests.newsletter.admin.helpers import assert_read_only, changelist_rows

pytestmark = pytest.mark.django_db


class TestSubscriptionAdmin:
    def test_changelist_columns_filters_and_search(self, admin_client, newsletter):
        consent = datetime(2026, 11, 2, 9, 45, tzinfo=UTC)
        SubscriptionFactory(
            newsletter=newsletter,
            email="ana@example.org",
            confirmed_at=consent,
            source_url="/asia-pacific/",
        )
        SubscriptionFactory(
            newsletter=newsletter,
            email="ben@example.org",
            status=Subscription.Status.PENDING,
            confirmed_at=None,
        )
        url = reverse("admin:newsletter_subscription_changelist")

        response = admin_client.get(url, {"q": "ana@"})

        [row] = changelist_rows(response)
        assert row["email"] == "ana@example.org"
        assert row["newsletter"] == "The Weekly Round-up"
        assert row["status"] == "Confirmed"
        assert row["source_url"] == "/asia-pacific/"
        assert row["consent"] != "-"
        headers = [th.get_text(strip=True) for th in soup_of(response).select("#result_list th")]
        assert "Consent" in headers
        pending = changelist_rows(admin_client.get(url, {"status__exact": "pending"}))
        assert [row["email"] for row in pending] == ["ben@example.org"]
        hierarchy = soup_of(response).select_one("#date-hierarchy-label")
        assert hierarchy.get_text(strip=True) == "Filter by created at"

    def test_consent_fields_are_read_only_even_for_superusers(self, admin_client, newsletter):
        subscription = SubscriptionFactory(newsletter=newsletter)
        url = reverse("admin:newsletter_subscription_change", args=[subscription.pk])

        soup = soup_of(admin_client.get(url))

        for field in ["status", "created_at", "confirmed_at", "unsubscribed_at", "source_url"]:
            assert soup.find(attrs={"name": field}) is None, field
            assert soup.select_one(f".field-{field} .readonly") is not None, field
        assert soup.find("input", attrs={"name": "email"}) is not None

    def test_staff_can_read_but_not_change_a_subscription(self, staff_client, newsletter):
        subscription = SubscriptionFactory(newsletter=newsletter, email="ana@example.org")
        url = reverse("admin:newsletter_subscription_change", args=[subscription.pk])

        assert_read_only(staff_client, url, "email", "x@example.org")

        subscription.refresh_from_db()
        assert subscription.email == "ana@example.org"
