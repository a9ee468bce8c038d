"""A NUL character anywhere a request carries text (address, query string, form fields,
cookies) is answered 400 before any view or query sees it: PostgreSQL refuses NUL in text,
and the error it raises was a 500 (issue 13, defect 9). Uploaded files' contents are bytes,
not text, and pass."""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import ArticleFactory, NewsletterFactory, SectionFactory, jpeg_bytes

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/?app_label=articles&model_name={model}&field_name={field}"


@pytest.fixture
def site():
    ArticleFactory(section=SectionFactory(slug="asia-pacific"), tags=["Shipping"])
    NewsletterFactory()


@pytest.mark.parametrize(
    "url",
    [
        # What the review sent.
        AUTOCOMPLETE.format(model="article", field="top_image") + "&term=%00",
        AUTOCOMPLETE.format(model="byline", field="author") + "&term=%00",
        "/admin/articles/article/?status__exact=%00",
        # The same class, elsewhere in the admin.
        "/admin/articles/article/?q=%00",
        "/admin/articles/article/?q=tanker%00",
        "/admin/articles/article/?section__id__exact=%00",
        "/admin/articles/image/?q=%00",
        AUTOCOMPLETE.format(model="article", field="topic") + "&term=%00",
        AUTOCOMPLETE.format(model="article", field="section") + "&term=a%00b",
        "/admin/articles/article/?published_at__gte=%00",
        "/admin/articles/trashedarticle/?q=%00",
        "/admin/newsletter/subscription/?q=%00",
        "/admin/articles/article/?%00=1",
    ],
)
def test_nul_in_an_admin_query_string_is_a_bad_request(editor_client, site, url):
    assert editor_client.get(url).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=ship%00ping&section=asia-pacific",
        "/search/?section=%00",
        "/asia-pacific/?page=%00",
        "/tag/shipping/?page=1%00",
        "/?utm_source=%00",
        # In the address itself: a 404 there asks the redirects table.
        "/asia-pacific/%00/",
        "/%00/",
        "/tag/%00/",
    ],
)
def test_nul_in_a_public_address_is_a_bad_request(client, site, url):
    assert client.get(url).status_code == 400


def signup_fields(**fields):
    return {"email": "reader@example.org", "source": "/asia-pacific/", **fields}


@pytest.mark.parametrize(
    "fields",
    [
        signup_fields(email="reader\x00@example.org"),
        signup_fields(source="/asia-pacific/\x00"),
        signup_fields(newsletter="\x00"),
        signup_fields(website="\x00"),
        {**signup_fields(), "extra\x00": "1"},
    ],
)
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_nul_in_a_posted_form_is_a_bad_request(client, site, fields, encoding):
    url = reverse("newsletter:signup")
    if encoding == "multipart":
        response = client.post(url, fields)
    else:
        body = urlencode(fields)
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_a_urlencoded_body_with_a_percent_encoded_nul_is_a_bad_request(client, site):
    response = client.post(
        reverse("newsletter:signup"),
        "email=reader%40example.org&source=%2Fa%00",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_nul_in_an_admin_form_is_a_bad_request(editor_client, site):
    url = reverse("admin:articles_section_add")
    response = editor_client.post(url, {"name": "Arctic\x00", "slug": "arctic", "position": 0})
    assert response.status_code == 400


def test_nul_in_the_session_cookie_is_a_bad_request(client, site, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "\x00abcdefghijklmnop"
    assert client.get("/admin/").status_code == 400


def test_an_uploaded_files_contents_may_hold_nul(editor_client):
    picture = jpeg_bytes()
    assert b"\x00" in picture
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile("harbour.jpg", picture, content_type="image/jpeg"),
            "alt_text": "A harbour at dusk",
            "credit": "Photo: Test Agency",
        },
    )
    assert response.status_code != 400


def test_a_clean_request_is_untouched(client, site):
    assert client.get("/search/?q=shipping").status_code == 200
    response = client.post(reverse("newsletter:signup"), signup_fields())
    assert response.status_code == 200
