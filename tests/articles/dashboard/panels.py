"""The newsroom dashboard on the admin index: its panels, read, and articles of any age for them."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory
from tests.forms import soup_of

INDEX = reverse("admin:index")
ARTICLE_CHANGELIST = reverse("admin:articles_article_changelist")
PANELS = ["scheduled", "review", "recent", "old-drafts"]
Status = Article.Status


def panel(response, key):
    found = soup_of(response).select_one(f"section#newsroom-{key}")
    assert found is not None, f"no {key} panel"
    return found


def headlines(panel_section):
    return [row.th.get_text(strip=True) for row in panel_section.select("tbody tr")]


def see_all(panel_section):
    """The "see all" link as (path, query)."""
    parts = urlsplit(panel_section.select_one(".newsroom-panel__all a")["href"])
    return parts.path, parse_qs(parts.query)


def changelist_headlines(client, url):
    response = client.get(url)
    assert response.status_code == 200
    cells = soup_of(response).select("#result_list tbody .field-headline")
    return sorted(cell.get_text(strip=True) for cell in cells)


def article(headline, status, *, published_in=None, created_days_ago=0, edited_days_ago=0, **kw):
    """An article whose creation and last edit lie `…_days_ago` in the past."""
    now = timezone.now()
    published_at = now + published_in if published_in is not None else None
    made = ArticleFactory(headline=headline, status=status, published_at=published_at, **kw)
    Article.objects.filter(pk=made.pk).update(
        created_at=now - timedelta(days=created_days_ago),
        updated_at=now - timedelta(days=edited_days_ago),
    )
    return Article.objects.get(pk=made.pk)


def trash(item):
    Article.objects.filter(pk=item.pk).move_to_trash()
