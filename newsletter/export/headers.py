"""Text that goes into the .eml's headers: one line, no encoded words, ASCII addresses."""

from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.policy import SMTP

from newsletter.export.errors import ExportError
from newsletter.validators import ENCODED_WORD


class UnfoldedHeader(UnstructuredHeader):
    """Left on one line: folding would turn a long URL into encoded words no client reads."""

    def fold(self, *, policy):
        if not str(self).isascii():
            return super().fold(policy=policy)
        return f"{self.name}: {self}{policy.linesep}"


HEADER_TYPES = HeaderRegistry()
HEADER_TYPES.map_to_type("list-unsubscribe", UnfoldedHeader)
EMAIL_POLICY = SMTP.clone(header_factory=HEADER_TYPES)


def one_line(value):
    return " ".join(value.split())


def header_text(value, what):
    """`value` on one line, for a header; refuse an encoded word typed into it, which mail
    programs would decode (line breaks included) into something else than staff wrote."""
    value = one_line(value)
    if ENCODED_WORD.search(value):
        raise ExportError(
            f"The {what} contains “=?…?=”, which mail programs decode as hidden text. "
            "Take it out before exporting."
        )
    return value


def header_address(address):
    """The address as a header carries it: an international domain in its ASCII (IDNA) form."""
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise ExportError(f"“{address}” cannot be written in a header without SMTPUTF8.")
    return f"{local}@{domain.encode('idna').decode('ascii')}"
