"""The history, compare and restore pages as the tests read them."""

from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from tests.forms import soup_of

Status = Article.Status


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def versions_of(article):
    """The article's Version rows, newest first."""
    return list(Version.objects.get_for_object(article).select_related("revision__user"))


def logged_in(user):
    """A browser of its own: pytest-django's `client` is shared by the *_client fixtures."""
    client = Client()
    client.force_login(user)
    return client


def history_rows(response):
    return [
        {
            "version": int(row["data-version"]),
            "date": row.select_one(".rs-date").get_text(strip=True),
            "user": row.select_one(".rs-user").get_text(strip=True),
            "comment": row.select_one(".rs-comment").get_text(strip=True),
            "headline": row.select_one(".rs-headline").get_text(strip=True),
            "restore": row.select_one(".rs-restore button"),
        }
        for row in soup_of(response).select("#rs-compare tr.rs-revision")
    ]


def diff_of(response, name):
    """The compared field's paragraph(s): their text, and the words marked deleted and inserted."""
    section = soup_of(response).select_one(f"section.rs-diff[data-field={name}]")
    assert section is not None, f"no diff of {name}"
    paragraphs = section.select("p.rs-block") if name == "body" else section.select("p")
    return {
        "text": [p.get_text() for p in paragraphs],
        "del": [tag.get_text() for tag in section.select("del")],
        "ins": [tag.get_text() for tag in section.select("ins")],
    }


def field_row(response, name):
    row = soup_of(response).select_one(f"table.rs-fields tr[data-field={name}]")
    assert row is not None, f"no row for {name}"
    return {
        "changed": "rs-changed" in row.get("class", []),
        "before": [item.get_text() for item in row.select(".rs-before .rs-item")],
        "after": [item.get_text() for item in row.select(".rs-after .rs-item")],
        "removed": [tag.get_text() for tag in row.select(".rs-before del")],
        "added": [tag.get_text() for tag in row.select(".rs-after ins")],
    }


def sides(response):
    return {
        row["data-side"]: int(row["data-version"]) for row in soup_of(response).select("tr.rs-side")
    }
