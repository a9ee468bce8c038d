"""Dialects: who fills in the unsubscribe link. "none" signs one for a single reader; the
others leave the email service's merge tag for it to fill in."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from newsletter import tokens
from newsletter.export.errors import ExportError

DIALECTS = ("none", "mailchimp", "generic")
MERGE_TAGS = {"mailchimp": "*|UNSUB|*", "generic": "{{ unsubscribe_url }}"}
# Stands in for the unsubscribe link until the end: a merge tag's braces would meet the
# template engine, and a real link must escape the UTM tagging. Each export adds a random path,
# so no text typed into an issue can be taken for it; https (on a domain no one can own) so the
# sanitiser keeps it.
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/"


def check_dialect(dialect):
    if dialect not in DIALECTS:
        raise ExportError(f"Unknown dialect “{dialect}”: choose one of {', '.join(DIALECTS)}.")


def checked_recipient(address):
    """The recipient's address, stripped; None when there is none."""
    if not address:
        return None
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise ExportError(f"“{address}” is not an email address.") from error
    return address


def unsubscribe_link(newsletter, dialect, recipient):
    """What the unsubscribe link says in `dialect`: a signed link for `recipient` (already
    checked), or the email service's merge tag."""
    if dialect != "none":
        return MERGE_TAGS[dialect]
    if not recipient:
        raise ExportError(
            "A real unsubscribe link is made for one reader: give the recipient's address, "
            "or use the mailchimp or generic dialect and let the email service fill it in."
        )
    return tokens.unsubscribe_url(newsletter, recipient)
