"""The donation appeal admin's list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DonationAppealFactory
from tests.forms import changelist_rows

pytestmark = pytest.mark.django_db


class TestDonationAppealAdmin:
    def test_showing_now_is_true_only_inside_the_window(self, admin_client):
        # One active appeal at a time: the open-ended live case is in
        # tests/articles/test_donation_appeals.py.
        now = timezone.now()
        DonationAppealFactory(
            title="Over", starts_at=now - timedelta(days=5), ends_at=now - timedelta(days=1)
        )
        DonationAppealFactory(
            title="Running", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1)
        )
        DonationAppealFactory(title="Coming", starts_at=now + timedelta(days=1), ends_at=None)
        DonationAppealFactory(title="Switched off", is_active=False)

        response = admin_client.get(reverse("admin:articles_donationappeal_changelist"))

        assert response.status_code == 200
        showing = {
            row["title"].get_text(strip=True): row["live_now"].img["alt"]
            for row in changelist_rows(response)
        }
        assert showing == {
            "Running": "True",
            "Coming": "False",
            "Over": "False",
            "Switched off": "False",
        }
