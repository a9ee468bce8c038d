"""The rich-text sanitiser: caps on size and depth before nh3, nh3 on every save, and properties
that hold for any input a grammar of tags, attributes and XSS fragments can build."""

import html5lib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article, DonationAppeal
from articles.sanitize import VOID_ELEMENTS, check_caps, nesting_depth, sanitizer
from newsletter.models import Issue
from tests.factories import ArticleFactory, DonationAppealFactory, IssueFactory, SectionFactory
from tests.forms import form_data, soup_of
from tests.security.xss import findings

BODY = sanitizer(settings.ARTICLE_BODY_EXTENSIONS)
RICH_TEXT = sanitizer(settings.RICH_TEXT_EXTENSIONS)
PROPERTIES = hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def nested(depth, tag="blockquote"):
    return f"<{tag}>" * depth + "<p>Deep.</p>" + f"</{tag}>" * depth


# A grammar of HTML-ish input: real and hostile tags, event handlers, obfuscated URLs, and the
# fragments mutation XSS is made of (comments, CDATA, raw-text elements, stray quotes).
TAGS = st.sampled_from(
    ["p", "a", "b", "em", "strong", "ul", "ol", "li", "blockquote", "h2", "h3", "figure", "br"]
    + ["script", "style", "iframe", "svg", "math", "mtext", "mglyph", "table", "td", "noscript"]
    + ["template", "textarea", "title", "xmp", "img", "object", "embed", "form", "base", "meta"]
    + ["div", "select", "option", "noembed", "SCRIPT", "Svg", "foreignObject", "desc", "image"]
)
ATTRIBUTE_NAMES = st.sampled_from(
    ["href", "src", "onerror", "onload", "onclick", "style", "title", "action", "formaction"]
    + ["xlink:href", "data-image", "srcdoc", "rel", "target", "http-equiv", "content", "ONload"]
)
ATTRIBUTE_VALUES = st.sampled_from(
    ["https://example.org/", "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x"]
    + ["&#x6A;avascript:alert(1)", "java\tscript:alert(1)", "java&#x09;script:x", "vbscript:x"]
    + ["data:text/html,<script>alert(1)</script>", "alert(1)", "x", "1", "</p><img src=x>"]
    + ["mailto:desk@example.org", "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:x"]
    + ["refresh", "0;url=javascript:alert(1)", "</noscript><img src=x onerror=alert(1)>", ""]
)
QUOTES = st.sampled_from(['"', "'", ""])


@st.composite
def attributes(draw):
    quote = draw(QUOTES)
    return f" {draw(ATTRIBUTE_NAMES)}={quote}{draw(ATTRIBUTE_VALUES)}{quote}"


@st.composite
def start_tags(draw):
    name, attributes_ = draw(TAGS), "".join(draw(st.lists(attributes(), max_size=3)))
    return f"<{name}{attributes_}{draw(st.sampled_from(['>', '/>', ' >', '']))}"


FRAGMENTS = st.one_of(
    start_tags(),
    TAGS.map(lambda tag: f"</{tag}>"),
    st.sampled_from(
        ["<!--", "-->", "--!>", "<!-->", "<![CDATA[", "]]>", "<", ">", '"', "'", "=", "&", "/"]
        + ["<?xml ?>", "</ x>", "<!DOCTYPE html>", "&lt;script&gt;", "alert(1)", "\x00", "\n"]
    ),
    st.text(max_size=8),
)
HTML_ISH = st.lists(FRAGMENTS, max_size=40).map("".join)


def html5_depth(markup):
    """How deep a browser (the HTML standard's parser) nests `markup`'s non-void elements."""
    fragment = html5lib.parseFragment(markup, container="div", namespaceHTMLElements=False)
    deepest = 0
    level = [(fragment, 0)]
    while level:
        element, depth = level.pop()
        deepest = max(deepest, depth)
        level += [
            (child, depth + 1)
            for child in element
            if isinstance(child.tag, str) and child.tag not in VOID_ELEMENTS
        ]
    return deepest


