import email
import email.policy
import json
import re
from datetime import timedelta
from io import BytesIO, StringIO, TextIOWrapper
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.images import renditions
from articles.models import Article, Image, Rendition
from newsletter import export
from newsletter.export import ExportError
from newsletter.export import html as export_html
from newsletter.models import Issue, IssueItem, Newsletter
from newsletter.tokens import read_unsubscribe_token, unsubscribe_url
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    jpeg_bytes,
)

SITE = "https://review.example.org"
UTM = {
    "utm_source": ["weekly-round-up"],
    "utm_medium": ["email"],
    "utm_campaign": ["weekly-round-up-12"],
}
EXTERNAL = "https://think.example.net/report?id=7"
PRE_TAGGED = "https://review.example.org/archive/?utm_source=partner&ref=x#top"
INTRO = (
    f'<p>This week, <a href="{EXTERNAL}">an outside report</a>, '
    '<a href="https://review.example.org/archive/?utm_source=partner&amp;ref=x#top">our '
    'archive</a> and <a href="https://review.example.org/about/?lang=en#team">the team</a>.</p>'
)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Meridian Review"
    settings.DEFAULT_FROM_EMAIL = "The Review <newsletter@review.example.org>"


@pytest.fixture
def newsletter(db):
    return Newsletter.objects.create(name="The Weekly Round-up", slug="weekly-round-up")


def make_issue(newsletter, items=2, **fields):
    issue = Issue.objects.create(
        newsletter=newsletter,
        number=12,
        subject=fields.pop("subject", "Carriers, cables and a quiet summit"),
        preheader=fields.pop("preheader", "Five stories worth your Friday."),
        intro=fields.pop("intro", INTRO),
        **fields,
    )
    for position in range(items):
        add_item(issue, position)
    return issue


def add_item(issue, position=0, blurb="", image=True, **article_fields):
    article = ArticleFactory(
        top_image=ImageFactory() if image is True else image or None,
        authors=[AuthorFactory(name=f"Writer {position}")],
        **article_fields,
    )
    return IssueItem.objects.create(issue=issue, article=article, position=position, blurb=blurb)


def own_links(urls):
    return [url for url in urls if urlsplit(url).hostname == "review.example.org"]


def utm_of(url):
    query = parse_qs(urlsplit(url).query)
    return {key: value for key, value in query.items() if key.startswith("utm_")}


def soup_of(issue, **kwargs):
    return BeautifulSoup(export.render_html(issue, **kwargs), "html.parser")


def hrefs(soup):
    return [a["href"] for a in soup.find_all("a")]


def style_of(element):
    return {
        name.strip(): value.strip()
        for name, value in (rule.split(":", 1) for rule in element["style"].split(";") if rule)
    }


def lone_url(line):
    return line.startswith("https://") and " " not in line


def eml_of(issue, **kwargs):
    return email.message_from_bytes(export.build_eml(issue, **kwargs), policy=email.policy.default)


# HTML


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


def test_every_image_is_sized_to_the_column_with_alt_and_absolute_https_src(newsletter):
    issue = make_issue(newsletter, items=1)
    wide = ImageFactory(
        file=ContentFile(jpeg_bytes(800, 400), name="wide.jpg"), alt_text="A wide harbour"
    )
    add_item(issue, position=1, image=wide)
    soup = soup_of(issue)

    images = soup.find_all("img")
    assert len(images) == 2
    for image in images:
        assert image["alt"]
        assert urlsplit(image["src"]).scheme == "https"
        assert image["src"].startswith(f"{SITE}/media/images/")
        assert image["width"] == "600"
    # 32×18 from the factory, 800×400 above: each scaled to 600 wide, keeping its shape.
    assert [image["height"] for image in images] == ["338", "300"]
    assert images[1]["alt"] == "A wide harbour"


