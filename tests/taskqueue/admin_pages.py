"""The task queue's admin pages, read: rows, fields, messages; and the tasks they show."""

import smtplib

from django.urls import reverse

from tests.forms import soup_of

CHANGELIST = reverse("admin:taskqueue_queuedtask_changelist")
CONFIRM = "newsletter.tasks.confirm_signup"
RETRY_MAIL = "newsletter.tasks.retry_confirmation"
READER = "ana.lopez@example.org"
REFUSED = smtplib.SMTPRecipientsRefused({READER: (550, b"5.1.1 No such user")})


def detail_url(task):
    return reverse("admin:taskqueue_queuedtask_change", args=[task.pk])


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