class TestProperties:
    @PROPERTIES
    @given(HTML_ISH)
    def test_sanitised_output_holds_nothing_that_runs(self, markup):
        try:
            clean = BODY(markup)
        except ValidationError as error:
            assert error.code == "rich_text_too_deep"
            return
        assert findings(clean) == []

    @PROPERTIES
    @given(HTML_ISH)
    # Markup a browser rebuilds (nested links around a table) that one nh3 pass leaves unstable.
    @example("<a><table><a>")
    @example("<p><table><p>x")
    def test_sanitising_twice_changes_nothing(self, markup):
        try:
            clean = BODY(markup)
        except ValidationError:
            return
        assert BODY(clean) == clean

    @PROPERTIES
    @given(st.text(max_size=300))
    def test_any_text_is_sanitised_without_error(self, text):
        assert findings(RICH_TEXT(text)) == []

    @PROPERTIES
    @given(HTML_ISH)
    def test_the_depth_scan_never_counts_shallower_than_a_browser_nests(self, markup):
        # A browser adds elements the markup leaves out (a table's <tbody> and <tr>): at most
        # two for each one written, so three times the scan bounds what nh3 has to walk.
        assert html5_depth(markup) <= 3 * nesting_depth(markup) + 1


class TestDepthScan:
    @pytest.mark.parametrize(
        ("markup", "depth"),
        [
            ("<p>Plain.</p>", 1),
            ("<ul><li><p>One</p><ul><li>Two</li></ul></li></ul>", 4),
            ("<p>A<br>line<br/>break</p><figure data-image='3'></figure>", 1),
            ("<blockquote><p><strong><em><a href='/x'>x</a></em></strong></p></blockquote>", 5),
            ('<p title="</p></p></p>">Quoted.</p>', 1),
            ("<p><!-- </p></p> -->Commented.</p>", 1),
        ],
    )
    def test_well_formed_markup_counts_exactly(self, markup, depth):
        assert nesting_depth(markup) == depth == html5_depth(markup)

    @pytest.mark.parametrize(
        "unit",
        [
            "<div>",
            "<div></span>",
            "<div><!--</div>-->",
            "<div><textarea></div></textarea>",
            "<div title='</div>'>",
            "<div><script><!--<script></script></div></script>",
            "<svg><x><style><!--</style></x>-->",
            "<div><![CDATA[</div>]]>",
            "<aÄ></aä>",
            "<div></ſcript></div><script></ſcript></div></script>",
            "<table><td>",
            "<i class=a><p>",
        ],
    )
    def test_hostile_nesting_is_never_undercounted(self, unit):
        markup = unit * 30
        assert nesting_depth(markup) > settings.RICH_TEXT_MAX_DEPTH
        assert html5_depth(markup) <= 3 * nesting_depth(markup) + 1


class TestCaps:
    def test_editor_output_within_the_caps_passes(self):
        check_caps(nested(settings.RICH_TEXT_MAX_DEPTH - 1))
        check_caps("<p>" + "x" * (settings.RICH_TEXT_MAX_BYTES - 7) + "</p>")

    def test_too_deep_is_refused_with_a_clear_message(self):
        with pytest.raises(ValidationError) as caught:
            RICH_TEXT(nested(settings.RICH_TEXT_MAX_DEPTH + 1))
        assert caught.value.code == "rich_text_too_deep"
        assert "more than 20 levels deep" in caught.value.messages[0]

    def test_too_long_is_refused_counting_bytes_not_characters(self):
        # 60,000 characters but 240,007 bytes of UTF-8, rounded up.
        with pytest.raises(ValidationError) as caught:
            RICH_TEXT("<p>" + "🌍" * 60_000 + "</p>")
        assert caught.value.code == "rich_text_too_long"
        assert caught.value.messages == [
            "This text is too long: 241 KB, where the limit is 200 KB. "
            "Split it, or remove what was pasted in by mistake."
        ]

    def test_the_caps_come_from_settings(self, settings):
        settings.RICH_TEXT_MAX_DEPTH = 3
        settings.RICH_TEXT_MAX_BYTES = 100
        with pytest.raises(ValidationError):
            check_caps(nested(3))
        with pytest.raises(ValidationError):
            check_caps("<p>" + "x" * 94 + "</p>")
        check_caps(nested(2))
        check_caps("<p>" + "x" * 93 + "</p>")

    def test_a_depth_bomb_is_refused_before_nh3_spends_seconds_on_it(self):
        # 18,000 nested elements in 200 KB: nh3 alone takes seconds over it.
        bomb = "".join(f"<i class=c{n}>" for n in range(18_000))[: settings.RICH_TEXT_MAX_BYTES]
        with pytest.raises(ValidationError):
            BODY(bomb)