def test_pictures_are_email_sized_jpeg_renditions_with_a_2x_one(newsletter):
    issue = make_issue(newsletter, items=0)
    photo = ImageFactory(file=ContentFile(jpeg_bytes(2400, 1600), name="camera.jpg"))
    renditions.make_renditions(photo)
    add_item(issue, position=0, image=photo)
    jpegs = {
        rendition.width: f"{SITE}{rendition.file.url}"
        for rendition in photo.renditions.filter(format=Rendition.Format.JPEG)
    }

    [image] = soup_of(issue).find_all("img")
    entry = json.loads(export.issue_json(issue))["items"][0]["image"]

    # The 640 for the 600-pixel column, the 1280 for 2× screens; not the 2400 original.
    assert image["src"] == jpegs[640]
    assert image["srcset"] == f"{jpegs[640]} 1x, {jpegs[1280]} 2x"
    assert (image["width"], image["height"]) == ("600", "400")
    assert (entry["url"], entry["width"], entry["height"]) == (jpegs[640], 640, 427)
    assert entry["url_2x"] == jpegs[1280]


def test_a_picture_with_no_copy_to_send_is_refused(newsletter):
    issue = make_issue(newsletter, items=1)
    Image.objects.update(display_file="")

    with pytest.raises(ExportError, match="has no copy fit to send"):
        export.render_html(issue)


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


RICH_INTRO = (
    "<h2>This week</h2><p><strong>Ports</strong>, <em>cables</em><br>and "
    f'<a href="{EXTERNAL}" title="The report" rel="nofollow">a report</a>.</p>'
    '<h3>Also</h3><ul><li>one</li></ul><ol start="3"><li>three</li></ol>'
    "<blockquote><p>A quote.</p></blockquote>"
)


def declarations(style):
    """A style attribute as {property: value}, spacing and quote marks aside."""
    pairs = (rule.split(":", 1) for rule in style.split(";") if rule.strip())
    return {name.strip(): "".join(value.split()).replace("'", '"') for name, value in pairs}


def test_the_final_cleaning_keeps_everything_a_normal_issue_shows(newsletter, monkeypatch):
    issue = make_issue(newsletter, intro=RICH_INTRO)
    add_item(issue, position=2, blurb="Why it matters.", image=False)
    inlined = []
    clean_email = export.clean_email

    def keep_inlined(document, rewrite_href):
        inlined.append(document)
        return clean_email(document, rewrite_href)

    monkeypatch.setattr(export_html, "clean_email", keep_inlined)
    cleaned = BeautifulSoup(export.render_html(issue), "html5lib")
    [document] = inlined
    before = BeautifulSoup(document, "html5lib")

    assert cleaned.get_text() == before.get_text()
    pairs = list(zip(before.find_all(True), cleaned.find_all(True), strict=True))
    for old, new in pairs:
        assert new.name == old.name
        assert set(new.attrs) == set(old.attrs), old
        for name, value in old.attrs.items():
            if name == "style":
                assert declarations(new["style"]) == declarations(value), old
            elif name != "href":
                assert new[name] == value, old
    links = [(old["href"], new["href"]) for old, new in pairs if old.name == "a"]
    assert len(links) == 14
    for old, new in links:
        assert (
            new == old
            or new.startswith(f"{old}?utm_")
            or old.startswith(export.UNSUBSCRIBE_PLACEHOLDER)
        )


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


# Size limit


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


# UTM


def test_own_links_carry_the_issue_utm_parameters_exactly_once(newsletter):
    soup = soup_of(make_issue(newsletter), dialect="none", recipient="reader@example.org")

    tagged = [
        href
        for href in own_links(hrefs(soup))
        if "/unsubscribe/" not in href and not href.startswith(PRE_TAGGED.split("?")[0])
    ]
    # Browser and site links twice each, “the team”, and per item its picture, section, headline.
    assert len(tagged) == 11
    for href in tagged:
        assert utm_of(href) == UTM, href


def test_utm_tagging_keeps_other_parameters_and_fragments(newsletter):
    soup = soup_of(make_issue(newsletter))

    about = soup.find("a", string="the team")["href"]
    assert parse_qs(urlsplit(about).query) == {"lang": ["en"], **UTM}
    assert urlsplit(about).fragment == "team"


def test_a_link_already_tagged_is_not_tagged_again(newsletter):
    soup = soup_of(make_issue(newsletter))

    assert soup.find("a", string="our archive")["href"] == PRE_TAGGED


