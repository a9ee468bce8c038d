"""Two editors, one article; and a story that waits for its time."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.browser.conftest import body_paragraphs, open_article_form, replace_body
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_second_save_is_refused_then_wins_when_repeated(live_server, open_page, log_in, make_staff):
    article = ArticleFactory(
        headline="Talks resume in Vienna", body="<p>Diplomats met on Monday.</p>"
    )
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    alice, bruno = make_staff("alice", "Editors"), make_staff("bruno", "Editors")
    page_a, page_b = open_page(), open_page()
    log_in(page_a, alice)
    log_in(page_b, bruno)
    open_article_form(page_a, url)
    open_article_form(page_b, url)

    page_a.fill("#id_headline", "Talks resume in Vienna, cautiously")
    replace_body(page_a, "Diplomats met on Monday, briefly.")
    page_a.click("input[name=_continue]")
    page_a.wait_for_selector(".messagelist .success")

    page_b.fill("#id_headline", "Vienna talks stall")
    replace_body(page_b, "No agreement by Monday night.", "Both sides blame the other.")
    page_b.click("input[name=_continue]")
    conflict = page_b.wait_for_selector(".rs-conflict")
    assert page_b.inner_text(".errornote") == "Please correct the error below."
    assert "Not saved: alice saved this article" in page_b.inner_text(".errorlist.nonfield")
    assert "alice saved this article" in conflict.inner_text()
    compare_href = page_b.get_attribute(".rs-conflict a", "href")
    assert compare_href == f"/admin/articles/article/{article.pk}/history/compare/?since=1"
    # Bruno's words are all still in the form, and the browser offers no stale copy on top.
    assert page_b.input_value("#id_headline") == "Vienna talks stall"
    assert body_paragraphs(page_b) == [
        "No agreement by Monday night.",
        "Both sides blame the other.",
    ]
    page_b.wait_for_selector("#article_form[data-draft-keeper=on]", state="attached")
    assert page_b.locator(".rs-draft-notice").count() == 0
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Talks resume in Vienna, cautiously", 2)
    assert article.body == "<p>Diplomats met on Monday, briefly.</p>"

    # What changed: Alice's save, one click away.
    with page_b.context.expect_page() as opened:
        page_b.click(".rs-conflict a")
    compare = opened.value
    compare.wait_for_load_state()
    assert "Talks resume in Vienna, cautiously" in compare.inner_text("#content")
    compare.close()

    # Having read it, Bruno saves again: his version replaces Alice's.
    page_b.click("input[name=_continue]")
    page_b.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Vienna talks stall", 3)
    assert article.body == "<p>No agreement by Monday night.</p><p>Both sides blame the other.</p>"


def home_headlines(page):
    return page.locator(".teaser__headline a").all_inner_texts()


def test_scheduled_article_appears_on_the_home_page_when_its_time_comes(
    page, live_server, log_in, editor
):
    section = SectionFactory(name="Europe", slug="europe")
    ArticleFactory(section=section, headline="Already out: the budget vote")
    article = ArticleFactory(
        section=section,
        headline="Embargoed: the summit communiqué",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    log_in(page, editor)
    open_article_form(page, f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    # The admin reads the date and time in the site's time zone (settings.TIME_ZONE).
    due = timezone.localtime().replace(microsecond=0) + timedelta(seconds=8)
    page.select_option("#id_status", "published")
    page.fill("#id_published_at_0", due.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", due.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, due)
    assert article.is_scheduled

    assert timezone.now() < due - timedelta(seconds=1), "too slow to see the article wait"
    page.goto(f"{live_server.url}/")
    headlines = home_headlines(page)
    assert "Already out: the budget vote" in headlines
    assert "Embargoed: the summit communiqué" not in headlines

    deadline = time.monotonic() + 20
    while "Embargoed: the summit communiqué" not in headlines and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        page.reload()
        headlines = home_headlines(page)
    assert "Embargoed: the summit communiqué" in headlines
    assert timezone.now() >= due
