from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from articles.models import DonationAppeal
from tests.factories import ArticleFactory, DonationAppealFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_donationappeal_changelist")
ADD = reverse("admin:articles_donationappeal_add")
MOMENT = timedelta(microseconds=1)


def day(number):
    """Midnight (UTC) starting day `number` of December 2026; 32 is 1 January 2027."""
    return datetime(2026, 12, 1, tzinfo=UTC) + timedelta(days=number - 1)


def at(moment):
    return moment if moment is None or isinstance(moment, datetime) else day(moment)


def appeal(title, starts, ends=None, *, is_active=True):
    """Saved straight to the database, past clean(): only the database's rule applies."""
    return DonationAppealFactory(
        title=title, starts_at=at(starts), ends_at=at(ends), is_active=is_active
    )


def overlap_message(title, window):
    return (
        f"This window overlaps “{title}” ({window}). Only one appeal can show at a time: "
        "change the dates, or untick “Is active” on one of them."
    )


OVERLAPPING = {
    "runs into the next": ((1, 10), (5, 15)),
    "starts inside the other": ((5, 15), (1, 10)),
    "inside the other": ((1, 31), (10, 12)),
    "around the other": ((10, 12), (1, 31)),
    "the same window": ((1, 10), (1, 10)),
    "by one microsecond": ((1, 10), (day(10) - MOMENT, 20)),
    "after an open-ended one starts": ((1, None), (40, 45)),
    "open-ended, before the other ends": ((10, 20), (15, None)),
    "both open-ended": ((1, None), (40, None)),
}

APART = {
    "back to back": ((1, 10), (10, 20)),
    "back to back, the new one first": ((10, 20), (1, 10)),
    "with a gap": ((1, 5), (20, 25)),
    "open-ended after the other ends": ((1, 10), (10, None)),
    "before an open-ended one": ((10, None), (1, 10)),
}


class TestTheDatabaseAllowsOneActiveAppealAtATime:
    @pytest.mark.parametrize(("existing", "new"), OVERLAPPING.values(), ids=OVERLAPPING)
    def test_an_overlapping_active_appeal_is_refused(self, existing, new):
        appeal("First", *existing)

        with pytest.raises(IntegrityError), transaction.atomic():
            appeal("Second", *new)

        assert list(DonationAppeal.objects.values_list("title", flat=True)) == ["First"]

    @pytest.mark.parametrize(("existing", "new"), APART.values(), ids=APART)
    def test_windows_that_do_not_overlap_are_accepted(self, existing, new):
        appeal("First", *existing)
        appeal("Second", *new)

        assert DonationAppeal.objects.filter(is_active=True).count() == 2

    def test_inactive_appeals_may_overlap_anything(self):
        appeal("Running", 1, None)
        appeal("Draft", 10, 20, is_active=False)
        appeal("Another draft", 5, None, is_active=False)

        assert DonationAppeal.objects.count() == 3

    def test_moving_an_appeal_into_another_is_refused(self):
        appeal("December", 1, 10)
        january = appeal("January", 32, 40)
        february = appeal("February", 63, 70)

        january.starts_at = day(5)
        with pytest.raises(IntegrityError), transaction.atomic():
            january.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            DonationAppeal.objects.filter(pk=january.pk).update(ends_at=None)

        january.refresh_from_db()
        assert (january.starts_at, january.ends_at) == (day(32), day(40))
        assert february.ends_at == day(70)

    def test_switching_on_an_overlapping_appeal_is_refused(self):
        appeal("Running", 1, 31)
        spare = appeal("Spare", 10, 20, is_active=False)

        spare.is_active = True
        with pytest.raises(IntegrityError), transaction.atomic():
            spare.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            DonationAppeal.objects.filter(pk=spare.pk).update(is_active=True)

        assert DonationAppeal.objects.filter(is_active=True).count() == 1

    def test_an_appeal_may_change_its_own_window_and_text(self):
        running = appeal("Running", 1, 10)
        appeal("Next", 20, None)

        running.ends_at = day(20)
        running.title = "Running longer"
        running.save()

        running.refresh_from_db()
        assert (running.title, running.ends_at) == ("Running longer", day(20))


class TestClean:
    def test_names_the_appeal_it_overlaps(self):
        appeal("Year-end appeal 2026", 1, day(31) + timedelta(hours=23, minutes=59))
        new = DonationAppealFactory.build(title="Giving Tuesday", starts_at=day(20), ends_at=None)

        with pytest.raises(ValidationError) as caught:
            new.full_clean()

        assert caught.value.message_dict == {
            NON_FIELD_ERRORS: [overlap_message("Year-end appeal 2026", "1 Dec – 31 Dec 2026")]
        }

    @pytest.mark.parametrize(
        ("starts", "ends", "label"),
        [
            (1, 31, "1 Dec – 31 Dec 2026"),
            (20, 40, "20 Dec 2026 – 9 Jan 2027"),
            (5, None, "from 5 Dec 2026, no end"),
        ],
    )
    def test_window_label(self, starts, ends, label):
        assert appeal("Appeal", starts, ends).window_label() == label

    def test_accepts_back_to_back_inactive_and_the_appeal_itself(self):
        running = appeal("Running", 1, 10)

        DonationAppealFactory.build(starts_at=day(10), ends_at=day(20)).full_clean()
        DonationAppealFactory.build(starts_at=day(5), ends_at=None, is_active=False).full_clean()
        running.full_clean()

    def test_a_window_that_ends_before_it_starts_is_explained_first(self):
        appeal("Running", 1, None)
        backwards = DonationAppealFactory.build(starts_at=day(10), ends_at=day(5))

        with pytest.raises(ValidationError) as caught:
            backwards.full_clean()

        assert caught.value.message_dict == {"ends_at": ["The appeal must end after it starts."]}