def test_links_to_other_sites_are_untouched(newsletter):
    soup = soup_of(make_issue(newsletter))

    assert soup.find("a", string="an outside report")["href"] == EXTERNAL


def test_the_unsubscribe_link_is_never_tagged(newsletter):
    issue = make_issue(newsletter)
    soup = soup_of(issue, dialect="none", recipient="reader@example.org")

    href = soup.find("a", string="Unsubscribe")["href"]
    assert urlsplit(href).path.startswith("/newsletter/unsubscribe/")
    assert urlsplit(href).query == ""
    lines = text_of(issue, dialect="none", recipient="reader@example.org").splitlines()
    assert lines[lines.index("Unsubscribe:") + 1] == href


def test_tag_url_rules(newsletter):
    issue = make_issue(newsletter, items=0)

    tagged = export.tag_url("/asia/?page=2#latest", issue)
    assert tagged.startswith(f"{SITE}/asia/?page=2&utm_source=weekly-round-up&")
    assert tagged.endswith("#latest")
    assert export.tag_url(tagged, issue) == tagged
    assert export.tag_url("mailto:desk@review.example.org", issue).startswith("mailto:")
    assert export.tag_url("*|UNSUB|*", issue) == "*|UNSUB|*"
    unsubscribe = unsubscribe_url(newsletter, "reader@example.org")
    assert export.tag_url(unsubscribe, issue) == unsubscribe


# Plain text


def text_of(issue, **kwargs):
    return export.render_text(issue, **kwargs)


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


# .eml


def test_eml_is_multipart_alternative_with_text_then_html_in_utf8(newsletter):
    message = eml_of(make_issue(newsletter), recipient="reader@example.org")

    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert [part.get_content_charset() for part in parts] == ["utf-8", "utf-8"]
    assert "Unsubscribe:" in parts[0].get_content()
    assert BeautifulSoup(parts[1].get_content(), "html.parser").find("h1") is not None


def test_eml_headers_address_the_reader_from_the_newsletter(newsletter):
    newsletter.from_name = "Weekly Desk"
    newsletter.save()
    message = eml_of(
        make_issue(newsletter, subject="Kyiv, Tbilisi – und Zürich"), recipient="reader@example.org"
    )

    assert message["Subject"] == "Kyiv, Tbilisi – und Zürich"
    assert message["From"].addresses[0].display_name == "Weekly Desk"
    assert message["From"].addresses[0].addr_spec == "newsletter@review.example.org"
    assert message["To"] == "reader@example.org"
    assert message["Date"].datetime is not None
    assert message["Message-ID"].endswith("@review.example.org>")
    assert message["List-Id"] == "The Weekly Round-up <weekly-round-up.review.example.org>"


def test_eml_list_unsubscribe_carries_a_signed_one_click_link(newsletter):
    message = eml_of(make_issue(newsletter), recipient="Reader@Example.org")

    value = message["List-Unsubscribe"]
    assert value.startswith("<") and value.endswith(">")
    url = value[1:-1]
    assert url.startswith(f"{SITE}/newsletter/unsubscribe/")
    token = urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (newsletter.pk, "reader@example.org")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    unsubscribe = BeautifulSoup(html, "html.parser").find("a", string="Unsubscribe")
    assert unsubscribe["href"] == url


def test_eml_header_injection_in_subject_or_sender_name_adds_no_header(newsletter):
    newsletter.from_name = "Desk\r\nBcc: evil@example.com"
    newsletter.save()
    issue = make_issue(newsletter, subject="Weekly round-up\r\nBcc: evil@example.com")
    data = export.build_eml(issue, recipient="reader@example.org")
    message = email.message_from_bytes(data, policy=email.policy.default)

    assert message["Bcc"] is None
    assert not re.search(rb"^Bcc:", data, re.M | re.I)
    assert message["Subject"] == "Weekly round-up Bcc: evil@example.com"
    assert message["From"].addresses[0].addr_spec == "newsletter@review.example.org"


def test_eml_writes_an_international_domain_in_ascii_and_signs_the_address_as_given(newsletter):
    message = eml_of(make_issue(newsletter), recipient="leser@bücher.example")

    assert message["To"] == "leser@xn--bcher-kva.example"
    token = urlsplit(message["List-Unsubscribe"][1:-1]).path.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (newsletter.pk, "leser@bücher.example")


