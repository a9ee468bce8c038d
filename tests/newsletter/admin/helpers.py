"""Addresses of the newsletter admin's pages and ways to read them."""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.forms import changelist_rows as cell_rows
from tests.forms import soup_of

ISSUE_CHANGELIST = reverse("admin:newsletter_issue_changelist")
ISSUE_ADD = reverse("admin:newsletter_issue_add")
BUILD = reverse("admin:newsletter_issue_build")
STAFF_GROUP = "Newsletter staff"


def changelist_rows(response):
    """Each result row as {column name: cell text}, keyed by the admin's field-* classes."""
    return [
        {name: cell.get_text(" ", strip=True) for name, cell in row.items()}
        for row in cell_rows(response)
    ]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_url(issue):
    return reverse("admin:newsletter_issue_change", args=[issue.pk])


def preview_url(issue):
    return reverse("admin:newsletter_issue_preview", args=[issue.pk])


def export_url(issue):
    return reverse("admin:newsletter_issue_export", args=[issue.pk])


def days_ago(days, **kwargs):
    return timezone.now() - timedelta(days=days, **kwargs)


def assert_read_only(client, url, field, value):
    """The change page opens with no input for `field`, and posting `value` to it is refused."""
    response = client.get(url)

    assert response.status_code == 200
    assert soup_of(response).find("input", attrs={"name": field}) is None
    assert client.post(url, {field: value}).status_code == 403