@pytest.fixture
def december_client(time_machine, client, editor):
    """An editor's client on 10 December 2026 at noon."""
    time_machine.move_to(day(10) + timedelta(hours=12), tick=False)
    client.force_login(editor)
    return client


def window_fields(prefix, moment):
    return {f"{prefix}_0": f"{moment:%Y-%m-%d}", f"{prefix}_1": f"{moment:%H:%M:%S}"}


def titles(response):
    return sorted(
        cell.get_text(strip=True) for cell in soup_of(response).select("#result_list .field-title")
    )


def notice(response):
    return soup_of(response).select_one("#content .titles h2").get_text(strip=True)


class TestAdmin:
    def test_the_form_explains_an_overlap(self, december_client):
        appeal("Year-end appeal 2026", 1, 32)
        data = form_data(december_client.get(ADD), "donationappeal_form")
        data.update(title="Giving Tuesday", url="/donate/", message="<p>Give.</p>")
        data.update(window_fields("starts_at", day(20)))
        data.update({"ends_at_0": "", "ends_at_1": ""})

        response = december_client.post(ADD, data)

        assert response.status_code == 200
        errors = soup_of(response).select(".errorlist.nonfield li")
        assert [error.get_text() for error in errors] == [
            overlap_message("Year-end appeal 2026", "1 Dec 2026 – 1 Jan 2027")
        ]
        assert DonationAppeal.objects.count() == 1

    def test_editors_schedule_the_next_appeal_to_start_as_this_one_ends(self, december_client):
        appeal("Year-end appeal 2026", 1, 32)
        data = form_data(december_client.get(ADD), "donationappeal_form")
        data.update(title="New year", url="/donate/", message="<p>Give.</p>")
        data.update(window_fields("starts_at", day(32)))
        data.update(window_fields("ends_at", day(60)))

        response = december_client.post(ADD, data)

        assert response.status_code == 302
        new_year = DonationAppeal.objects.get(title="New year")
        assert (new_year.starts_at, new_year.ends_at, new_year.is_active) == (
            day(32),
            day(60),
            True,
        )

    def test_the_list_names_the_appeal_showing_now_and_until_when(self, december_client):
        appeal("November", -29, 1)
        appeal("Year-end appeal 2026", 1, day(31) + timedelta(hours=23, minutes=59))

        response = december_client.get(CHANGELIST)

        assert notice(response) == "Showing now: Year-end appeal 2026, until 31 Dec 2026, 23:59"
        rows = {
            row.select_one(".field-title").get_text(strip=True): (
                row.select_one(".field-window").get_text(strip=True),
                row.select_one(".field-live_now img")["alt"],
            )
            for row in soup_of(response).select("#result_list tbody tr")
        }
        assert rows == {
            "November": ("1 Nov 2026, 00:00 – 1 Dec 2026, 00:00", "False"),
            "Year-end appeal 2026": ("1 Dec 2026, 00:00 – 31 Dec 2026, 23:59", "True"),
        }

    def test_an_open_ended_appeal_shows_with_no_end_date(self, december_client):
        appeal("Always on", 5, None)

        response = december_client.get(CHANGELIST)

        assert notice(response) == "Showing now: Always on, with no end date"
        [row] = soup_of(response).select("#result_list tbody tr")
        assert row.select_one(".field-window").get_text(strip=True) == "5 Dec 2026, 00:00 – no end"
        assert row.select_one(".field-live_now img")["alt"] == "True"

    def test_the_list_says_when_no_appeal_is_showing(self, december_client):
        appeal("November", -29, 1)
        appeal("January", 32, None)
        appeal("Switched off", 1, 31, is_active=False)

        response = december_client.get(CHANGELIST)

        assert notice(response) == "No appeal is showing now"

    @pytest.mark.parametrize(
        ("when", "expected"),
        [
            ("scheduled", ["January"]),
            ("live", ["Year-end"]),
            ("ended", ["November", "October, switched off"]),
            (None, ["January", "November", "October, switched off", "Paused", "Year-end"]),
        ],
    )
    def test_filters_for_scheduled_live_and_ended(self, december_client, when, expected):
        appeal("October, switched off", -60, -29, is_active=False)
        appeal("November", -29, 1)
        appeal("Year-end", 1, 32)
        appeal("Paused", 5, 15, is_active=False)
        appeal("January", 32, None)

        response = december_client.get(CHANGELIST, {"when": when} if when else {})

        assert response.status_code == 200
        assert titles(response) == expected
        choices = soup_of(response).select("#changelist-filter details")[0].select("li a")
        assert [choice.get_text(strip=True) for choice in choices] == [
            "All",
            "Scheduled",
            "Showing now",
            "Ended",
        ]


def render_appeal(article=None):
    html = Template("{% load articles %}{% donation_appeal article %}").render(
        Context({"article": article})
    )
    return BeautifulSoup(html, "html.parser").select_one(".appeal")


class TestDonationAppealTag:
    def test_shows_the_current_appeal_unless_the_article_opts_out(self):
        DonationAppealFactory(title="Year-end appeal", button_label="Give today")

        shown = render_appeal(ArticleFactory())
        assert shown.h2.get_text(strip=True) == "Year-end appeal"
        assert shown.select_one("a.button").get_text(strip=True) == "Give today"
        assert render_appeal().h2.get_text(strip=True) == "Year-end appeal"
        assert render_appeal(ArticleFactory(show_donation_appeal=False)) is None

    def test_shows_nothing_when_no_appeal_is_running(self):
        now = timezone.now()
        appeal("Over", now - timedelta(days=30), now - timedelta(days=1))
        appeal("Switched off", now - timedelta(days=1), None, is_active=False)

        assert render_appeal(ArticleFactory()) is None
