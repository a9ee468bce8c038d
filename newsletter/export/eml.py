"""The issue as one email message, ready to send or to open in a mail program (.eml)."""

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from newsletter.export.context import issue_context
from newsletter.export.errors import ExportError
from newsletter.export.headers import EMAIL_POLICY, header_address, header_text
from newsletter.export.html import email_html
from newsletter.export.text import email_text


def build_eml(issue, dialect="none", recipient=None):
    """The whole message as bytes: a text part, then an HTML part, with list headers."""
    context = issue_context(issue, dialect, recipient)
    html, plain = email_html(context), email_text(context)
    newsletter = issue.newsletter
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    host = urlsplit(settings.SITE_URL).hostname

    message = EmailMessage(policy=EMAIL_POLICY)
    # Collapsing whitespace removes CR and LF, so no text of ours can start a header.
    message["Subject"] = header_text(issue.subject, "subject")
    try:
        message["From"] = Address(
            display_name=header_text(newsletter.from_name or settings.SITE_NAME, "sender name"),
            addr_spec=sender,
        )
    except (ValueError, IndexError) as error:
        raise ExportError(
            f"DEFAULT_FROM_EMAIL ({settings.DEFAULT_FROM_EMAIL!r}) has no usable address."
        ) from error
    if context["recipient"]:
        message["To"] = Address(addr_spec=header_address(context["recipient"]))
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain=host)
    list_name = header_text(newsletter.name, "newsletter name")
    message["List-Id"] = f"{list_name} <{newsletter.slug}.{host}>"
    message["List-Unsubscribe"] = f"<{context['unsubscribe']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(plain, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message.as_bytes()
