import os
import shutil

import pytest

from tests.conftest import STAFF_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright cannot download its own here)."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """open_page(): a page in a fresh browser context (its own cookies and storage)."""
    contexts = []

    def open_():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def log_in(live_server):
    """log_in(page, user): sign in through the admin's login form, as a person would."""

    def log_in_(page, user):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", STAFF_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#content-main")

    return log_in_


BODY_EDITOR = ".field-body .ProseMirror[contenteditable=true]"


def open_article_form(page, url):
    """Open an article's admin form; wait for its body editor and for any copy on offer."""
    page.goto(url)
    page.wait_for_selector(BODY_EDITOR)
    page.wait_for_selector("#article_form[data-draft-keeper=on]", state="attached")


def replace_body(page, *paragraphs):
    """Select everything in the article's body editor and type `paragraphs` in its place."""
    page.click(BODY_EDITOR)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    for number, paragraph in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


def body_paragraphs(page):
    """The text of each block (paragraph, heading, list) the body editor shows."""
    return page.locator(f"{BODY_EDITOR} > *").all_inner_texts()
