"""export_issue: formats, and issues it refuses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from newsletter import export
from newsletter.export import ExportError
from tests.newsletter.export.helpers import add_item, make_issue


@pytest.mark.parametrize(
    "change",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_an_item_readers_cannot_open_is_refused_by_headline(newsletter, change):
    issue = make_issue(newsletter, items=1)
    hidden = add_item(issue, 1, headline="Not yet: the carrier story")
    Article.objects.filter(pk=hidden.article_id).update(**change)

    for render in (export.render_html, export.render_text, export.issue_json):
        with pytest.raises(ExportError, match="“Not yet: the carrier story”"):
            render(issue)


def test_an_empty_issue_is_refused(newsletter):
    issue = make_issue(newsletter, items=0)

    with pytest.raises(ExportError, match="no stories"):
        export.export_issue(issue, "html")


def test_production_refuses_a_site_url_without_https(newsletter, settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://review.example.org"
    issue = make_issue(newsletter)

    with pytest.raises(ExportError, match="https"):
        export.render_html(issue)


@pytest.mark.parametrize(
    ("fmt", "content_type", "filename"),
    [
        ("html", "text/html; charset=utf-8", "weekly-round-up-12.html"),
        ("text", "text/plain; charset=utf-8", "weekly-round-up-12.txt"),
        ("eml", "message/rfc822", "weekly-round-up-12.eml"),
        ("json", "application/json", "weekly-round-up-12.json"),
    ],
)
def test_export_issue_returns_bytes_type_and_filename(newsletter, fmt, content_type, filename):
    issue = make_issue(newsletter)

    content, kind, name = export.export_issue(issue, fmt, recipient="reader@example.org")
    assert isinstance(content, bytes) and content
    assert (kind, name) == (content_type, filename)


def test_export_issue_refuses_an_unknown_format(newsletter):
    with pytest.raises(ExportError, match="format"):
        export.export_issue(make_issue(newsletter), "pdf")
