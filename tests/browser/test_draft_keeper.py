"""The article form keeps a copy in the browser, so a refused save loses no words."""

import re

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


@pytest.fixture
def colleague(make_staff):
    return make_staff("colleague", "Editors")


def leave_an_unsaved_copy(page, live_server, log_in, user, article):
    log_in(page, user)
    open_article_form(page, change_url(live_server, article))
    page.fill("#id_headline", "Sanctions: my private notes")
    page.wait_for_function(f"() => {STORED_COPIES}.length === 1")


def test_logging_out_clears_the_copies_kept_in_this_browser(
    page, live_server, log_in, editor, colleague, article
):
    leave_an_unsaved_copy(page, live_server, log_in, editor, article)

    page.click("#logout-form button[type=submit]")
    page.wait_for_load_state()
    assert "/admin/logout/" in page.url
    page.wait_for_function(f"() => {STORED_COPIES}.length === 0")

    log_in(page, colleague)
    open_article_form(page, change_url(live_server, article))
    assert page.locator(".rs-draft-notice").count() == 0
    assert page.input_value("#id_headline") == "Sanctions, a year on"


def test_a_copy_left_behind_is_never_offered_to_the_next_person(
    page, live_server, log_in, editor, colleague, article
):
    leave_an_unsaved_copy(page, live_server, log_in, editor, article)
    # No logout: the session simply ends (or the browser is left as it was).
    page.context.clear_cookies()

    log_in(page, colleague)
    open_article_form(page, change_url(live_server, article))

    assert page.locator(".rs-draft-notice").count() == 0
    assert page.input_value("#id_headline") == "Sanctions, a year on"
    assert "my private notes" not in str(page.evaluate("() => Object.values(localStorage)"))


def test_copies_are_kept_under_a_key_that_does_not_name_the_person(
    page, live_server, log_in, editor, article
):
    leave_an_unsaved_copy(page, live_server, log_in, editor, article)

    [key] = page.evaluate(STORED_COPIES)
    path = f"/admin/articles/article/{article.pk}/change/"
    # rs-draft:<a digest of the person's id>:<the form's path>
    owner = re.fullmatch(f"rs-draft:([0-9a-f]{{16,}}):{path}", key)
    assert owner, key
    assert owner[1] != str(editor.pk)
