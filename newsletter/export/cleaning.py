"""The email's last pass: its body cleaned again by an allow-list (nh3), links rewritten in
the same pass, so text inside an attribute never becomes markup."""

import re
from html.parser import HTMLParser

import nh3

from newsletter.export.errors import ExportError
from newsletter.export.links import IMAGE_SCHEMES, LINK_SCHEMES, url_scheme

# What the email's body may hold once cleaned again: the template's elements and attributes, the
# intro's rich text (settings.RICH_TEXT_EXTENSIONS), and the CSS properties issue.css sets,
# which css-inline copies into style attributes. Its classes stay for the @media rules.
EMAIL_TAGS = frozenset(
    {"div", "table", "tbody", "tr", "td", "p", "h1", "h2", "a", "img"}
    | {"h3", "strong", "em", "ul", "ol", "li", "blockquote", "br"}
)
EMAIL_ATTRIBUTES = {
    "*": {"class", "style"},
    "table": {"role", "width", "cellpadding", "cellspacing", "border", "align"},
    "td": {"align"},
    "a": {"href", "title", "rel"},
    "img": {"src", "srcset", "width", "height", "alt"},
    "ol": {"start", "type"},
}
EMAIL_STYLE_PROPERTIES = frozenset(
    {"background-color", "color", "opacity", "display", "overflow", "width", "max-width"}
    | {"max-height", "margin", "padding", "padding-left", "padding-top", "text-align"}
    | {"border", "border-bottom", "border-left", "border-top", "border-collapse", "outline"}
    | {"font-family", "font-size", "font-style", "font-weight", "letter-spacing"}
    | {"line-height", "text-decoration", "text-transform", "mso-hide"}
    | {"-webkit-text-size-adjust"}
)


def clean_email(document, rewrite_href):
    """The inlined `document` with its body cleaned again by the email allow-list, each link's
    address replaced by `rewrite_href(address)` (None drops the link's href) and each picture's
    kept only on http(s). The head is the template's: its title escaped, its one <style> the
    @media rules css-inline kept."""

    def attribute_filter(tag, attribute, value):
        match attribute:
            case "href":
                return rewrite_href(value)
            case "src":
                return value if url_scheme(value) in IMAGE_SCHEMES else None
            case "srcset":
                urls = [(candidate.split() or [""])[0] for candidate in value.split(",")]
                return value if all(url_scheme(url) in IMAGE_SCHEMES for url in urls) else None
        return value

    start, end = body_span(document)
    body = nh3.clean(
        document[start:end],
        tags=EMAIL_TAGS,
        attributes=EMAIL_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=LINK_SCHEMES,
        filter_style_properties=EMAIL_STYLE_PROPERTIES,
        link_rel=None,
    )
    return document[:start] + body + document[end:]


class BodyTags(HTMLParser):
    """Where the document's <body> start tag ends and its </body> begins, as (line, column)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.start = self.end = None

    def handle_starttag(self, tag, attrs):
        if tag == "body" and self.start is None:
            self.start = (self.getpos(), len(self.get_starttag_text()))

    def handle_endtag(self, tag):
        if tag == "body":
            self.end = self.getpos()


def body_span(document):
    """The offsets in `document` between which the body's content lies."""
    tags = BodyTags()
    tags.feed(document)
    tags.close()
    if tags.start is None or tags.end is None:
        raise ExportError("The email template must have a <body>.")
    line_starts = [0] + [match.end() for match in re.finditer("\n", document)]
    (line, column), length = tags.start
    start = line_starts[line - 1] + column + length
    line, column = tags.end
    return start, line_starts[line - 1] + column
