"""The plain-text part."""

from tests.newsletter.export.helpers import (
    EXTERNAL,
    INTRO,
    PRE_TAGGED,
    SITE,
    UTM,
    add_item,
    lone_url,
    make_issue,
    text_of,
    utm_of,
)


def test_text_lines_fit_78_columns_except_lone_urls(newsletter):
    long_words = "The summit ended without a communiqué, which tells its own story. " * 12
    issue = make_issue(newsletter, items=0, intro=f"<p>{long_words}</p>" + INTRO)
    add_item(issue, blurb=long_words)
    add_item(issue, 1, slug="a-slug-long-enough-to-push-the-address-past-seventy-eight-columns")
    lines = text_of(issue).splitlines()

    long_lines = [line for line in lines if len(line) > 78]
    assert long_lines, "the test needs a URL longer than 78 characters"
    assert all(lone_url(line) for line in long_lines)
    assert max(len(line) for line in lines if not lone_url(line)) <= 78
    # No URL shares its line with text.
    assert all(lone_url(line) for line in lines if "https://" in line)


def test_text_shows_each_headline_then_its_url_summary_and_credit(newsletter):
    issue = make_issue(newsletter, items=0)
    first = add_item(issue, blurb="Why the strait matters now.")
    second = add_item(issue, 1, dek="What the carriers are for.")
    lines = text_of(issue).splitlines()

    for item, summary in (
        (first, "Why the strait matters now."),
        (second, "What the carriers are for."),
    ):
        article = item.article
        after = lines[lines.index(article.headline) + 1]
        assert after.split("?")[0] == f"{SITE}{article.get_absolute_url()}"
        assert utm_of(after) == UTM
        assert summary in lines
        credit = article.top_image.credit.removeprefix("Photo: ")
        assert f"Photo: {credit}" in lines


def test_text_has_the_intro_web_version_and_unsubscribe_line(newsletter):
    issue = make_issue(newsletter)
    plain = text_of(issue, dialect="generic")
    lines = plain.splitlines()

    assert "This week, an outside report" in plain
    assert EXTERNAL in lines
    assert PRE_TAGGED in lines
    web = lines[lines.index("View this issue in your browser:") + 1]
    assert web.split("?")[0] == f"{SITE}/newsletter/weekly-round-up/12/"
    assert utm_of(web) == UTM
    assert lines[lines.index("Unsubscribe:") + 1] == "{{ unsubscribe_url }}"
    assert "Five stories worth your Friday." not in plain  # the preheader is for HTML
