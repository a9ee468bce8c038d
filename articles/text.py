"""Plain-text views of sanitised rich text: teasers, openings, word counts."""

from html.parser import HTMLParser

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


def excerpt(html, words=40):
    return Truncator(" ".join(paragraphs(html))).words(words, truncate="…")


def continuation(html, start, end):
    """The words `start` to `end` of the text, marked as picking up where a teaser stopped."""
    words = " ".join(paragraphs(html)).split()
    if len(words) <= start:
        return ""
    rest = " ".join(words[start:end])
    return f"…{rest}{'…' if len(words) > end else ''}"


def word_count(html):
    return sum(len(p.split()) for p in paragraphs(html))
