"""The email-ready export of a newsletter issue: HTML, plain text, a whole .eml, and JSON.

Every format starts from the same checked list of items; every link in the HTML and the text
goes through `tag_url`; the unsubscribe link goes in last, so nothing rewrites it. The HTML is
changed only through a parser: nh3 cleans the email's body by an allow-list and rewrites its links
in the same pass, so text inside an attribute never becomes markup.

Its modules, each importing only those before it: errors; links (SITE_URL, UTM tagging, link
schemes); headers (header text and the .eml's policy); dialects (who fills in the unsubscribe
link); pictures (which copy of a picture mail gets, its credit); cleaning (the allow-list);
context (the checked items, what both templates show); then one module per format: html,
text, eml, json. This one picks the format.
"""

from newsletter.export.cleaning import clean_email
from newsletter.export.context import checked_items
from newsletter.export.dialects import DIALECTS, UNSUBSCRIBE_PLACEHOLDER
from newsletter.export.eml import build_eml
from newsletter.export.errors import ExportError
from newsletter.export.html import render_html
from newsletter.export.json import issue_json
from newsletter.export.links import site_url, tag_url
from newsletter.export.pictures import credit_line, email_files
from newsletter.export.text import render_text, wrap_text

__all__ = [
    "DIALECTS",
    "FORMATS",
    "UNSUBSCRIBE_PLACEHOLDER",
    "ExportError",
    "build_eml",
    "checked_items",
    "clean_email",
    "credit_line",
    "email_files",
    "export_issue",
    "issue_json",
    "render_html",
    "render_text",
    "site_url",
    "tag_url",
    "wrap_text",
]

FORMATS = ("html", "text", "eml", "json")


def export_issue(issue, fmt, dialect=None, recipient=None):
    """Return (content, content type, file name) of `issue` in `fmt`."""
    name = f"{issue.newsletter.slug}-{issue.number}"
    match fmt:
        case "html":
            html = render_html(issue, dialect or "generic", recipient)
            return html.encode(), "text/html; charset=utf-8", f"{name}.html"
        case "text":
            plain = render_text(issue, dialect or "generic", recipient)
            return plain.encode(), "text/plain; charset=utf-8", f"{name}.txt"
        case "eml":
            return build_eml(issue, dialect or "none", recipient), "message/rfc822", f"{name}.eml"
        case "json":
            return issue_json(issue).encode(), "application/json", f"{name}.json"
    raise ExportError(f"Unknown format “{fmt}”: choose one of {', '.join(FORMATS)}.")
