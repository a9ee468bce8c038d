"""The email-ready export of a newsletter issue: HTML, plain text, a whole .eml, and JSON.

Every format starts from the same checked list of items; every link in the HTML and the text
goes through `tag_url`; the unsubscribe link goes in last, so nothing rewrites it. The HTML is
changed only through a parser: nh3 cleans the email's body by an allow-list and rewrites its links
in the same pass, so text inside an attribute never becomes markup.
"""

import json
import re
import secrets
import textwrap
from email.headerregistry import Address, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import css_inline
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone

from articles import dates, text
from articles.models import Article, Rendition, stored_renditions
from newsletter import tokens
from newsletter.validators import ENCODED_WORD

FORMATS = ("html", "text", "eml", "json")
DIALECTS = ("none", "mailchimp", "generic")

# Gmail shows "[Message clipped]" from this size on, hiding the rest, unsubscribe link included.
GMAIL_CLIP_BYTES = 102_000
COLUMN_WIDTH = 600
# A picture fills the column; 2× screens get one twice as wide where the client reads srcset.
RETINA_WIDTH = 2 * COLUMN_WIDTH
TEXT_WIDTH = 78
MERGE_TAGS = {"mailchimp": "*|UNSUB|*", "generic": "{{ unsubscribe_url }}"}
# Stands in for the unsubscribe link until the end: a merge tag's braces would meet the
# template engine, and a real link must escape the UTM tagging. Each export adds a random path,
# so no text typed into an issue can be taken for it; https (on a domain no one can own) so the
# sanitiser keeps it.
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/"
PREHEADER_FILLER = 60

INLINER = css_inline.CSSInliner(
    keep_at_rules=True, load_remote_stylesheets=False, keep_link_tags=False, minify_css=True
)
URL = re.compile(r"(https?://\S+)")
MERGE_TAG = re.compile(r"\*\|.*?\|\*|\{\{.*?\}\}|\{%.*?%\}")
TRAILING_PUNCTUATION = re.compile(r"[.,;:!?)\]’”\"']*")

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
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})


class ExportError(Exception):
    """Why an issue cannot be exported, in words for the newsletter staff."""


class _UnfoldedHeader(UnstructuredHeader):
    """Left on one line: folding would turn a long URL into encoded words no client reads."""

    def fold(self, *, policy):
        if not str(self).isascii():
            return super().fold(policy=policy)
        return f"{self.name}: {self}{policy.linesep}"


_headers = HeaderRegistry()
_headers.map_to_type("list-unsubscribe", _UnfoldedHeader)
EMAIL_POLICY = SMTP.clone(header_factory=_headers)


def export_issue(issue, fmt, dialect=None, recipient=None):
    """Return (content, content type, file name) of `issue` in `fmt`."""
    name = f"{issue.newsletter.slug}-{issue.number}"
    match fmt:
        case "html":
            html = render_html(issue, dialect or "generic", recipient)
            return html.encode(), "text/html; charset=utf-8", f"{name}.html"
        case "text":
            plain = render_text(issue, dialect or "generic", recipient)
            return plain.encode(), "text/plain; charset=utf-8", f"{name}.txt"
        case "eml":
            return build_eml(issue, dialect or "none", recipient), "message/rfc822", f"{name}.eml"
        case "json":
            return issue_json(issue).encode(), "application/json", f"{name}.json"
    raise ExportError(f"Unknown format “{fmt}”: choose one of {', '.join(FORMATS)}.")


def render_html(issue, dialect="generic", recipient=None):
    return _html(_context(issue, dialect, recipient))


def render_text(issue, dialect="generic", recipient=None):
    return _text(_context(issue, dialect, recipient))


