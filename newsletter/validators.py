"""Text that goes into email headers: a list's name, an issue's subject, an address."""

import re

from django.core.exceptions import ValidationError

# `=?charset?q?…?=`: mail programs decode this inside a header, so a literal one typed into a
# subject or an address could smuggle a line break (an encoded CR LF) into what they show.
ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bq]\?[^?\s]*\?=", re.IGNORECASE)
# C0 and C1 controls, and the Unicode line and paragraph separators: no header text needs one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_header_text(value):
    """Refuse text that becomes an email header if it could start a header of its own."""
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            "Keep this to one line: line breaks and control characters cannot go into an "
            "email header.",
            code="header_control",
        )
    if ENCODED_WORD.search(value):
        raise ValidationError(
            "Mail programs read “=?…?=” as encoded text; take it out.", code="header_encoded"
        )
