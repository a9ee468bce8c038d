"""Every free-text field has a limit that answers with a form error, never a 500, and text in
any script (Arabic, Hebrew, emoji) comes back exactly as it was typed."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, DonationAppeal, Image, Redirect, Section
from newsletter.models import Issue, Newsletter, Subscription
from tests.factories import NewsletterFactory, SectionFactory, jpeg_bytes
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    # Requests that raise give the test a 500 answer to assert on, not a traceback.
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def field_errors(response, field):
    soup = soup_of(response)
    row = soup.select_one(f".form-row.field-{field}, .fieldBox.field-{field}")
    assert row is not None, f"no row for {field}"
    return [item.get_text(strip=True) for item in row.select(".errorlist li")]


def add_through_admin(client, model, fields, files=None):
    """Post the model's admin add form as a browser would, with `fields` typed in."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    data = form_data(client.get(url), f"{opts.model_name}_form")
    data.update(fields)
    return client.post(url, {**data, **(files or {})})


def article_fields(**fields):
    return {
        "headline": "Ports and power",
        "slug": "ports-and-power",
        "section": SectionFactory(slug="asia-pacific", name="Asia-Pacific").pk,
        **fields,
    }


def image_file():
    return {"file": SimpleUploadedFile("photo.jpg", jpeg_bytes(64, 36), "image/jpeg")}


def appeal_fields(**fields):
    start = timezone.localtime(timezone.now() - timedelta(days=1))
    return {
        "title": "Keep us independent",
        "message": "<p>Readers fund us.</p>",
        "button_label": "Give",
        "url": "/donate/",
        "starts_at_0": f"{start:%Y-%m-%d}",
        "starts_at_1": f"{start:%H:%M:%S}",
        **fields,
    }


# (model, valid fields, the field to overfill, its limit, extra files)
LIMITS = [
    (Article, article_fields, "headline", 200),
    (Article, article_fields, "slug", 200),
    (Article, article_fields, "dek", 300),
    (Article, article_fields, "seo_title", 70),
    (Article, article_fields, "seo_description", 160),
    (Article, article_fields, "teaser", 1000),
    (Section, lambda **f: {"name": "Africa", "slug": "africa", **f}, "name", 100),
    (Section, lambda **f: {"name": "Africa", "slug": "africa", **f}, "slug", 100),
    (Author, lambda **f: {"name": "Rana Aziz", "slug": "rana-aziz", **f}, "name", 150),
    (Author, lambda **f: {"name": "Rana Aziz", "slug": "rana-aziz", **f}, "slug", 150),
    (Image, lambda **f: {"alt_text": "A quay", "credit": "Photo: A", **f}, "alt_text", 300),
    (Image, lambda **f: {"alt_text": "A quay", "credit": "Photo: A", **f}, "caption", 500),
    (Image, lambda **f: {"alt_text": "A quay", "credit": "Photo: A", **f}, "credit", 300),
    (DonationAppeal, appeal_fields, "title", 200),
    (DonationAppeal, appeal_fields, "button_label", 60),
    (DonationAppeal, appeal_fields, "url", 500),
    (Newsletter, lambda **f: {"name": "Briefing", "slug": "briefing", **f}, "name", 150),
    (Newsletter, lambda **f: {"name": "Briefing", "slug": "briefing", **f}, "slug", 100),
    (Newsletter, lambda **f: {"name": "Briefing", "slug": "briefing", **f}, "from_name", 100),
    (Redirect, lambda **f: {"old_path": "/old/", "new_path": "/new/", **f}, "old_path", 500),
    (Redirect, lambda **f: {"old_path": "/old/", "new_path": "/new/", **f}, "new_path", 500),
]


def too_long(field, limit):
    if field in {"slug"}:
        return "a" * (limit + 1)
    if field == "url" or field.endswith("_path"):
        return "/" + "a" * limit
    # A character outside the Basic Multilingual Plane counts once, as the database counts it.
    return "🕊" * (limit + 1)


@pytest.mark.parametrize(
    ("model", "valid", "field", "limit"),
    LIMITS,
    ids=[f"{model.__name__}.{field}" for model, _, field, _ in LIMITS],
)
def test_text_over_its_limit_is_a_form_error_and_saves_nothing(
    admin_client, model, valid, field, limit
):
    files = image_file() if model is Image else None
    before = model.objects.count()

    response = add_through_admin(
        admin_client, model, valid(**{field: too_long(field, limit)}), files
    )

    assert response.status_code == 200
    errors = field_errors(response, field)
    assert any(f"at most {limit} characters" in error for error in errors), errors
    assert model.objects.count() == before


def test_the_longest_allowed_values_save(admin_client):
    response = add_through_admin(
        admin_client,
        Article,
        article_fields(
            headline="🕊" * 200,
            slug="a" * 200,
            dek="ع" * 300,
            seo_title="ש" * 70,
            seo_description="x" * 160,
            teaser="y" * 1000,
            tags="t" * 96,
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.headline == "🕊" * 200
    assert article.tags.get().name == "t" * 96


def test_an_issue_over_its_limits_is_a_form_error(admin_client):
    newsletter = NewsletterFactory()
    for field, limit in [("subject", 150), ("preheader", 150)]:
        response = add_through_admin(
            admin_client,
            Issue,
            {"newsletter": newsletter.pk, "number": "1", "subject": "Fine", field: "é" * 151},
        )
        assert response.status_code == 200
        [error] = field_errors(response, field)
        assert f"at most {limit} characters" in error
    assert not Issue.objects.exists()


# Tags: taggit's form takes any length, its column does not


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("Shipping, " + "x" * 101, "a tag can have at most 100"),
        ("🔥", "needs at least one letter or digit"),
        ("Energy, !!!", "needs at least one letter or digit"),
        ("ﷺ" * 10, "too long an address"),
        ("İ" * 99, "too long an address"),
    ],
)
def test_a_tag_the_database_or_the_address_cannot_hold_is_a_form_error(admin_client, tags, message):
    response = add_through_admin(admin_client, Article, article_fields(tags=tags))
    assert response.status_code == 200
    errors = field_errors(response, "tags")
    assert errors and all(message in error for error in errors)
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