def build_eml(issue, dialect="none", recipient=None):
    """The whole message as bytes: a text part, then an HTML part, with list headers."""
    context = _context(issue, dialect, recipient)
    html, plain = _html(context), _text(context)
    newsletter = issue.newsletter
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    host = urlsplit(settings.SITE_URL).hostname

    message = EmailMessage(policy=EMAIL_POLICY)
    # Collapsing whitespace removes CR and LF, so no text of ours can start a header.
    message["Subject"] = header_text(issue.subject, "subject")
    try:
        message["From"] = Address(
            display_name=header_text(newsletter.from_name or settings.SITE_NAME, "sender name"),
            addr_spec=sender,
        )
    except (ValueError, IndexError) as error:
        raise ExportError(
            f"DEFAULT_FROM_EMAIL ({settings.DEFAULT_FROM_EMAIL!r}) has no usable address."
        ) from error
    if context["recipient"]:
        message["To"] = Address(addr_spec=_header_address(context["recipient"]))
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain=host)
    list_name = header_text(newsletter.name, "newsletter name")
    message["List-Id"] = f"{list_name} <{newsletter.slug}.{host}>"
    message["List-Unsubscribe"] = f"<{context['unsubscribe']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(plain, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


def issue_json(issue):
    """The issue for other tools (social posts, archives): plain data, links already tagged."""
    base = site_url()
    items = checked_items(issue)
    newsletter = issue.newsletter
    data = {
        "newsletter": {"name": newsletter.name, "slug": newsletter.slug},
        "number": issue.number,
        "subject": issue.subject,
        "preheader": issue.preheader,
        "intro_html": issue.intro,
        "status": issue.status,
        "campaign": issue.campaign,
        "web_url": urljoin(base, issue.get_absolute_url()),
        "items": [
            {
                "position": item.position,
                "headline": item.article.headline,
                "dek": item.article.dek,
                "blurb": item.get_blurb(),
                "url": tag_url(urljoin(base, item.article.get_absolute_url()), issue),
                "section": item.article.section.name,
                "authors": [author.name for author in item.article.ordered_authors],
                "image": _image_json(item.article.top_image),
            }
            for item in items
        ],
        "generated_at": dates.iso(timezone.now()),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def tag_url(url, issue):
    """Make `url` absolute and, when it points at our own site, add the issue's UTM parameters.

    A link that already carries utm_ parameters, the unsubscribe link, links to other hosts and
    anything that is not http(s) (mailto:, merge tags) pass through unchanged."""
    if MERGE_TAG.search(url):
        return url
    url = urljoin(settings.SITE_URL, url)
    try:
        parts = urlsplit(url)
        own_site = parts.hostname == urlsplit(settings.SITE_URL).hostname
    except ValueError:
        return url
    if parts.scheme not in {"http", "https"} or not own_site or is_unsubscribe_path(parts.path):
        return url
    if any(key.lower().startswith("utm_") for key, _ in parse_qsl(parts.query, True)):
        return url
    utm = urlencode(
        {
            "utm_source": issue.newsletter.slug,
            "utm_medium": "email",
            "utm_campaign": issue.campaign,
        }
    )
    # Appended to the query as written, so the other parameters keep their exact encoding.
    return parts._replace(query=f"{parts.query}&{utm}" if parts.query else utm).geturl()


def is_unsubscribe_path(path):
    try:
        return resolve(path).view_name == "newsletter:unsubscribe"
    except Resolver404:
        return False


def site_url():
    """SITE_URL, which production must serve over https: links and images in mail use it."""
    url = settings.SITE_URL
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ExportError(f"SITE_URL ({url!r}) must be the site's full address, like https://….")
    if not settings.DEBUG and parts.scheme != "https":
        raise ExportError(
            f"SITE_URL is {url}, but email sent from production must link to https:// "
            "addresses. Set SITE_URL to the site's https address."
        )
    return url


def checked_items(issue):
    """The issue's items in order; refuse an empty issue or one with stories readers cannot open."""
    items = list(issue.ordered_items())
    if not items:
        raise ExportError(f"“{issue}” has no stories. Add at least one before exporting.")
    public = set(
        Article.objects.published()
        .filter(pk__in=[item.article_id for item in items])
        .values_list("pk", flat=True)
    )
    hidden = [item.article.headline for item in items if item.article_id not in public]
    if hidden:
        headlines = "; ".join(f"“{headline}”" for headline in hidden)
        raise ExportError(
            f"Readers cannot open these stories yet: {headlines}. "
            "Publish them, or take them out of the issue, before exporting."
        )
    return items


def one_line(value):
    return " ".join(value.split())


def header_text(value, what):
    """`value` on one line, for a header; refuse an encoded word typed into it, which mail
    programs would decode (line breaks included) into something else than staff wrote."""
    value = one_line(value)
    if ENCODED_WORD.search(value):
        raise ExportError(
            f"The {what} contains “=?…?=”, which mail programs decode as hidden text. "
            "Take it out before exporting."
        )
    return value


def credit_line(image):
    """“Photo: …” from the image's credit, whether or not the editor typed “Photo:” already."""
    credit = image.credit.strip() or settings.SITE_NAME
    credit = re.sub(r"^photo\s*:\s*", "", credit, flags=re.I)
    return f"Photo: {credit}"


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

    start, end = _body_span(document)
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


def url_scheme(url):
    """The scheme of `url`, lowercased; "" for a relative address or one that cannot be parsed.

    urlsplit, like a browser, skips leading spaces and controls and drops tabs and newlines,
    so "java\tscript:" reads as javascript."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def wrap_text(plain, width=TEXT_WIDTH):
    """Wrap each line at `width` columns, giving every URL a line of its own so none is broken."""
    lines = []
    for line in plain.splitlines():
        if not line.strip():
            lines.append("")
        for index, piece in enumerate(URL.split(line)):
            if index % 2:
                lines.append(piece)
            elif piece := piece.strip():
                indent = "  " if piece.startswith("- ") else ""
                lines += textwrap.wrap(
                    piece, width, subsequent_indent=indent, break_on_hyphens=False
                )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def intro_paragraphs(html):
    """The intro's paragraphs as plain text, each link followed by its address."""
    parser = _IntroText()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


class _BodyTags(HTMLParser):
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


def _body_span(document):
    """The offsets in `document` between which the body's content lies."""
    tags = _BodyTags()
    tags.feed(document)
    tags.close()
    if tags.start is None or tags.end is None:
        raise ExportError("The email template must have a <body>.")
    line_starts = [0] + [match.end() for match in re.finditer("\n", document)]
    (line, column), length = tags.start
    start = line_starts[line - 1] + column + length
    line, column = tags.end
    return start, line_starts[line - 1] + column


class _IntroText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self._current = []
        self._link = None
        self._address = None

    def handle_starttag(self, tag, attrs):
        if tag in text.BLOCKS:
            self._flush()
        if tag == "li":
            self._current.append("- ")
        elif tag == "br":
            self._current.append(" ")
        elif tag == "a":
            self._link = (dict(attrs).get("href") or "", len(self._current))

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            href, start = self._link
            label = "".join(self._current[start:]).strip()
            if href and label != href:
                self._address = urljoin(settings.SITE_URL, href)
            self._link = None
        if tag in text.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._address:
            # After the punctuation that closes the link's phrase: no line holds only “.”.
            punctuation = TRAILING_PUNCTUATION.match(data)[0]
            self._current.append(f"{punctuation} {self._address} ")
            self._address, data = None, data[len(punctuation) :]
        self._current.append(data)

    def close(self):
        super().close()
        self._flush()

    def _flush(self):
        if self._address:
            self._current.append(f" {self._address}")
            self._address = None
        paragraph = " ".join("".join(self._current).split())
        if paragraph:
            self.paragraphs.append(paragraph)
        self._current = []


def _context(issue, dialect, recipient):
    """What both the HTML and the text template show, checked once."""
    base = site_url()
    if dialect not in DIALECTS:
        raise ExportError(f"Unknown dialect “{dialect}”: choose one of {', '.join(DIALECTS)}.")
    recipient = _recipient(recipient)
    if dialect == "none":
        if not recipient:
            raise ExportError(
                "A real unsubscribe link is made for one reader: give the recipient's address, "
                "or use the mailchimp or generic dialect and let the email service fill it in."
            )
        unsubscribe = tokens.unsubscribe_url(issue.newsletter, recipient)
    else:
        unsubscribe = MERGE_TAGS[dialect]
    items = checked_items(issue)
    return {
        "issue": issue,
        "newsletter": issue.newsletter,
        "subject": one_line(issue.subject),
        "issue_date": timezone.localdate(issue.sent_at) if issue.sent_at else timezone.localdate(),
        "intro_paragraphs": intro_paragraphs(issue.intro),
        "items": [_item(item, base) for item in items],
        "web_url": urljoin(base, issue.get_absolute_url()),
        "site_url": urljoin(base, "/"),
        "site_name": settings.SITE_NAME,
        "unsubscribe_href": UNSUBSCRIBE_PLACEHOLDER + secrets.token_urlsafe(16),
        "unsubscribe": unsubscribe,
        "recipient": recipient,
        "preheader_filler": range(PREHEADER_FILLER),
        "rule": "-" * TEXT_WIDTH,
    }


def _recipient(address):
    if not address:
        return None
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise ExportError(f"“{address}” is not an email address.") from error
    return address


def _header_address(address):
    """The address as a header carries it: an international domain in its ASCII (IDNA) form."""
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise ExportError(f"“{address}” cannot be written in a header without SMTPUTF8.")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def _item(item, base):
    article = item.article
    return {
        "headline": article.headline,
        "url": urljoin(base, article.get_absolute_url()),
        "section": article.section.name,
        "section_url": urljoin(base, article.section.get_absolute_url()),
        "blurb": item.get_blurb(),
        # The text part leads with the editor's blurb, else the dek the desk wrote for the story.
        "summary": item.blurb or article.dek or article.teaser_text,
        "image": _image(article, base) if article.top_image else None,
    }


def email_files(image):
    """(url, width, height) of the picture for the column, and of the one for 2× screens or
    None: JPEG renditions (what every mail client shows), the narrowest at least as wide as
    each; until they exist the display copy alone. None when it has neither. Never the
    original, which is private and may be a camera's full-size file."""
    jpegs = [
        (rendition.url, rendition.width, rendition.height)
        for rendition in stored_renditions(image)
        if rendition.format == Rendition.Format.JPEG
    ]
    if jpegs:
        column = next((jpeg for jpeg in jpegs if jpeg[1] >= COLUMN_WIDTH), jpegs[-1])
        retina = next((jpeg for jpeg in jpegs if jpeg[1] >= RETINA_WIDTH), jpegs[-1])
        return column, retina if retina[1] > column[1] else None
    if image.display_file:
        return (image.display_file.url, image.display_width, image.display_height), None
    return None


def _image(article, base):
    image = article.top_image
    files = email_files(image)
    if files is None or not all(files[0][1:]):
        raise ExportError(
            f"The picture of “{article.headline}” has no copy fit to send yet; "
            "upload it again in the photo library."
        )
    (url, width, height), retina = files
    src = urljoin(base, url)
    if not settings.DEBUG and urlsplit(src).scheme != "https":
        raise ExportError(f"The picture of “{article.headline}” is served from {src}, not https.")
    return {
        "src": src,
        "srcset": f"{src} 1x, {urljoin(base, retina[0])} 2x" if retina else "",
        "width": COLUMN_WIDTH,
        "height": round(COLUMN_WIDTH * height / width),
        "alt": image.alt_text,
        "credit_line": credit_line(image),
    }


def _image_json(image):
    files = email_files(image) if image is not None else None
    if files is None:
        return None
    (url, width, height), retina = files
    return {
        "url": urljoin(settings.SITE_URL, url),
        "width": width,
        "height": height,
        "url_2x": urljoin(settings.SITE_URL, retina[0]) if retina else None,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit or settings.SITE_NAME,
    }


def _html(context):
    issue = context["issue"]

    def rewrite_href(url):
        if url == context["unsubscribe_href"]:
            # Our own: a signed https link, or the email service's merge tag.
            return context["unsubscribe"]
        url = tag_url(url, issue)
        return url if url_scheme(url) in LINK_SCHEMES else None

    document = INLINER.inline(render_to_string("newsletter/email/issue.html", context))
    html = clean_email(document, rewrite_href)
    size = len(html.encode())
    if size >= GMAIL_CLIP_BYTES:
        raise ExportError(
            f"The email is {size:,} bytes. Gmail clips messages of {GMAIL_CLIP_BYTES:,} bytes "
            "or more, hiding the end (and the unsubscribe link). Drop an item or shorten "
            "some blurbs."
        )
    return html


def _text(context):
    issue = context["issue"]
    lines = wrap_text(render_to_string("newsletter/email/issue.txt", context)).split("\n")
    lines = [tag_url(line, issue) if URL.fullmatch(line) else line for line in lines]
    return "\n".join(lines).replace(context["unsubscribe_href"], context["unsubscribe"])
