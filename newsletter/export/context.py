"""What every format of an issue starts from: its items, checked once, and the context both
email templates show."""

import secrets
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone

from articles.models import Article
from newsletter.export.dialects import (
    UNSUBSCRIBE_PLACEHOLDER,
    check_dialect,
    checked_recipient,
    unsubscribe_link,
)
from newsletter.export.errors import ExportError
from newsletter.export.headers import one_line
from newsletter.export.links import site_url
from newsletter.export.pictures import picture


def checked_items(issue):
    """The issue's items in order; refuse an empty issue or one with stories readers cannot open."""
    items = list(issue.ordered_items())
    if not items:
        raise ExportError(f"“{issue}” has no stories. Add at least one before exporting.")
    public = set(
        Article.objects.published()
        .filter(pk__in=[item.article_id for item in items])
        .values_list("pk", flat=True)
    )
    hidden = [item.article.headline for item in items if item.article_id not in public]
    if hidden:
        headlines = "; ".join(f"“{headline}”" for headline in hidden)
        raise ExportError(
            f"Readers cannot open these stories yet: {headlines}. "
            "Publish them, or take them out of the issue, before exporting."
        )
    return items


def issue_context(issue, dialect, recipient):
    """What both the HTML and the text template show, checked once."""
    base = site_url()
    check_dialect(dialect)
    recipient = checked_recipient(recipient)
    unsubscribe = unsubscribe_link(issue.newsletter, dialect, recipient)
    items = checked_items(issue)
    return {
        "issue": issue,
        "newsletter": issue.newsletter,
        "subject": one_line(issue.subject),
        "issue_date": timezone.localdate(issue.sent_at) if issue.sent_at else timezone.localdate(),
        "items": [item_context(item, base) for item in items],
        "web_url": urljoin(base, issue.get_absolute_url()),
        "site_url": urljoin(base, "/"),
        "site_name": settings.SITE_NAME,
        "unsubscribe_href": UNSUBSCRIBE_PLACEHOLDER + secrets.token_urlsafe(16),
        "unsubscribe": unsubscribe,
        "recipient": recipient,
    }


def item_context(item, base):
    article = item.article
    return {
        "headline": article.headline,
        "url": urljoin(base, article.get_absolute_url()),
        "section": article.section.name,
        "section_url": urljoin(base, article.section.get_absolute_url()),
        "blurb": item.get_blurb(),
        # The text part leads with the editor's blurb, else the dek the desk wrote for the story.
        "summary": item.blurb or article.dek or article.teaser_text,
        "image": picture(article, base) if article.top_image else None,
    }