@pytest.mark.django_db
class TestEveryRichTextField:
    """Each rich-text field goes through the caps and nh3 on a plain save, not only in forms."""

    HOSTILE = (
        '<p onclick="steal()">Hi<script>steal()</script><a href="javascript:steal()">x</a></p>'
    )

    @pytest.mark.parametrize(
        ("factory", "field"),
        [(ArticleFactory, "body"), (DonationAppealFactory, "message"), (IssueFactory, "intro")],
    )
    def test_a_plain_save_sanitises(self, factory, field):
        record = factory(**{field: self.HOSTILE})
        record.refresh_from_db()
        assert getattr(record, field) == "<p>Hi<a>x</a></p>"

    @pytest.mark.parametrize(
        ("factory", "field"),
        [(ArticleFactory, "body"), (DonationAppealFactory, "message"), (IssueFactory, "intro")],
    )
    def test_a_plain_save_refuses_what_is_over_the_caps(self, factory, field):
        model = factory._meta.model
        # Refused inside save(), as a database error would be: a savepoint keeps the rest.
        with pytest.raises(ValidationError) as caught, transaction.atomic():
            factory(**{field: nested(settings.RICH_TEXT_MAX_DEPTH + 5)})
        assert caught.value.message_dict[field][0].startswith("This text nests")
        assert not model.objects.exists()

    def test_bulk_create_sanitises_too(self):
        section = SectionFactory()
        Article.objects.bulk_create(
            [Article(headline="Bulk", slug="bulk", section=section, body=self.HOSTILE)]
        )
        assert Article.objects.get(slug="bulk").body == "<p>Hi<a>x</a></p>"

    def test_links_keep_only_http_https_mailto_and_site_paths(self):
        body = "".join(
            f'<p><a href="{href}">l</a></p>'
            for href in ["https://a.example/", "http://b.example/", "mailto:desk@example.org"]
            + ["/donate/", "ftp://c.example/", "tel:+100", "javascript:x", "data:,x"]
        )
        appeal = DonationAppealFactory(message=body)
        hrefs = [a.get("href") for a in BeautifulSoup(appeal.message, "html.parser")("a")]
        assert hrefs == ["https://a.example/", "http://b.example/", "mailto:desk@example.org"] + [
            "/donate/",
            None,
            None,
            None,
            None,
        ]


@pytest.mark.django_db
class TestAdminForms:
    """Over the caps in the admin: a field error on the form, never a 500, nothing saved."""

    def test_a_too_deep_article_body_is_a_field_error(self, admin_client):
        add = reverse("admin:articles_article_add")
        data = form_data(admin_client.get(add), "article_form")
        data.update(
            headline="Deep",
            slug="deep",
            section=SectionFactory().pk,
            body=nested(settings.RICH_TEXT_MAX_DEPTH + 1),
        )
        response = admin_client.post(add, data)

        assert response.status_code == 200
        errors = soup_of(response).select(".field-body .errorlist li")
        assert [error.get_text() for error in errors] == [
            "This text nests lists, quotes or other elements more than 20 levels deep. "
            "Flatten it, or paste it as plain text."
        ]
        assert not Article.objects.exists()

    def test_a_too_long_appeal_message_is_a_field_error(self, admin_client, settings):
        settings.RICH_TEXT_MAX_BYTES = 1000
        add = reverse("admin:articles_donationappeal_add")
        data = form_data(admin_client.get(add), "donationappeal_form")
        data.update(title="Long", url="/donate/", message="<p>" + "word " * 400 + "</p>")
        response = admin_client.post(add, data)

        assert response.status_code == 200
        errors = soup_of(response).select(".field-message .errorlist li")
        assert [error.get_text() for error in errors] == [
            "This text is too long: 3 KB, where the limit is 1 KB. "
            "Split it, or remove what was pasted in by mistake."
        ]
        assert not DonationAppeal.objects.exists()

    def test_a_too_deep_issue_intro_is_a_field_error(self, admin_client):
        issue = IssueFactory()
        change = reverse("admin:newsletter_issue_change", args=[issue.pk])
        data = form_data(admin_client.get(change), "issue_form")
        data["intro"] = nested(settings.RICH_TEXT_MAX_DEPTH + 1, tag="ul><li")
        response = admin_client.post(change, data)

        assert response.status_code == 200
        assert soup_of(response).select(".field-intro .errorlist li")
        issue.refresh_from_db()
        assert issue.intro == ""
        assert Issue.objects.count() == 1
