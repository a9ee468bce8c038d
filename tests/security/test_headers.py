"""Security headers on every public page, the pages' own markup, and the admin's policy."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import Article, PreviewLink
from newsletter import tokens
from newsletter.models import Issue
from rs_cms.environment import media_origins
from rs_cms.pagecache import holes
from rs_cms.pagecache.middleware import page_key
from tests.conftest import STAFF_PASSWORD
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    IssueItemFactory,
    RelatedStoryFactory,
    SectionFactory,
)
from tests.forms import soup_of

pytestmark = pytest.mark.django_db

UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}
PUBLIC_TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Emails (styled inline, as mail clients need) and the admin's own pages are not public pages.
NOT_PAGES = {"admin", "email"}


def csp(response):
    """The policy as {directive: [source, …]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = sources
    return directives


def permissions(response):
    """Permissions-Policy as {feature: allow list}: "camera=()" is {"camera": ""}."""
    features = {}
    for part in response["Permissions-Policy"].split(","):
        feature, allowed = part.strip().split("=", 1)
        assert allowed.startswith("(") and allowed.endswith(")")
        features[feature] = allowed[1:-1]
    return features


def executable_inline(soup):
    """Inline code a page would run or apply: what a strict policy must not need."""
    found = []
    for script in soup.find_all("script"):
        # A data block (JSON-LD, say) is never run, so script-src does not govern it.
        if not script.has_attr("src") and script.get("type") != "application/ld+json":
            found.append(str(script)[:80])
    found += [str(style)[:80] for style in soup.find_all("style")]
    for tag in soup.find_all(True):
        found += [f"{tag.name}[{name}]" for name in tag.attrs if name == "style"]
        found += [f"{tag.name}[{name}]" for name in tag.attrs if name.startswith("on")]
        for name in ("href", "src", "action", "formaction"):
            if tag.get(name, "").strip().lower().startswith("javascript:"):
                found.append(f"{tag.name}[{name}]")
    return found


def assert_security_headers(response):
    policy = csp(response)
    for directive in ("default-src", "script-src", "style-src"):
        assert directive in policy, directive
        assert not UNSAFE & set(policy[directive]), (directive, policy[directive])
        assert not any(source.startswith("'nonce-") for source in policy[directive]), directive
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # The site's default, or stricter where a page says so (a preview link's secret address).
    assert response["Referrer-Policy"] in {"strict-origin-when-cross-origin", "no-referrer"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = permissions(response)
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert features[feature] == "", feature


@pytest.fixture
def magazine():
    """Content for every kind of public page: article, listings, feeds, newsletter."""
    section = SectionFactory(name="Middle East", slug="middle-east")
    author = AuthorFactory(name="Leila Mansour", slug="leila-mansour", bio="Covers the Gulf.")
    article = ArticleFactory(
        section=section,
        headline="Desalination diplomacy",
        kind=Article.Kind.ANALYSIS,
        top_image=ImageFactory(caption="Cranes at dusk.", credit="Photo: S. Haddad / Wire"),
        authors=[author],
        tags=["Water"],
        body="<p>Opening.</p><blockquote><p>A quote.</p></blockquote><ul><li>One</li></ul>",
    )
    article.topic = article.tags.get()
    article.save()
    RelatedStoryFactory(article=article, related=ArticleFactory(section=section), position=0)
    DonationAppealFactory(title="Year-end appeal")
    issue = IssueItemFactory(article=article, issue__status=Issue.Status.SENT).issue
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, published_at=None)
    PreviewLink.objects.create(article=draft, expires_at=timezone.now() + timedelta(days=1))
    return article, issue


def public_pages(magazine):
    article, issue = magazine
    newsletter = issue.newsletter
    email = "reader@example.org"
    return {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["water"]),
        "author": reverse("articles:author", args=["leila-mansour"]),
        "kind": reverse("articles:kind", args=["analysis"]),
        "search": reverse("articles:search") + "?q=desalination",
        "feeds": reverse("feeds:index"),
        "feed": reverse("feeds:site-rss"),
        "atom": reverse("feeds:site-atom"),
        "sitemap": reverse("sitemap-index"),
        "sitemap-news": reverse("sitemap-news"),
        "robots": reverse("robots-txt"),
        "newsletter": reverse("newsletter:detail", args=[newsletter.slug]),
        "issue": reverse("newsletter:issue", args=[newsletter.slug, issue.number]),
        "confirm": reverse("newsletter:confirm", args=[tokens.confirm_token(newsletter, email)]),
        "unsubscribe": reverse(
            "newsletter:unsubscribe", args=[tokens.unsubscribe_token(newsletter, email)]
        ),
        "bad-link": reverse("newsletter:confirm", args=["not-a-token"]),
        "preview": urlsplit(previews.url_for(PreviewLink.objects.get())).path,
        "preview-gone": reverse("articles:preview", args=["no-such-link"]),
        "404": "/no-such-page/nor-this/",
    }


PAGE_NAMES = [
    "home",
    "article",
    "section",
    "tag",
    "author",
    "kind",
    "search",
    "feeds",
    "feed",
    "atom",
    "sitemap",
    "sitemap-news",
    "robots",
    "newsletter",
    "issue",
    "confirm",
    "unsubscribe",
    "bad-link",
    "preview",
    "preview-gone",
    "404",
]
NOT_HTML = {"feed", "atom", "sitemap", "sitemap-news", "robots"}
HTML_STATUS = {"404": 404, "bad-link": 400, "preview-gone": 404}


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_public_page_carries_the_security_headers(client, magazine, name):
    response = client.get(public_pages(magazine)[name])

    assert response.status_code == HTML_STATUS.get(name, 200)
    assert_security_headers(response)


