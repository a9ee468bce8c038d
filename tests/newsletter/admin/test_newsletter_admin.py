"""The newsletter's changelist, add and change pages."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Subscription
from tests.factories import NewsletterFactory, SubscriptionFactory
from tests.forms import soup_of
from tests.newsletter.admin.helpers import changelist_rows, days_ago

pytestmark = pytest.mark.django_db


class TestNewsletterAdmin:
    def test_changelist_counts_subscribers_by_status_in_one_query(self, admin_client):
        def rows():
            admin_client.get(reverse("admin:newsletter_newsletter_changelist"))  # warm caches
            with CaptureQueriesContext(connection) as queries:
                response = admin_client.get(reverse("admin:newsletter_newsletter_changelist"))
            return changelist_rows(response), len(queries)

        weekly = NewsletterFactory()
        SubscriptionFactory.create_batch(3, newsletter=weekly)
        SubscriptionFactory.create_batch(
            2, newsletter=weekly, status=Subscription.Status.PENDING, confirmed_at=None
        )
        SubscriptionFactory(
            newsletter=weekly, status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=days_ago(1)
        )
        one, few = rows()
        assert one == [
            {
                "name": "The Weekly Round-up",
                "slug": "weekly-round-up",
                "confirmed_count": "3",
                "pending_count": "2",
                "unsubscribed_count": "1",
            }
        ]
        for slug in ["daily", "monthly"]:
            SubscriptionFactory(newsletter=NewsletterFactory(name=slug.title(), slug=slug))
        three, more = rows()
        assert [row["confirmed_count"] for row in three] == ["1", "1", "3"]
        assert more == few

    def test_add_form_fills_the_slug_from_the_name(self, admin_client):
        soup = soup_of(admin_client.get(reverse("admin:newsletter_newsletter_add")))

        prepopulated = soup.find(id="django-admin-prepopulated-fields-constants")
        [slug] = json.loads(prepopulated["data-prepopulated-fields"])
        assert (slug["id"], slug["dependency_ids"]) == ("#id_slug", ["#id_name"])

    def test_change_page_charts_confirmations_per_week(self, staff_client, newsletter):
        now = timezone.now()
        this_monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
        SubscriptionFactory.create_batch(3, newsletter=newsletter, confirmed_at=now)
        SubscriptionFactory(newsletter=newsletter, confirmed_at=now - timedelta(weeks=2))
        url = reverse("admin:newsletter_newsletter_change", args=[newsletter.pk])

        soup = soup_of(staff_client.get(url))

        chart = soup.select_one(".rs-weekly svg[role=img]")
        assert chart["aria-labelledby"] == "rs-weekly-title rs-weekly-desc"
        assert soup.find(id="rs-weekly-desc").get_text() == "4 in all; the busiest week had 3."
        bars = chart.select("rect.rs-chart-bar")
        assert [bar["data-count"] for bar in bars][-3:] == ["1", "0", "3"]
        assert len(bars) == 26
        tallest, two_weeks_ago = bars[-1], bars[-3]
        assert int(tallest["height"]) == 3 * int(two_weeks_ago["height"]) > 0
        table = {
            row.th.time["datetime"]: row.td.get_text()
            for row in soup.select(".rs-weekly-table tbody tr")
        }
        assert len(table) == 26
        assert table[this_monday.isoformat()] == "3"
        assert table[(this_monday - timedelta(weeks=2)).isoformat()] == "1"
        assert sum(int(count) for count in table.values()) == 4
        assert not soup.find_all("script", src=lambda src: src and "chart" in src)

    def test_change_page_offers_the_csv_to_who_may_export(
        self, staff_client, client, django_user_model, newsletter
    ):
        url = reverse("admin:newsletter_newsletter_change", args=[newsletter.pk])
        csv = reverse("admin:newsletter_newsletter_subscribers", args=[newsletter.pk])

        link = soup_of(staff_client.get(url)).select_one(".object-tools a.rs-subscribers-csv")
        assert link.get_text(strip=True) == "Export subscribers (CSV)"
        assert link["href"] == csv

        viewer = django_user_model.objects.create_user(username="viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_newsletter"))
        client.force_login(viewer)
        assert soup_of(client.get(url)).select_one("a.rs-subscribers-csv") is None
