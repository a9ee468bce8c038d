"""Every kind of public page is valid HTML, by the Nu HTML Checker (vnu.jar, from npm's vnu-jar)."""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.images import renditions
from articles.models import Article, Correction
from newsletter import tokens
from newsletter.models import Issue
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    IssueFactory,
    IssueItemFactory,
    NewsletterFactory,
    RelatedStoryFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")


@pytest.fixture
def magazine():
    """A small magazine: sections, credited pictures in and above the text, related picks, an
    appeal, a correction, short news, a newsletter with a sent issue."""
    newsletter = NewsletterFactory()
    DonationAppealFactory(title="Keep us independent")
    asia = SectionFactory(name="Asia-Pacific", slug="asia-pacific", position=1)
    SectionFactory(name="Middle East", slug="middle-east", position=2)
    author = AuthorFactory(
        name="Priya Raghunathan", slug="priya-raghunathan", bio="Writes on ports."
    )
    stories = [
        ArticleFactory(
            headline=f"Harbour story number {n}",
            section=asia,
            top_image=ImageFactory(),
            authors=[author],
            tags=["Shipping"],
            body="<p>" + "Ships wait outside the harbour for a berth. " * 40 + "</p>",
        )
        for n in range(4)
    ]
    ArticleFactory(headline="Port strike ends", kind=Article.Kind.QIOSK, section=asia)
    in_body = ImageFactory(alt_text="Tankers queue off the port", caption="Tankers waiting.")
    top = ImageFactory(width=1600, height=900)
    for image in (in_body, top):
        renditions.make_renditions(image)
    lead = ArticleFactory(
        headline="Sanctions reshape the tanker trade",
        dek="Insurers, flags and shadow fleets: who carries the oil now.",
        section=asia,
        top_image=top,
        authors=[author, AuthorFactory(name="Tom Reyes", slug="tom-reyes")],
        tags=["Energy", "Shipping"],
        published_at=timezone.now() - timedelta(days=2),
        body=(
            "<p>The tanker market has split in two over the past year.</p>"
            f'<figure data-image="{in_body.pk}"></figure>'
            "<h2>Who insures the ships</h2><blockquote><p>Nobody asks.</p></blockquote>"
            "<ul><li>Flags</li><li>Insurers</li></ul>"
            '<p>More at <a href="https://example.org/report">the report</a>.</p>'
        ),
    )
    Correction.objects.create(article=lead, note="An earlier version misnamed a port.")
    for story in stories[:2]:
        RelatedStoryFactory(article=lead, related=story)
    issue = IssueFactory(newsletter=newsletter, status=Issue.Status.SENT, sent_at=timezone.now())
    IssueItemFactory(issue=issue, article=lead)
    return lead


def pages(client, lead):
    """Every kind of public page: {name: (status, HTML)}."""
    newsletter = NewsletterFactory()
    email = "reader@example.org"
    confirm = urlsplit(tokens.confirm_url(newsletter, email)).path
    unsubscribe = urlsplit(tokens.unsubscribe_url(newsletter, email)).path
    signup = reverse("newsletter:signup")
    responses = {
        "home": client.get("/"),
        "article": client.get(lead.get_absolute_url()),
        "section": client.get(reverse("articles:section", args=["asia-pacific"])),
        "tag": client.get(reverse("articles:tag", args=["shipping"])),
        "author": client.get(reverse("articles:author", args=["priya-raghunathan"])),
        "kind": client.get(reverse("articles:kind", args=["analysis"])),
        "search": client.get(reverse("articles:search"), {"q": "tanker"}),
        "search-nothing-found": client.get(reverse("articles:search"), {"q": "zeppelin"}),
        "feeds": client.get(reverse("feeds:index")),
        "newsletter": client.get(newsletter.get_absolute_url()),
        "issue": client.get(Issue.objects.get(newsletter=newsletter).get_absolute_url()),
        "signup-done": client.post(signup, {"email": email, "newsletter": newsletter.slug}),
        "signup-invalid": client.post(signup, {"email": "not an address"}),
        "confirm": client.get(confirm),
        "confirmed": client.post(confirm),
        "unsubscribe": client.get(unsubscribe),
        "unsubscribed": client.post(unsubscribe),
        "not-found": client.get("/no-such-section/no-such-story/"),
    }
    return {name: (response.status_code, response.text) for name, response in responses.items()}


def check(files):
    """The checker's messages for all `files`, in one run: the JVM takes seconds to start."""
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--format", "json", "--exit-zero-always", "--stdout"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["messages"]


def test_the_checker_is_installed():
    assert VNU.is_file(), "run `npm ci` (make test does) to install vnu-jar"


def test_the_checker_finds_errors(tmp_path):
    """The check below can fail: a page with a bad datetime and a stray end tag is reported."""
    if JAVA is None:
        pytest.skip("java is not installed: .ci/run installs default-jre-headless")
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><title>x</title>'
        '<time datetime="2026-12-07T09:35:11.642735+00:00">7 December</time></span>'
    )
    errors = [message for message in check([bad]) if message["type"] == "error"]
    assert len(errors) == 2, errors


def test_every_kind_of_public_page_is_valid_html(client, magazine, tmp_path):
    if JAVA is None:
        pytest.skip("java is not installed: .ci/run installs default-jre-headless")
    rendered = pages(client, magazine)
    assert {name: status for name, (status, _html) in rendered.items()} == {
        **dict.fromkeys(rendered, 200),
        "signup-invalid": 400,
        "not-found": 404,
    }
    # The magazine has what the checker should see: pictures in and above the text, related
    # stories and the appeal, and results on one search page and none on the other.
    article = rendered["article"][1]
    assert 'class="body-image"' in article
    assert "Keep us independent" in article
    assert "Harbour story number 0" in article
    assert "Sanctions reshape" in rendered["search"][1]
    assert "Sanctions reshape" not in rendered["search-nothing-found"][1]

    files = []
    for name, (_status, html) in rendered.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html)
        files.append(path)
    messages = check(files)

    problems = [
        f"{Path(unquote(urlsplit(message.get('url', '')).path)).stem}:"
        f"{message.get('lastLine', '?')}: {message.get('message')}"
        f" [{message.get('extract', '').strip()}]"
        for message in messages
        if message["type"] in ("error", "non-document-error")
    ]
    assert not problems, "\n".join(problems)