@pytest.mark.parametrize("name", [name for name in PAGE_NAMES if name not in NOT_HTML])
def test_public_pages_carry_no_inline_script_or_style(client, magazine, name):
    response = client.get(public_pages(magazine)[name])
    assert response["Content-Type"] == "text/html; charset=utf-8"

    soup = soup_of(response)
    assert soup.find("body") is not None
    assert executable_inline(soup) == []
    # The stylesheet comes from this site, which the policy allows.
    stylesheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert stylesheets and all(href.startswith(settings.STATIC_URL) for href in stylesheets)


def test_the_page_list_covers_every_page(magazine):
    assert list(public_pages(magazine)) == PAGE_NAMES


def test_newsletter_signup_answers_carry_the_headers(client, magazine):
    _, issue = magazine
    signup = reverse("newsletter:signup")
    data = {"newsletter": issue.newsletter.slug, "source": "/"}

    done = client.post(signup, data | {"email": "reader@example.org"})
    invalid = client.post(signup, data | {"email": "not an address"})

    assert (done.status_code, invalid.status_code) == (200, 400)
    for response in (done, invalid):
        assert_security_headers(response)
        assert executable_inline(soup_of(response)) == []


def test_a_page_from_the_page_cache_carries_the_headers_too(client, magazine, settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.SITE_URL = "http://testserver"  # pages are stored for this host only
    article, _ = magazine

    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert_security_headers(second)
    assert csp(second) == csp(first)
    assert second["Permissions-Policy"] == first["Permissions-Policy"]


def test_the_cache_keeps_no_header_a_hit_gets_anyway(client, magazine, settings):
    """Headers are added on the way out, to every answer: none is frozen into a stored page."""
    settings.PAGE_CACHE_SECONDS = 60
    settings.SITE_URL = "http://testserver"  # pages are stored for this host only
    article, _ = magazine
    first = client.get(article.get_absolute_url())

    entry = cache.get(page_key(first.wsgi_request))

    # Stored with its holes (LATEST), which are filled as it is served.
    assert entry is not None and holes.fill(entry.content)[0] == first.content
    stored = {name.lower() for name in entry.headers}
    assert not stored & {"content-security-policy", "permissions-policy", "x-frame-options"}


def test_public_templates_have_no_inline_script_or_style():
    """The templates themselves, including blocks no test page happens to show."""
    checked = 0
    for path in PUBLIC_TEMPLATES.rglob("*.html"):
        if NOT_PAGES & set(path.relative_to(PUBLIC_TEMPLATES).parts):
            continue
        soup = BeautifulSoup(path.read_text(), "html.parser")
        assert executable_inline(soup) == [], path
        checked += 1
    assert checked >= 20


def test_media_from_another_host_is_allowed_as_pictures_only():
    origins = media_origins(
        {
            "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org",
            "CSP_MEDIA_ORIGINS": "https://bucket.s3.eu-west-1.amazonaws.com/, ",
        },
        "https://cdn.example.org/media/",
    )

    assert origins == [
        "https://bucket.s3.eu-west-1.amazonaws.com",
        "https://cdn.example.org",
        "https://media.example.org",
    ]
    assert media_origins({}, "/media/") == []


# The admin.


def nonce_of(policy, directive):
    (nonce,) = [s for s in policy[directive] if s.startswith("'nonce-")]
    return nonce.removeprefix("'nonce-").removesuffix("'")


def test_the_admin_runs_only_its_own_and_nonced_scripts(editor):
    client = Client()
    client.force_login(editor)
    article = ArticleFactory()

    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 200
    policy = csp(response)
    assert not UNSAFE & set(policy["script-src"])
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    nonce = nonce_of(policy, "script-src")
    soup = soup_of(response)
    inline = [script for script in soup.find_all("script") if not script.has_attr("src")]
    # The editor's import map is inline: it runs because it carries this response's nonce.
    assert inline and all(script.get("nonce") == nonce for script in inline)
    assert nonce != nonce_of(csp(client.get(response.wsgi_request.path)), "script-src")


def test_the_issue_preview_allows_the_emails_inline_styles_but_no_script(make_staff):
    client = Client()
    client.force_login(make_staff("desk", "Newsletter staff"))
    issue = IssueItemFactory().issue

    preview = client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))
    change = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    assert preview.status_code == change.status_code == 200
    assert "'unsafe-inline'" in csp(preview)["style-src"]
    assert "'unsafe-inline'" not in csp(change)["style-src"]
    for response in (preview, change):
        assert not UNSAFE & set(csp(response)["script-src"])


def test_the_admin_login_page_has_the_admin_policy(client):
    response = client.get(reverse("admin:login"))

    assert settings.TIPTAP_STYLE_HASH in csp(response)["style-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera" in permissions(response)


def test_the_lockout_page_has_the_admin_policy(editor):
    client = Client(REMOTE_ADDR="203.0.113.66")
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "editor", "password": "not the password"})

    response = client.post(login, {"username": "editor", "password": STAFF_PASSWORD})

    assert response.status_code == 429
    assert settings.TIPTAP_STYLE_HASH in csp(response)["style-src"]
    assert "camera" in permissions(response)
