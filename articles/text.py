"""Plain-text views of sanitised rich text: teasers, openings, word counts."""

from html.parser import HTMLParser
from typing import NamedTuple

from django.utils.text import Truncator

BLOCKS = {"p", "h2", "h3", "li", "blockquote"}


class _Paragraphs(HTMLParser):
    """Collect the text of each block element, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self._current = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._flush()
        if tag == "br":
            self._current.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        self._current.append(data)

    def _flush(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.paragraphs.append(text)
        self._current = []

    def close(self):
        super().close()
        self._flush()


def paragraphs(html):
    """Return the plain text of each paragraph-like block of `html`."""
    parser = _Paragraphs()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


def plain_text(html):
    return "\n\n".join(paragraphs(html))


class Summary(NamedTuple):
    """What pages show of a story without its body, worked out once when it is saved."""

    teaser: str
    opening_rest: str
    reading_minutes: int


def summarise(plain, teaser="", teaser_words=40, opening_words=160, words_per_minute=230):
    """The teaser (the editor's, else the opening words), what “keep reading” reveals beyond
    it, and the reading time, of a story whose text is `plain` (see `plain_words`)."""
    words = plain.split()
    minutes = max(1, round(len(words) / words_per_minute))
    if teaser:
        return Summary(teaser, _first(words, opening_words), minutes)
    rest = _between(words, teaser_words, opening_words)
    return Summary(_first(words, teaser_words), rest, minutes)


def plain_words(html):
    """The text of every paragraph-like block of `html`, one space between words."""
    return " ".join(paragraphs(html))


def _first(words, count):
    return Truncator(" ".join(words[: count + 1])).words(count, truncate="…")


def _between(words, start, end):
    """The words `start` to `end`, marked as picking up where a teaser stopped."""
    if len(words) <= start:
        return ""
    rest = " ".join(words[start:end])
    return f"…{rest}{'…' if len(words) > end else ''}"
