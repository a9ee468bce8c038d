"""The article form keeps a copy in the browser, so a refused save loses no words."""

import pytest
from django.conf import settings

from articles.models import Article
from tests.browser.conftest import body_paragraphs, open_article_form, replace_body
from tests.conftest import STAFF_PASSWORD
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

STORED_COPIES = "Object.keys(localStorage).filter((key) => key.startsWith('rs-draft:'))"


@pytest.fixture
def article():
    return ArticleFactory(
        headline="Sanctions, a year on", body="<p>The first draft of the story.</p>"
    )


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def test_copy_survives_a_failed_csrf_check_and_is_restored(
    page, live_server, log_in, editor, article
):
    log_in(page, editor)
    open_article_form(page, change_url(live_server, article))
    page.fill("#id_headline", "Sanctions, a year on: who paid")
    replace_body(page, "Exporters paid first.", "Then the banks.")
    page.context.clear_cookies(name="csrftoken")
    with page.expect_navigation() as refused:
        page.click("input[name=_save]")
    assert refused.value.status == 403
    assert "CSRF verification failed" in page.inner_text("body")
    article.refresh_from_db()
    assert article.headline == "Sanctions, a year on"

    page.go_back()
    page.wait_for_selector("#article_form[data-draft-keeper=on]", state="attached")
    notice = page.wait_for_selector(".rs-draft-notice")
    assert notice.get_attribute("role") == "alert"
    assert "An unsaved copy of this article from" in notice.inner_text()
    assert "is kept in this browser" in notice.inner_text()
    assert page.input_value("#id_headline") == "Sanctions, a year on"
    assert body_paragraphs(page) == ["The first draft of the story."]

    page.click(".rs-draft-notice button:text-is('Restore it')")
    assert page.input_value("#id_headline") == "Sanctions, a year on: who paid"
    assert body_paragraphs(page) == ["Exporters paid first.", "Then the banks."]
    assert "back in the form" in page.inner_text(".rs-draft-notice")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    page.wait_for_load_state()

    article.refresh_from_db()
    assert article.headline == "Sanctions, a year on: who paid"
    assert article.body == "<p>Exporters paid first.</p><p>Then the banks.</p>"
    assert article.version == 2
    # Saved: the copy has done its work and is gone.
    assert page.evaluate(STORED_COPIES) == []


def test_copy_survives_an_expired_session(page, live_server, log_in, editor, article):
    log_in(page, editor)
    open_article_form(page, change_url(live_server, article))
    page.fill("#id_dek", "Who paid for a year of sanctions, and who did not.")
    replace_body(page, "A year later, the bill has arrived.")
    # The session ends (the CSRF cookie, which outlives it, stays).
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.click("input[name=_save]")
    page.wait_for_selector("#login-form")
    article.refresh_from_db()
    assert article.dek == "A sentence that says why this matters."

    page.fill("#id_username", editor.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(".rs-draft-notice")
    assert page.url == change_url(live_server, article)
    page.click(".rs-draft-notice button:text-is('Restore it')")
    assert page.input_value("#id_dek") == "Who paid for a year of sanctions, and who did not."
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    article.refresh_from_db()
    assert article.dek == "Who paid for a year of sanctions, and who did not."
    assert article.body == "<p>A year later, the bill has arrived.</p>"
    # Back on the form after "Save and continue": it shows the saved text, nothing is offered.
    page.wait_for_selector("#article_form[data-draft-keeper=on]", state="attached")
    assert page.locator(".rs-draft-notice").count() == 0
    assert page.evaluate(STORED_COPIES) == []


def test_discarded_copy_is_not_offered_again(page, live_server, log_in, editor, article):
    log_in(page, editor)
    url = change_url(live_server, article)
    open_article_form(page, url)
    page.fill("#id_headline", "A headline nobody wanted")
    page.wait_for_function(f"() => {STORED_COPIES}.length === 1")

    open_article_form(page, url)
    page.click(".rs-draft-notice button:text-is('Discard')")
    assert page.locator(".rs-draft-notice").count() == 0
    assert page.evaluate(STORED_COPIES) == []
    open_article_form(page, url)
    assert page.locator(".rs-draft-notice").count() == 0
    assert Article.objects.get().headline == "Sanctions, a year on"


def test_restored_copy_does_not_silently_overwrite_a_newer_save(
    page, live_server, log_in, editor, article
):
    log_in(page, editor)
    url = change_url(live_server, article)
    open_article_form(page, url)
    page.fill("#id_headline", "Sanctions: the exporters' year")
    page.context.clear_cookies(name="csrftoken")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    # Meanwhile a colleague saves the article.
    Article.objects.filter(pk=article.pk).update(headline="Sanctions, revisited", version=2)

    open_article_form(page, url)
    assert "has been saved since" in page.inner_text(".rs-draft-notice")
    page.click(".rs-draft-notice button:text-is('Restore it')")
    page.click("input[name=_save]")
    page.wait_for_selector(".rs-conflict")
    assert Article.objects.get().headline == "Sanctions, revisited"
    assert page.input_value("#id_headline") == "Sanctions: the exporters' year"
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Sanctions: the exporters' year", 3)


def test_copy_older_than_two_weeks_is_forgotten(page, live_server, log_in, editor, article):
    log_in(page, editor)
    url = change_url(live_server, article)
    open_article_form(page, url)
    page.fill("#id_headline", "A headline from long ago")
    page.wait_for_function(f"() => {STORED_COPIES}.length === 1")
    # Leave the form (leaving keeps a fresh copy), then make the copy fifteen days old.
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.evaluate(
        """() => {
            const key = Object.keys(localStorage).find((key) => key.startsWith('rs-draft:'));
            const copy = JSON.parse(localStorage.getItem(key));
            copy.savedAt -= 15 * 24 * 60 * 60 * 1000;
            localStorage.setItem(key, JSON.stringify(copy));
        }"""
    )

    open_article_form(page, url)
    assert page.locator(".rs-draft-notice").count() == 0
    assert page.evaluate(STORED_COPIES) == []
