"""Reader search: PostgreSQL full-text search in production, a plain fallback on SQLite.

Both return the public articles that match, best first, each with a `snippet`: the text
around the match, HTML-escaped, with the matching words in <mark>.
"""

import html
import re
from functools import reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import text
from articles.models import Article

MAX_QUERY_LENGTH = 200
MAX_PLAIN_WORDS = 10
SNIPPET_WORDS = 35
# A word in most articles ("ports") would have PostgreSQL rank every one of them: the newest
# this many matches are ranked, best first, and are what a reader can page through.
RANKED_WINDOW = 1000
CONFIG = "english"
SLUG = re.compile(r"[-\w]+")

# ts_headline wraps matches in these; characters from Unicode's private use area never occur in
# an article, so the snippet can be escaped first and marked up afterwards.
START, STOP = "\ue000", "\ue001"
SENTINELS = re.compile(f"([{START}{STOP}])")


class SearchResults:
    """The hits for one query, best first. Reading a slice (a page) gives each its `snippet`.

    Paginator takes any sliceable object with count(), as this is."""

    def __init__(self, query, queryset, snippet, window=None):
        self.query = query
        self.queryset = queryset
        self._snippet = snippet
        self.window = window
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    @property
    def is_window_full(self):
        """True when there are more matches than the ranked window holds."""
        return self.window is not None and self.count() >= self.window

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        articles = list(self.queryset[key])
        for article in articles:
            article.snippet = self._snippet(article)
        return articles

    def __iter__(self):
        return iter(self[:])


def search_articles(query, section=None, kind=None):
    """Public articles matching `query`, optionally in one section (slug) and of one kind.

    An empty query finds nothing; an unknown section finds nothing; an unknown kind is ignored."""
    query = " ".join((query or "").replace("\x00", " ")[:MAX_QUERY_LENGTH].split())
    articles = Article.objects.published().for_listing()
    section = getattr(section, "slug", section)
    if section:
        # A value that cannot be a slug (a NUL byte, say) would be refused by the database.
        valid = SLUG.fullmatch(section)
        articles = articles.filter(section__slug=section) if valid else articles.none()
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    if not query:
        return SearchResults(query, articles.none(), snippet=None)
    if connections[articles.db].vendor == "postgresql":
        return _full_text_search(query, articles)
    return _plain_search(query, articles)


# PostgreSQL ------------------------------------------------------------------------------------


def body_text():
    """The body with its tags turned into spaces, so a tag name (“strong”) is never a match.

    The body is sanitised HTML, in which a “>” inside an attribute is always escaped."""
    return Func(
        F("body"),
        Value("<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


class StoredDocument(Expression):
    """The article's search document as PostgreSQL stores it (migration 0011): search_vector(),
    computed when the row was written, and indexed. The model does not know the column, so
    this names it, in whichever alias the query (or subquery) gives the article table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.search_document", []


def stored_document():
    return StoredDocument()


def search_vector():
    """Headline over dek over body: what migrations 0007 and 0011 store as the document. Change
    them together (tests/articles/test_search.py checks that the two agree)."""
    return (
        SearchVector("headline", config=CONFIG, weight="A")
        + SearchVector("dek", config=CONFIG, weight="B")
        + SearchVector(body_text(), config=CONFIG, weight="C")
    )


def readable_body_text():
    """The body as text to read: a block's tags become a space, an inline tag (<em>) nothing,
    so “<em>Taipei</em>,” reads “Taipei,” and not “Taipei ,”."""
    blocks_spaced = Func(
        F("body"),
        Value(r"<(/?(p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|div|pre)|br|hr)([\s/][^>]*)?>"),
        Value(" "),
        Value("gi"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return Func(
        blocks_spaced,
        Value("<[^>]*>"),
        Value(""),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _escaped(expression):
    """A plain-text column as HTML text, like the body's: the snippet is unescaped as a whole."""
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expression = Replace(expression, Value(character), Value(entity))
    return expression


def _full_text_search(query, articles):
    search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    highlighted = SearchHeadline(
        Concat(_escaped(F("dek")), Value(" "), readable_body_text(), output_field=TextField()),
        search_query,
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=SNIPPET_WORDS,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    newest = (
        articles.alias(document=stored_document())
        .filter(document=search_query)
        .order_by("-published_at", "-pk")
        .values("pk")[:RANKED_WINDOW]
    )
    matches = (
        articles.filter(pk__in=newest)
        .annotate(rank=SearchRank(stored_document(), search_query), highlighted=highlighted)
        .order_by("-rank", "-published_at", "-pk")
    )
    return SearchResults(
        query, matches, snippet=lambda hit: _from_headline(hit.highlighted), window=RANKED_WINDOW
    )


def _from_headline(highlighted):
    """ts_headline's output, with its sentinels, as (text, is_match) pieces, marked up."""
    pieces = []
    inside = False
    for part in SENTINELS.split(highlighted or ""):
        if part in (START, STOP):
            inside = part == START
        elif part:
            pieces.append((html.unescape(part), inside))
    return _mark_up(pieces)


# Everywhere else (SQLite) ----------------------------------------------------------------------


def plain_words(query):
    words = [word.strip("\"'") for word in query.split()]
    return list(dict.fromkeys(word for word in words if word))[:MAX_PLAIN_WORDS]


def _plain_search(query, articles):
    words = plain_words(query)
    if not words:
        return SearchResults(query, articles.none(), snippet=None)
    for word in words:
        articles = articles.filter(
            Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
        )
    in_headline = reduce(or_, (Q(headline__icontains=word) for word in words))
    in_dek = reduce(or_, (Q(dek__icontains=word) for word in words))
    matches = articles.annotate(
        match_place=Case(When(in_headline, then=0), When(in_dek, then=1), default=2)
    ).order_by("match_place", "-published_at", "-pk")
    # A whole word is marked, so “sanction” marks all of “sanctioned”.
    pattern = re.compile(
        r"\w*(?:{})\w*".format("|".join(re.escape(word) for word in words)), re.IGNORECASE
    )
    return SearchResults(query, matches, snippet=lambda article: _excerpt(article, pattern))


def _excerpt(article, pattern):
    """About SNIPPET_WORDS words of the dek and body, from a little before the first match."""
    plain = " ".join([article.dek, *text.paragraphs(article.body)]).strip()
    first = pattern.search(plain)
    words = plain.split()
    start = max(0, len(plain[: first.start()].split()) - 8) if first else 0
    end = start + SNIPPET_WORDS
    window = " ".join(words[start:end])
    pieces = [("… ", False)] if start else []
    position = 0
    for match in pattern.finditer(window):
        pieces += [(window[position : match.start()], False), (match.group(), True)]
        position = match.end()
    pieces.append((window[position:], False))
    if end < len(words):
        pieces.append((" …", False))
    return _mark_up(pieces)


def _mark_up(pieces):
    """Escaped text with the matching pieces in <mark>: the only markup a snippet carries."""
    parts = []
    for piece, is_match in pieces:
        piece = escape(re.sub(r"\s+", " ", piece))
        parts.append(f"<mark>{piece}</mark>" if is_match and piece.strip() else piece)
    return mark_safe("".join(parts).strip())
