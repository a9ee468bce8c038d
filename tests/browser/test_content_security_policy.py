"""Pages work under their Content-Security-Policy: nothing readers or editors open is blocked."""

import pytest
from django.urls import reverse

from tests.browser.conftest import BODY_EDITOR, open_article_form
from tests.factories import (
    ArticleFactory,
    DonationAppealFactory,
    ImageFactory,
    IssueItemFactory,
    RelatedStoryFactory,
    SectionFactory,
)
from tests.urlconf import admin_moved_to

pytestmark = pytest.mark.django_db(transaction=True)

# Records every violation the page reports, from the first script on (Playwright injects this
# past the page's own policy).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, and the policy violations it has met: its own events and console reports."""
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))

    def violations():
        found = page.evaluate("window.cspViolations")
        found += [text for text in console if "Content Security Policy" in text]
        console.clear()
        return found

    return page, violations


@pytest.fixture
def superuser(editor):
    editor.is_superuser = True
    editor.save()
    return editor


def test_the_reader_pages_meet_no_policy_violation(watched, live_server):
    page, violations = watched
    section = SectionFactory()
    article = ArticleFactory(section=section, top_image=ImageFactory(), tags=["Water"])
    RelatedStoryFactory(
        article=article, related=ArticleFactory(section=section, top_image=ImageFactory())
    )
    DonationAppealFactory()
    for url in [
        reverse("articles:home"),
        article.get_absolute_url(),
        section.get_absolute_url(),
        reverse("articles:search") + "?q=headline",
        reverse("feeds:index"),
        "/no-such-page/",
    ]:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert violations() == [], url
    # The stylesheet was applied: the page is laid out by site.css, not the browser's defaults.
    assert page.eval_on_selector("body", "node => getComputedStyle(node).margin") == "0px"


def test_the_admin_pages_meet_no_policy_violation(watched, live_server, log_in, superuser):
    page, violations = watched
    article = ArticleFactory(top_image=ImageFactory(), section=SectionFactory())
    issue = IssueItemFactory(article=article).issue
    log_in(page, superuser)
    for url in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_image_changelist"),
        reverse("admin:newsletter_issue_change", args=[issue.pk]),
    ]:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert violations() == [], url
    # The body editor came up: its scripts and its own style ran.
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.wait_for_selector(BODY_EDITOR)
    white_space = page.eval_on_selector(BODY_EDITOR, "node => getComputedStyle(node).whiteSpace")
    assert white_space in {"pre-wrap", "break-spaces"}
    assert violations() == []


def test_the_issue_preview_shows_the_email_with_its_styles(
    watched, live_server, log_in, superuser, settings
):
    page, violations = watched
    settings.SITE_URL = "https://review.example.org"  # an export links to https only
    issue = IssueItemFactory(article=ArticleFactory(section=SectionFactory())).issue
    log_in(page, superuser)

    page.goto(live_server.url + reverse("admin:newsletter_issue_preview", args=[issue.pk]))
    page.wait_for_load_state("networkidle")

    email = page.frame_locator("iframe.rs-preview-frame")
    styled = email.locator("[style*='font-family']").first
    declared = styled.evaluate("node => node.style.fontFamily")
    applied = styled.evaluate("node => getComputedStyle(node).fontFamily")
    assert declared and applied == declared
    assert violations() == []


def test_library_images_are_found_through_the_moved_admin(watched, live_server, log_in, editor):
    page, violations = watched
    picture = ImageFactory(caption="Harbour cranes at dusk.", credit="Photo: S. Haddad / Wire")
    article = ArticleFactory(section=SectionFactory())
    with admin_moved_to("office-7c1d/"):
        log_in_at = reverse("admin:login")
        page.goto(live_server.url + log_in_at)
        page.fill("#id_username", editor.username)
        page.fill("#id_password", "correct horse battery")
        page.click("input[type=submit]")
        page.wait_for_selector("#content-main")
        open_article_form(
            page, live_server.url + reverse("admin:articles_article_change", args=[article.pk])
        )

        page.click(f"{BODY_EDITOR} p")
        page.click("[title='Insert image from the library']")
        page.fill("dialog input[type=search]", "Harbour")
        page.click(f"dialog .rs-library-results button:has-text('{picture.caption[:10]}')")
        figure = page.locator(f"{BODY_EDITOR} figure.rs-library-image")
        figure.locator("img").wait_for()

        assert "Photo: S. Haddad / Wire" in figure.inner_text()
        assert log_in_at.startswith("/office-7c1d/")
    assert violations() == []
