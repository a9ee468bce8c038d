"""Dialects: who fills in the unsubscribe link."""

import pytest

from newsletter import export
from newsletter.export import ExportError
from tests.newsletter.export.helpers import make_issue, soup_of, text_of


def test_mailchimp_dialect_uses_its_merge_tag_and_no_signed_link(newsletter):
    issue = make_issue(newsletter)

    for output in (export.render_html(issue, "mailchimp"), text_of(issue, dialect="mailchimp")):
        assert "*|UNSUB|*" in output
        assert "/newsletter/unsubscribe/" not in output


def test_generic_dialect_writes_the_literal_merge_tag(newsletter):
    issue = make_issue(newsletter)

    soup = soup_of(issue, dialect="generic")
    assert soup.find("a", string="Unsubscribe")["href"] == "{{ unsubscribe_url }}"
    assert "{{ unsubscribe_url }}" in text_of(issue, dialect="generic")


def test_no_dialect_needs_a_recipient(newsletter):
    issue = make_issue(newsletter)

    with pytest.raises(ExportError, match="recipient"):
        export.render_html(issue, dialect="none")
    with pytest.raises(ExportError, match="recipient"):
        export.build_eml(issue)


def test_an_unknown_dialect_or_a_bad_recipient_is_refused(newsletter):
    issue = make_issue(newsletter)

    with pytest.raises(ExportError, match="dialect"):
        export.render_html(issue, dialect="sendgrid")
    with pytest.raises(ExportError, match="not an email address"):
        export.build_eml(issue, recipient="reader@example.org\r\nBcc: evil@example.com")
