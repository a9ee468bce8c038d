"""Property tests: slugs from any text make working addresses, and no address or query string
makes the public site answer 500."""

import re
from urllib.parse import quote, unquote

import pytest
from django.db import transaction
from django.forms import modelform_factory
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from taggit.models import Tag
from taggit.utils import parse_tags

from articles.admin.forms import SLUG_MAX_LENGTH, ArticleAdminForm, slug_for
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.forms import soup_of

ASCII_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SECTION = "asia-pacific"
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DATABASE_PROPERTY = settings(PROPERTY, max_examples=60)
# Text as a person could type it into a one-line field: any script, emoji, combining marks;
# no surrogates (not text) and no control characters (the admin's fields refuse NUL).
TYPED = st.characters(exclude_categories=("Cs", "Cc"))
HEADLINES = st.text(TYPED, min_size=1, max_size=200).map(str.strip).filter(bool)


@PROPERTY
@given(text=st.text(max_size=400))
@example(text="الانتخابات في العراق")
@example(text="🔥🔥🔥")
@example(text="---___---")
@example(text="Ünïcödé and ㎒ and ﷺ " * 20)
def test_a_slug_from_any_text_is_a_valid_address_that_resolves_to_the_article(text):
    slug = slug_for(text)
    assert ASCII_SLUG.fullmatch(slug)
    assert len(slug) <= SLUG_MAX_LENGTH
    assert slug == slug_for(text)
    path = reverse("articles:article", kwargs={"section": SECTION, "slug": slug})
    assert path == f"/{SECTION}/{slug}/"
    match = resolve(path)
    assert match.view_name == "articles:article"
    assert match.kwargs == {"section": SECTION, "slug": slug}


@pytest.mark.django_db
@PROPERTY
@given(text=st.text(TYPED, min_size=1, max_size=120))
@example(text="العراق, إيران")
@example(text="🔥, Climate 🔥")
@example(text="İ" * 99)
def test_every_tag_the_form_accepts_has_a_page_and_feeds_that_resolve(text):
    form = modelform_factory(Article, form=ArticleAdminForm, fields=["tags"])({"tags": text})
    form.is_valid()
    if "tags" in form.errors:
        return
    for name in parse_tags(text):
        slug = Tag().slugify(name)
        for view_name in ("articles:tag", "feeds:tag-rss", "feeds:tag-atom"):
            path = reverse(view_name, kwargs={"slug": slug})
            match = resolve(unquote(path))
            assert (match.view_name, match.kwargs) == (view_name, {"slug": slug})


@pytest.fixture
def site(db):
    section = SectionFactory(slug=SECTION, name="Asia-Pacific")
    author = AuthorFactory(slug="rana-aziz", name="Rana Aziz")
    for n in range(3):
        ArticleFactory(section=section, authors=[author], tags=["Shipping", "العراق"], slug=f"s{n}")
    return section


@pytest.mark.django_db
@DATABASE_PROPERTY
@given(headline=HEADLINES)
@example(headline="الانتخابات في العراق: ما الذي تغيّر؟ 🗳️")
@example(headline="בחירות בישראל")
def test_an_article_under_any_headline_is_served_at_its_slug(site, headline):
    with transaction.atomic():
        article = ArticleFactory(section=site, headline=headline, slug=slug_for(headline))
        response = Client().get(article.get_absolute_url())
        assert response.status_code == 200
        assert soup_of(response).select_one("h1.article__headline").get_text() == headline
        transaction.set_rollback(True)


@pytest.mark.django_db
@DATABASE_PROPERTY
@given(name=st.text(TYPED, min_size=1, max_size=100).map(str.strip).filter(bool))
@example(name="إيران")
@example(name="Climate 🔥")
def test_a_tagged_article_links_to_a_tag_page_that_answers(site, name):
    form = modelform_factory(Article, form=ArticleAdminForm, fields=["tags"])({"tags": name})
    form.is_valid()
    if "tags" in form.errors:
        return
    with transaction.atomic():
        article = ArticleFactory(section=site, slug="tagged", tags=form.cleaned_data["tags"])
        page = Client().get(article.get_absolute_url())
        assert page.status_code == 200
        for link in soup_of(page).select(".article__tags a"):
            assert Client().get(link["href"]).status_code == 200, link["href"]
        transaction.set_rollback(True)


LISTINGS = [
    "/",
    f"/{SECTION}/",
    "/tag/shipping/",
    "/tag/العراق/",
    "/author/rana-aziz/",
    "/kind/analysis/",
    "/search/",
]


@pytest.mark.django_db
@PROPERTY
@given(
    listing=st.sampled_from(LISTINGS),
    page=st.text(max_size=50),
    extra=st.dictionaries(
        st.sampled_from(["q", "section", "kind", "utm_source", "fbclid", "x"]),
        st.text(max_size=300),
        max_size=3,
    ),
)
@example(listing="/search/", page="99999999999999999999999", extra={"q": "oil"})
@example(listing=f"/{SECTION}/", page="-1", extra={})
@example(listing="/search/", page="\x00", extra={"q": "\x00", "section": "\x00"})
@example(listing=f"/{SECTION}/", page="500000", extra={"utm_source": "x"})
@example(listing="/tag/shipping/", page="\uff11", extra={})
def test_any_page_number_and_query_string_on_a_listing_never_fails(site, listing, page, extra):
    response = Client().get(listing, {"page": page, **extra})
    assert response.status_code == expected_status(listing, page, extra)


def names_the_only_page(page):
    """Whether ?page= names page 1 of a listing that has one, as Django's ListView reads it."""
    if page in ("", "last"):
        return True
    try:
        return int(page) == 1
    except ValueError:
        return False


def expected_status(listing, page, extra):
    """400 for a NUL anywhere (RefuseNulMiddleware); a listing's page that does not exist is a
    404, never a copy of another page (the page cache would keep it); the front page reads no
    page number and search forgives a bad one: 200."""
    if any("\x00" in text for text in [page, *extra, *extra.values()]):
        return 400
    if listing in ("/", "/search/") or names_the_only_page(page):
        return 200
    return 404


ROUTES = [
    "",
    f"{SECTION}/",
    f"{SECTION}/s0/",
    "tag/",
    "author/",
    "kind/",
    "search/",
    "preview/",
    "feeds/tag/",
    "feeds/section/",
    "newsletter/",
    "newsletter/weekly-round-up/",
    "newsletter/confirm/",
    "newsletter/unsubscribe/",
    "sitemap.xml/",
    "media/",
    "static/",
]
# 400: a newsletter link whose token is not ours; 405: GET of the signup form's endpoint.
ANSWERS = {200, 301, 302, 400, 404, 405}


@pytest.mark.django_db
@PROPERTY
@given(route=st.sampled_from(ROUTES), tail=st.text(max_size=80), slash=st.booleans())
@example(route="", tail="\x00", slash=True)
@example(route="preview/", tail="a\x00b", slash=True)
@example(route="newsletter/confirm/", tail="a\x00b", slash=True)
@example(route="newsletter/unsubscribe/", tail="\x00", slash=True)
@example(route=f"{SECTION}/", tail="..%2f..%2fetc%2fpasswd", slash=False)
@example(route="tag/", tail="🔥", slash=True)
@example(route="", tail="a" * 5000, slash=True)
def test_no_address_under_the_site_answers_500(site, route, tail, slash):
    path = "/" + route + quote(tail, safe="/%") + ("/" if slash else "")
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code in ANSWERS, (path, response.status_code)
