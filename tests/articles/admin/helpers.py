"""The admin as the tests use it: its addresses, its list's rows and errors, a save through
the article form, an action on the list."""

from django.urls import reverse
from django.utils import timezone

from tests.forms import changelist_rows, form_data, soup_of

ARTICLE_CHANGELIST = reverse("admin:articles_article_changelist")
ARTICLE_ADD = reverse("admin:articles_article_add")
IMAGE_ADD = reverse("admin:articles_image_add")
AUTOCOMPLETE = reverse("admin:autocomplete")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def split_datetime(moment):
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


def headlines(response):
    return sorted(row["headline"].get_text(strip=True) for row in changelist_rows(response))


def field_errors(response, field):
    row = soup_of(response).select_one(f".form-row.field-{field}, .fieldBox.field-{field}")
    assert row is not None, f"no row for {field}"
    return [item.get_text(strip=True) for item in row.select(".errorlist li")]


def save_in_admin(client, article, **changes):
    """Open the article's form as a browser would, change some fields, save."""
    data = form_data(client.get(change_url(article)), "article_form")
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, soup_of(response).select(".errorlist")
    return response


def run_action(client, action, articles, admin="article", follow=False):
    """Run a list action of the article admin (or of `admin`'s) on `articles`."""
    return client.post(
        reverse(f"admin:articles_{admin}_changelist"),
        {"action": action, "_selected_action": [article.pk for article in articles]},
        follow=follow,
    )
