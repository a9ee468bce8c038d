"""Where a login, a logout or a form sends a person afterwards: never off the site, never to a
page that does not exist (issue 13, defect 12)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.conftest import STAFF_PASSWORD
from tests.factories import NewsletterFactory
from tests.urlconf import admin_moved_to

pytestmark = pytest.mark.django_db

UNSAFE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(document.cookie)",
    "http://testserver.evil.example/",
    "",
]


def log_in(client, next_url):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": STAFF_PASSWORD, "next": next_url},
    )


@pytest.mark.parametrize("next_url", UNSAFE)
def test_a_refused_next_after_login_lands_on_the_admin_index(client, editor, next_url):
    response = log_in(client, next_url)
    assert SESSION_KEY in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("next_url", UNSAFE[:3])
def test_a_refused_next_in_the_login_address_lands_on_the_admin_index(client, editor, next_url):
    # The login form carries ?next= from its own address into the form it posts.
    login = client.get(reverse("admin:login"), {"next": next_url})
    assert login.status_code == 200
    response = log_in(client, next_url)
    assert response["Location"] == reverse("admin:index")


def test_with_the_admin_moved_a_refused_next_lands_on_its_new_index(client, editor):
    with admin_moved_to("office-7c1d/"):
        response = log_in(client, "https://evil.example/")
        assert response["Location"] == "/office-7c1d/"


def test_a_next_on_the_site_is_followed(client, editor):
    articles = reverse("admin:articles_article_changelist")
    assert log_in(client, articles)["Location"] == articles


def test_a_signed_in_editor_opening_the_login_page_goes_to_the_admin(editor_client):
    response = editor_client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("next_url", UNSAFE[:3])
def test_a_refused_next_after_logout_stays_on_the_site(editor_client, next_url):
    response = editor_client.post(reverse("admin:logout"), {"next": next_url})
    assert SESSION_KEY not in editor_client.session
    if response.status_code == 302:
        assert response["Location"].startswith("/")
        assert not response["Location"].startswith(("//", "/\\"))
        assert editor_client.get(response["Location"]).status_code == 200
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("source", UNSAFE[:5])
def test_the_signup_forms_source_is_never_an_address_off_the_site(client, source):
    NewsletterFactory()
    response = client.post(
        reverse("newsletter:signup"), {"email": "reader@example.org", "source": source}
    )
    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()
