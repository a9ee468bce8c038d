"""The issue as JSON, for other tools (social posts, archives): plain data, links tagged."""

import json
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone

from articles import dates
from newsletter.export.context import checked_items
from newsletter.export.links import site_url, tag_url
from newsletter.export.pictures import email_files


def issue_json(issue):
    """The issue for other tools (social posts, archives): plain data, links already tagged."""
    base = site_url()
    items = checked_items(issue)
    newsletter = issue.newsletter
    data = {
        "newsletter": {"name": newsletter.name, "slug": newsletter.slug},
        "number": issue.number,
        "subject": issue.subject,
        "preheader": issue.preheader,
        "intro_html": issue.intro,
        "status": issue.status,
        "campaign": issue.campaign,
        "web_url": urljoin(base, issue.get_absolute_url()),
        "items": [
            {
                "position": item.position,
                "headline": item.article.headline,
                "dek": item.article.dek,
                "blurb": item.get_blurb(),
                "url": tag_url(urljoin(base, item.article.get_absolute_url()), issue),
                "section": item.article.section.name,
                "authors": [author.name for author in item.article.ordered_authors],
                "image": image_json(item.article.top_image),
            }
            for item in items
        ],
        "generated_at": dates.iso(timezone.now()),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def image_json(image):
    """The picture's files (the email's choice of copies), its words and the credit readers see."""
    files = email_files(image) if image is not None else None
    if files is None:
        return None
    (url, width, height), retina = files
    return {
        "url": urljoin(settings.SITE_URL, url),
        "width": width,
        "height": height,
        "url_2x": urljoin(settings.SITE_URL, retina[0]) if retina else None,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit_line,
    }
