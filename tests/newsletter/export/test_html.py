"""The HTML part: layout, inlined styles, header, items, footer, size."""

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter import export
from newsletter.export import ExportError
from newsletter.export import html as export_html
from newsletter.models import Issue, Newsletter
from tests.factories import ImageFactory, SectionFactory
from tests.newsletter.export.helpers import SITE, add_item, hrefs, make_issue, soup_of, style_of


def test_html_has_no_stylesheet_or_script_and_only_media_rules_in_one_style(newsletter):
    soup = soup_of(make_issue(newsletter))

    assert soup.find_all("script") == []
    assert soup.find_all("link") == []
    styles = soup.find_all("style")
    assert len(styles) == 1
    assert styles[0].find_parent("head") is not None
    css = styles[0].string
    assert css.strip().startswith("@media (max-width: 620px)")
    # Nothing outside the one @media block: its braces close at the very end.
    assert css.count("@media") == 1
    assert css.strip().endswith("}")
    depth, closed_at = 0, None
    for index, char in enumerate(css):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and char == "}":
            closed_at = index
            break
    assert css[closed_at + 1 :].strip() == ""


def test_html_layout_is_a_centred_600px_presentation_table(newsletter):
    soup = soup_of(make_issue(newsletter))

    tables = soup.find_all("table")
    assert tables and all(table.get("role") == "presentation" for table in tables)
    container = soup.find("table", class_="container")
    assert container["width"] == "600"
    assert style_of(container)["width"] == "600px"
    assert container.find_parent("td")["align"] == "center"


def test_html_styles_are_inline_on_cells_and_headline_links(newsletter):
    issue = make_issue(newsletter)
    soup = soup_of(issue)

    headline_links = [h2.a for h2 in soup.find_all("h2")]
    assert len(headline_links) == 2
    for link in headline_links:
        assert style_of(link)["text-decoration"] == "none"
        assert style_of(link.parent)["font-family"].startswith("Georgia")
    for cell in soup.select("td.item-text, td.intro"):
        style = style_of(cell)
        assert style["font-size"] == "16px"
        assert style["color"] == "#1c1b19"
    assert style_of(soup.select_one(".section-label a"))["color"] == "#9e1b1b"
    assert style_of(soup.select_one("td.credit"))["color"] == "#5b5852"
    assert style_of(soup.select_one("td.item-start"))["border-top"] == "1px solid #d9d4c9"


def test_every_link_is_absolute(newsletter):
    issue = make_issue(newsletter, intro='<p>See <a href="/about/">about us</a>.</p>')
    soup = soup_of(issue, dialect="none", recipient="reader@example.org")

    links = hrefs(soup)
    assert len(links) >= 9
    for href in links:
        parts = urlsplit(href)
        assert parts.scheme == "https" and parts.hostname, href
    assert any(urlsplit(href).path == "/about/" for href in links)


def test_preheader_is_hidden_at_the_top_of_the_body(newsletter):
    soup = soup_of(make_issue(newsletter, preheader="Carriers and cables, read closely."))

    preheader = soup.body.find(True)
    assert preheader.name == "div"
    assert preheader.get_text().startswith("Carriers and cables, read closely.")
    style = style_of(preheader)
    assert style["display"] == "none"
    assert style["max-height"] == "0"
    assert style["overflow"] == "hidden"


def test_header_shows_newsletter_number_date_and_a_browser_link(newsletter):
    issue = make_issue(newsletter)
    issue.sent_at = timezone.make_aware(timezone.datetime(2026, 3, 6, 9, 0))
    issue.save()
    soup = soup_of(issue)

    assert soup.find("h1").get_text() == "The Weekly Round-up"
    assert "No. 12 · 6 March 2026" in soup.find(class_="issue-meta").get_text()
    browser = soup.find("a", string="View in your browser")
    assert browser["href"].split("?")[0] == f"{SITE}/newsletter/weekly-round-up/12/"


def test_each_item_shows_section_linked_headline_blurb_and_photo_credit(newsletter):
    issue = make_issue(newsletter, items=0)
    section = SectionFactory(name="Asia-Pacific", slug="asia-pacific")
    item = add_item(issue, blurb="Why the strait matters now.", section=section)
    own_graphic = ImageFactory(credit="", no_credit_needed=True)
    add_item(issue, position=1, image=own_graphic)
    add_item(issue, position=2, image=False)
    soup = soup_of(issue)

    first = soup.find("h2").find_parent("td")
    assert first.find(class_="section-label").get_text() == "Asia-Pacific"
    link = first.find("h2").a
    assert link.get_text() == item.article.headline
    assert link["href"].split("?")[0] == f"{SITE}/asia-pacific/{item.article.slug}/"
    assert first.find(class_="blurb").get_text() == "Why the strait matters now."
    credits = [cell.get_text() for cell in soup.select("td.credit")]
    # The factory's credit already says “Photo:”; the email says it once.
    assert credits == [
        f"Photo: {item.article.top_image.credit.removeprefix('Photo: ')}",
        "Photo: The Meridian Review",
    ]
    assert len(soup.find_all("h2")) == 3
    assert len(soup.find_all("img")) == 2


def test_the_intro_is_rendered_as_rich_text(newsletter):
    soup = soup_of(make_issue(newsletter))

    intro = soup.select_one("td.intro")
    assert intro.p.find("a", string="an outside report") is not None


def test_footer_says_why_the_reader_gets_it_and_how_to_leave(newsletter):
    soup = soup_of(make_issue(newsletter), dialect="mailchimp")

    footer = soup.select_one("td.footer")
    assert "because you subscribed to The Weekly Round-up" in footer.get_text()
    assert footer.find("a", string="Unsubscribe")["href"] == "*|UNSUB|*"


def test_export_queries_do_not_grow_with_the_number_of_items(newsletter):
    small = make_issue(newsletter, items=2)
    large = make_issue(Newsletter.objects.create(name="Other", slug="other"), items=6)

    counts = []
    for issue in (small, large):
        issue = Issue.objects.select_related("newsletter").get(pk=issue.pk)
        with CaptureQueriesContext(connection) as queries:
            export.render_html(issue)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5


def html_size(issue, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(export_html, "GMAIL_CLIP_BYTES", 10**9)
        return len(export.render_html(issue).encode())


def test_an_issue_over_gmails_clipping_size_is_refused_with_its_size(newsletter, monkeypatch):
    issue = make_issue(newsletter, items=0)
    for position in range(30):
        add_item(issue, position, blurb="A long look at the week in foreign policy. " * 80)
    size = html_size(issue, monkeypatch)
    assert size > 102_000

    with pytest.raises(ExportError) as caught:
        export.render_html(issue)
    message = str(caught.value)
    assert f"{size:,} bytes" in message
    assert "102,000 bytes" in message
    assert "Gmail" in message
    assert "blurb" in message


def test_an_issue_just_under_the_clipping_size_exports(newsletter, monkeypatch):
    issue = make_issue(newsletter, items=0)
    for position in range(18):
        add_item(issue, position, blurb="A long look at the week in foreign policy. " * 80)
    last = issue.items.last()
    last.blurb += "x" * (101_999 - html_size(issue, monkeypatch))
    last.save()

    assert len(export.render_html(issue).encode()) == 101_999
    last.blurb += "x"
    last.save()
    with pytest.raises(ExportError, match="102,000 bytes"):
        export.render_html(issue)
