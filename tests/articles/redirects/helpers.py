"""Where an address sends a reader, what the redirect table holds, and the admin's form."""

from urllib.parse import urlsplit

from django.urls import reverse

from articles.models import Redirect
from tests.forms import form_data, soup_of

MIDDLEWARE = "articles.redirects.middleware.RedirectFallbackMiddleware"


def moved_to(client, path, **query):
    """Where `path` sends a reader: asserts a permanent redirect, returns path and query."""
    response = client.get(path, query)
    assert response.status_code == 301, f"{path} answered {response.status_code}"
    location = urlsplit(response["Location"])
    assert not location.netloc
    return f"{location.path}?{location.query}" if location.query else location.path


def table():
    """Every redirect as {old: new}."""
    return dict(Redirect.objects.values_list("old_path", "new_path"))


def admin_url(action, *args):
    return reverse(f"admin:articles_redirect_{action}", args=args)


def field_errors(response, field):
    row = soup_of(response).select_one(f".form-row.field-{field}")
    assert row is not None, f"no row for {field}"
    return [item.get_text(strip=True) for item in row.select(".errorlist li")]


def add_redirect(client, old_path, new_path):
    """A redirect added through the admin's form: the response to the form sent."""
    data = form_data(client.get(admin_url("add")), "redirect_form")
    data.update(old_path=old_path, new_path=new_path)
    return client.post(admin_url("add"), data)
