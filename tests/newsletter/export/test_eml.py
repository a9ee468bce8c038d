"""The whole message (.eml): parts and headers."""

import email
import email.policy
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from newsletter import export
from newsletter.tokens import read_unsubscribe_token
from tests.newsletter.export.helpers import SITE, eml_of, make_issue


def test_eml_is_multipart_alternative_with_text_then_html_in_utf8(newsletter):
    message = eml_of(make_issue(newsletter), recipient="reader@example.org")

    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert [part.get_content_charset() for part in parts] == ["utf-8", "utf-8"]
    assert "Unsubscribe:" in parts[0].get_content()
    assert BeautifulSoup(parts[1].get_content(), "html.parser").find("h1") is not None


def test_eml_headers_address_the_reader_from_the_newsletter(newsletter):
    newsletter.from_name = "Weekly Desk"
    newsletter.save()
    message = eml_of(
        make_issue(newsletter, subject="Kyiv, Tbilisi – und Zürich"), recipient="reader@example.org"
    )

    assert message["Subject"] == "Kyiv, Tbilisi – und Zürich"
    assert message["From"].addresses[0].display_name == "Weekly Desk"
    assert message["From"].addresses[0].addr_spec == "newsletter@review.example.org"
    assert message["To"] == "reader@example.org"
    assert message["Date"].datetime is not None
    assert message["Message-ID"].endswith("@review.example.org>")
    assert message["List-Id"] == "The Weekly Round-up <weekly-round-up.review.example.org>"


def test_eml_list_unsubscribe_carries_a_signed_one_click_link(newsletter):
    message = eml_of(make_issue(newsletter), recipient="Reader@Example.org")

    value = message["List-Unsubscribe"]
    assert value.startswith("<") and value.endswith(">")
    url = value[1:-1]
    assert url.startswith(f"{SITE}/newsletter/unsubscribe/")
    token = urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (newsletter.pk, "reader@example.org")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    unsubscribe = BeautifulSoup(html, "html.parser").find("a", string="Unsubscribe")
    assert unsubscribe["href"] == url


def test_eml_header_injection_in_subject_or_sender_name_adds_no_header(newsletter):
    newsletter.from_name = "Desk\r\nBcc: evil@example.com"
    newsletter.save()
    issue = make_issue(newsletter, subject="Weekly round-up\r\nBcc: evil@example.com")
    data = export.build_eml(issue, recipient="reader@example.org")
    message = email.message_from_bytes(data, policy=email.policy.default)

    assert message["Bcc"] is None
    assert not re.search(rb"^Bcc:", data, re.M | re.I)
    assert message["Subject"] == "Weekly round-up Bcc: evil@example.com"
    assert message["From"].addresses[0].addr_spec == "newsletter@review.example.org"


def test_eml_writes_an_international_domain_in_ascii_and_signs_the_address_as_given(newsletter):
    message = eml_of(make_issue(newsletter), recipient="leser@bücher.example")

    assert message["To"] == "leser@xn--bcher-kva.example"
    token = urlsplit(message["List-Unsubscribe"][1:-1]).path.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (newsletter.pk, "leser@bücher.example")


def test_eml_with_a_merge_tag_dialect_omits_to_without_a_recipient(newsletter):
    message = eml_of(make_issue(newsletter), dialect="mailchimp")

    assert message["To"] is None
    assert message["List-Unsubscribe"] == "<*|UNSUB|*>"
