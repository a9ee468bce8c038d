"""The email's plain-text part: the intro as paragraphs, every line wrapped at 78 columns and
every URL on a line of its own, tagged."""

import re
import textwrap
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.conf import settings
from django.template.loader import render_to_string

from articles.text import BLOCKS
from newsletter.export.context import issue_context
from newsletter.export.links import tag_url

TEXT_WIDTH = 78
URL = re.compile(r"(https?://\S+)")
TRAILING_PUNCTUATION = re.compile(r"[.,;:!?)\]’”\"']*")


def render_text(issue, dialect="generic", recipient=None):
    return email_text(issue_context(issue, dialect, recipient))


def email_text(context):
    """The text part from the issue's context: every URL tagged, the unsubscribe link last."""
    issue = context["issue"]
    plain = render_to_string(
        "newsletter/email/issue.txt",
        {**context, "intro_paragraphs": intro_paragraphs(issue.intro), "rule": "-" * TEXT_WIDTH},
    )
    lines = wrap_text(plain).split("\n")
    lines = [tag_url(line, issue) if URL.fullmatch(line) else line for line in lines]
    return "\n".join(lines).replace(context["unsubscribe_href"], context["unsubscribe"])


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
    parser = IntroText()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


class IntroText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self._current = []
        self._link = None
        self._address = None

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
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
        if tag in BLOCKS:
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