def test_eml_with_a_merge_tag_dialect_omits_to_without_a_recipient(newsletter):
    message = eml_of(make_issue(newsletter), dialect="mailchimp")

    assert message["To"] is None
    assert message["List-Unsubscribe"] == "<*|UNSUB|*>"


# Dialects


def test_mailchimp_dialect_uses_its_merge_tag_and_no_signed_link(newsletter):
    issue = make_issue(newsletter)

    for output in (export.render_html(issue, "mailchimp"), text_of(issue, dialect="mailchimp")):
        assert "*|UNSUB|*" in output
        assert "/newsletter/unsubscribe/" not in output


def test_generic_dialect_writes_the_literal_merge_tag(newsletter):
    issue = make_issue(newsletter)

    soup = soup_of(issue, dialect="generic")
    assert soup.find("a", string="Unsubscribe")["href"] == "{{ unsubscribe_url }}"
    assert "{{ unsubscribe_url }}" in text_of(issue, dialect="generic")


def test_no_dialect_needs_a_recipient(newsletter):
    issue = make_issue(newsletter)

    with pytest.raises(ExportError, match="recipient"):
        export.render_html(issue, dialect="none")
    with pytest.raises(ExportError, match="recipient"):
        export.build_eml(issue)


def test_an_unknown_dialect_or_a_bad_recipient_is_refused(newsletter):
    issue = make_issue(newsletter)

    with pytest.raises(ExportError, match="dialect"):
        export.render_html(issue, dialect="sendgrid")
    with pytest.raises(ExportError, match="not an email address"):
        export.build_eml(issue, recipient="reader@example.org\r\nBcc: evil@example.com")


# JSON


def test_json_describes_the_issue_and_its_items_in_order(newsletter):
    issue = make_issue(newsletter, items=0)
    second = add_item(issue, position=2, blurb="Second, by position.")
    first = add_item(issue, position=1)
    data = json.loads(export.issue_json(issue))

    assert data["newsletter"] == {"name": "The Weekly Round-up", "slug": "weekly-round-up"}
    assert data["number"] == 12
    assert data["subject"] == issue.subject
    assert data["preheader"] == issue.preheader
    assert data["intro_html"] == issue.intro
    assert data["status"] == "draft"
    assert data["campaign"] == "weekly-round-up-12"
    assert data["web_url"] == f"{SITE}/newsletter/weekly-round-up/12/"
    generated = timezone.datetime.fromisoformat(data["generated_at"])
    assert generated.tzinfo is not None
    # The one form every machine-readable date takes (articles.dates): whole seconds.
    assert generated.microsecond == 0
    assert [item["headline"] for item in data["items"]] == [
        first.article.headline,
        second.article.headline,
    ]
    entry = data["items"][1]
    assert entry["position"] == 2
    assert entry["dek"] == second.article.dek
    assert entry["blurb"] == "Second, by position."
    assert entry["url"].split("?")[0] == f"{SITE}{second.article.get_absolute_url()}"
    assert utm_of(entry["url"]) == UTM
    assert entry["section"] == second.article.section.name
    assert entry["authors"] == ["Writer 2"]
    image = second.article.top_image
    assert entry["image"] == {
        "url": f"{SITE}{image.display_file.url}",
        "width": 32,
        "height": 18,
        "url_2x": None,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }


# Refusals