# Unicode, right-to-left and emoji round-trip


HEADLINE = "الانتخابات في العراق: ما الذي تغيّر؟ 🗳️"
DEK = "בחירות, קואליציות ומה שביניהן — and a little English"
BODY_TEXT = "قال المتحدث إن «الحوار مستمر». 🕊 עוד פסקה בעברית."
TAGS = ["العراق", "إيران", "Climate 🔥", "Zürich"]


def test_arabic_hebrew_and_emoji_come_back_from_the_database_and_the_page(admin_client):
    response = add_through_admin(
        admin_client,
        Article,
        article_fields(
            headline=HEADLINE,
            slug="",  # the admin's own script leaves it empty for an Arabic headline
            dek=DEK,
            body=f"<p>{BODY_TEXT}</p>",
            tags=", ".join(TAGS),
            status=Article.Status.PUBLISHED,
        ),
    )
    assert response.status_code == 302, field_errors(response, "slug")

    article = Article.objects.get()
    assert (article.headline, article.dek) == (HEADLINE, DEK)
    assert sorted(article.tags.names()) == sorted(TAGS)
    assert article.slug.startswith("story-")

    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    soup = soup_of(page)
    assert soup.select_one("h1.article__headline").get_text() == HEADLINE
    assert soup.select_one(".article__dek").get_text() == DEK
    assert soup.select_one(".article__body p").get_text() == BODY_TEXT
    links = {a.get_text(): a["href"] for a in soup.select(".article__tags a")}
    assert sorted(links) == sorted(TAGS)

    # Every tag's page answers, under the address the article links to, with the tag's name.
    for name, href in links.items():
        tag_page = Client().get(href)
        assert tag_page.status_code == 200, href
        assert soup_of(tag_page).h1.get_text(strip=True) == name


def test_an_arabic_headline_gets_the_same_usable_slug_every_time(admin_client):
    first = add_through_admin(admin_client, Article, article_fields(headline=HEADLINE, slug=""))
    assert first.status_code == 302
    article = Article.objects.get()
    # The same headline again: the same slug, so a clear “already exists”, not a second story.
    again = add_through_admin(admin_client, Article, article_fields(headline=HEADLINE, slug=""))
    assert again.status_code == 200
    assert field_errors(again, "slug") == ["Article with this Slug already exists."]
    assert Article.objects.get() == article


def test_a_typed_slug_wins_and_a_non_latin_one_is_refused_clearly(admin_client):
    typed = add_through_admin(
        admin_client, Article, article_fields(headline=HEADLINE, slug="iraq-elections")
    )
    assert typed.status_code == 302
    assert Article.objects.get().slug == "iraq-elections"
    arabic = add_through_admin(
        admin_client, Article, article_fields(headline=HEADLINE, slug="الانتخابات")
    )
    assert arabic.status_code == 200
    [error] = field_errors(arabic, "slug")
    assert "letters, numbers, underscores or hyphens" in error


def test_no_headline_and_no_slug_asks_for_both(admin_client):
    response = add_through_admin(admin_client, Article, article_fields(headline="", slug=""))
    assert response.status_code == 200
    assert field_errors(response, "headline") == ["This field is required."]
    assert field_errors(response, "slug") == ["This field is required."]


def test_an_international_address_signs_up_and_exports_as_typed(
    admin_user, django_capture_on_commit_callbacks
):
    newsletter = NewsletterFactory()
    address = "leser.öffentlich@bücher.example".replace("ö", "o")  # ASCII local part, IDN host
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("newsletter:signup"), {"email": address})
    assert response.status_code == 200
    assert Subscription.objects.get().email == address
    admin_user.user_permissions.add(Permission.objects.get(codename="export_subscribers"))
    client = Client()
    client.force_login(admin_user)
    export = client.get(reverse("admin:newsletter_newsletter_subscribers", args=[newsletter.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert [row["email"] for row in rows] == [address]


# Public inputs


def test_an_over_long_signup_address_is_a_clear_error():
    NewsletterFactory()
    response = Client().post(reverse("newsletter:signup"), {"email": "a" * 300 + "@example.org"})
    assert response.status_code == 400
    assert (
        soup_of(response)
        .select_one("p.error")
        .get_text(strip=True)
        .startswith("Ensure this value has at most 254 characters")
    )
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "x" * 20_000,
        "العراق " * 3000,
        # A NUL never reaches the search: RefuseNulMiddleware answers 400 (test_nul_bytes.py).
        "🔥" * 5000,
        "' OR 1=1 --",
        "a & b | !c <-> d:*",
    ],
)
def test_search_takes_any_query_of_any_length_without_a_500(query):
    response = Client(raise_request_exception=False).get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    box = soup_of(response).select_one("input[name=q]")
    assert box is not None
    assert len(box.get("value", "")) <= 20_000
