"""The email's HTML part: the template rendered, its CSS inlined, its body cleaned, its size
kept under Gmail's clipping point."""

import css_inline
from django.template.loader import render_to_string

from newsletter.export.cleaning import clean_email
from newsletter.export.context import issue_context
from newsletter.export.errors import ExportError
from newsletter.export.links import LINK_SCHEMES, tag_url, url_scheme

# Gmail shows "[Message clipped]" from this size on, hiding the rest, unsubscribe link included.
GMAIL_CLIP_BYTES = 102_000
PREHEADER_FILLER = 60

INLINER = css_inline.CSSInliner(
    keep_at_rules=True, load_remote_stylesheets=False, keep_link_tags=False, minify_css=True
)


def render_html(issue, dialect="generic", recipient=None):
    return email_html(issue_context(issue, dialect, recipient))


def email_html(context):
    """The HTML part from the issue's context: every link tagged, the unsubscribe link last."""
    issue = context["issue"]

    def rewrite_href(url):
        if url == context["unsubscribe_href"]:
            # Our own: a signed https link, or the email service's merge tag.
            return context["unsubscribe"]
        url = tag_url(url, issue)
        return url if url_scheme(url) in LINK_SCHEMES else None

    page = render_to_string(
        "newsletter/email/issue.html",
        {**context, "preheader_filler": range(PREHEADER_FILLER)},
    )
    html = clean_email(INLINER.inline(page), rewrite_href)
    size = len(html.encode())
    if size >= GMAIL_CLIP_BYTES:
        raise ExportError(
            f"The email is {size:,} bytes. Gmail clips messages of {GMAIL_CLIP_BYTES:,} bytes "
            "or more, hiding the end (and the unsubscribe link). Drop an item or shorten "
            "some blurbs."
        )
    return html