@pytest.mark.parametrize(
    "change",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_an_item_readers_cannot_open_is_refused_by_headline(newsletter, change):
    issue = make_issue(newsletter, items=1)
    hidden = add_item(issue, 1, headline="Not yet: the carrier story")
    Article.objects.filter(pk=hidden.article_id).update(**change)

    for render in (export.render_html, export.render_text, export.issue_json):
        with pytest.raises(ExportError, match="“Not yet: the carrier story”"):
            render(issue)


def test_an_empty_issue_is_refused(newsletter):
    issue = make_issue(newsletter, items=0)

    with pytest.raises(ExportError, match="no stories"):
        export.export_issue(issue, "html")


def test_production_refuses_a_site_url_without_https(newsletter, settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://review.example.org"
    issue = make_issue(newsletter)

    with pytest.raises(ExportError, match="https"):
        export.render_html(issue)


# export_issue


@pytest.mark.parametrize(
    ("fmt", "content_type", "filename"),
    [
        ("html", "text/html; charset=utf-8", "weekly-round-up-12.html"),
        ("text", "text/plain; charset=utf-8", "weekly-round-up-12.txt"),
        ("eml", "message/rfc822", "weekly-round-up-12.eml"),
        ("json", "application/json", "weekly-round-up-12.json"),
    ],
)
def test_export_issue_returns_bytes_type_and_filename(newsletter, fmt, content_type, filename):
    issue = make_issue(newsletter)

    content, kind, name = export.export_issue(issue, fmt, recipient="reader@example.org")
    assert isinstance(content, bytes) and content
    assert (kind, name) == (content_type, filename)


def test_export_issue_refuses_an_unknown_format(newsletter):
    with pytest.raises(ExportError, match="format"):
        export.export_issue(make_issue(newsletter), "pdf")


# The command


def test_command_writes_each_format_to_a_file(newsletter, tmp_path):
    make_issue(newsletter)
    paths = {fmt: tmp_path / f"issue.{fmt}" for fmt in export.FORMATS}
    for fmt, path in paths.items():
        call_command(
            "export_issue",
            "weekly-round-up",
            "12",
            "--format",
            fmt,
            "-o",
            str(path),
            "--to",
            "reader@example.org",
            stdout=StringIO(),
            stderr=StringIO(),
        )

    soup = BeautifulSoup(paths["html"].read_text(), "html.parser")
    assert soup.find("a", string="Unsubscribe")["href"] == "{{ unsubscribe_url }}"
    assert "Unsubscribe:" in paths["text"].read_text().splitlines()
    message = email.message_from_bytes(paths["eml"].read_bytes(), policy=email.policy.default)
    assert message["To"] == "reader@example.org"
    assert message["List-Unsubscribe"].startswith(f"<{SITE}/newsletter/unsubscribe/")
    assert json.loads(paths["json"].read_text())["number"] == 12


def test_command_addresses_an_eml_proof_to_ourselves_by_default(newsletter):
    make_issue(newsletter)
    stdout, stderr = StringIO(), StringIO()
    call_command(
        "export_issue", "weekly-round-up", "12", "--format", "eml", stdout=stdout, stderr=stderr
    )

    message = email.message_from_string(stdout.getvalue(), policy=email.policy.default)
    assert message["To"] == "newsletter@review.example.org"
    assert "proof copy" in stderr.getvalue()


def test_command_writes_the_eml_bytes_unchanged_to_a_binary_stdout(newsletter):
    make_issue(newsletter)
    stdout = TextIOWrapper(BytesIO(), encoding="utf-8")
    call_command(
        "export_issue",
        "weekly-round-up",
        "12",
        "--format",
        "eml",
        "--to",
        "reader@example.org",
        stdout=stdout,
    )

    data = stdout.buffer.getvalue()
    assert data.count(b"\r\n") == data.count(b"\n") > 10
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"


def test_command_writes_to_stdout_with_a_dialect(newsletter):
    make_issue(newsletter)
    stdout = StringIO()
    call_command(
        "export_issue",
        "weekly-round-up",
        "12",
        "--format",
        "html",
        "--dialect",
        "mailchimp",
        stdout=stdout,
    )

    assert (
        BeautifulSoup(stdout.getvalue(), "html.parser").find("a", string="Unsubscribe")["href"]
        == "*|UNSUB|*"
    )


def test_command_reports_an_unknown_issue(newsletter):
    make_issue(newsletter)

    with pytest.raises(CommandError, match="no issue 13"):
        call_command("export_issue", "weekly-round-up", "13", "--format", "html")
    with pytest.raises(CommandError, match="no issue 12 of the newsletter “nope”"):
        call_command("export_issue", "nope", "12", "--format", "html")


def test_command_turns_an_export_error_into_a_command_error(newsletter):
    make_issue(newsletter, items=0)

    with pytest.raises(CommandError, match="no stories"):
        call_command("export_issue", "weekly-round-up", "12", "--format", "json")
