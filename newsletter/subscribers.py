"""What staff see of a list's readers: the subscriber CSV and confirmations per week."""

import csv
from datetime import datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from newsletter.models import Subscription

HEADER = ["email", "status", "consent time", "signed up", "unsubscribed at", "source page"]
COLUMNS = ["email", "status", "confirmed_at", "created_at", "unsubscribed_at", "source_url"]
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"),
# and some, in East Asian locales, take the full-width forms of the first four for them too.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CHUNK_SIZE = 2000


def escape_cell(value):
    """One CSV cell as text: ISO 8601 for times, a leading quote to defuse formulas."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer to stream."""

    def write(self, value):
        return value


def csv_rows(queryset):
    """Yield the CSV of `queryset` (subscriptions) as encoded lines: a header, then one a row.

    Rows come from the database in chunks, so memory stays flat however long the list."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER).encode()
    rows = queryset.order_by("pk").values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    for row in rows:
        yield writer.writerow([escape_cell(value) for value in row]).encode()


def csv_filename(newsletter, today=None):
    today = today or timezone.localdate()
    return f"{newsletter.slug}-subscribers-{today.isoformat()}.csv"


def week_start(moment):
    """The Monday (a date, in the site's time zone) of the week `moment` falls in."""
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


def weekly_confirmations(newsletter, weeks=26, now=None):
    """Confirmed subscribers by the week they gave consent: `(monday, count)` for each of the
    last `weeks` weeks, this one included, oldest first, empty weeks as zero. One query."""
    first = week_start(now or timezone.now()) - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    counted = (
        Subscription.objects.confirmed()
        .filter(newsletter=newsletter, confirmed_at__gte=since)
        .annotate(week=TruncWeek("confirmed_at"))
        .order_by()
        .values("week")
        .annotate(count=Count("pk"))
        .values_list("week", "count")
    )
    counts = {week_start(week): count for week, count in counted}
    mondays = [first + timedelta(weeks=n) for n in range(weeks)]
    return [(monday, counts.get(monday, 0)) for monday in mondays]
