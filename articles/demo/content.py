"""The demo magazine's words, read from the TOML files in content/ and checked on the way in.

A fault in a file stops the load before anything is written, with a ContentError that names the
file, the entry and the key."""

import dataclasses
import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from articles.demo.images import MOTIFS
from articles.models import Article

CONTENT_DIR = Path(__file__).parent / "content"
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# "scheduled" is a published article whose time (a negative hours_ago) is still ahead.
STATUSES = (*Article.Status.values, "scheduled")
REQUIRED = object()
TYPE_NAMES = {str: "text", int: "a number", bool: "true or false", list: "a list", dict: "a table"}


class ContentError(Exception):
    """A demo data file that cannot be loaded as it stands."""


@dataclass(frozen=True)
class PictureSpec:
    alt_text: str
    caption: str
    credit: str
    no_credit_needed: bool
    palette: tuple[str, ...]
    motif: str


@dataclass(frozen=True)
class SectionSpec:
    name: str
    slug: str
    description: str
    position: int


@dataclass(frozen=True)
class AuthorSpec:
    name: str
    slug: str
    bio: str
    photo: PictureSpec


@dataclass(frozen=True)
class CorrectionSpec:
    note: str
    hours_ago: int


@dataclass(frozen=True)
class ArticleSpec:
    headline: str
    slug: str
    dek: str
    kind: str
    section: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    topic: str
    hours_ago: int
    status: str
    related: tuple[str, ...]
    corrections: tuple[CorrectionSpec, ...]
    body: str
    image: PictureSpec


@dataclass(frozen=True)
class AppealSpec:
    title: str
    message: str
    button_label: str
    url: str
    starts_days_ago: int
    ends_days_from_now: int


@dataclass(frozen=True)
class NewsletterSpec:
    name: str
    slug: str
    description: str


@dataclass(frozen=True)
class IssueSpec:
    number: int
    subject: str
    preheader: str
    intro: str
    stories: int


@dataclass(frozen=True)
class Magazine:
    sections: tuple[SectionSpec, ...]
    authors: tuple[AuthorSpec, ...]
    articles: tuple[ArticleSpec, ...]
    appeal: AppealSpec
    newsletter: NewsletterSpec
    issue: IssueSpec


class Entry:
    """One table of a data file, read key by key; every fault names where it is."""

    def __init__(self, table, where):
        if not isinstance(table, dict):
            raise ContentError(f"{where}: should be a table of keys, not {table!r}")
        self.table, self.where, self.read = table, where, set()

    def error(self, message):
        return ContentError(f"{self.where}: {message}")

    def value(self, key, kind, default=REQUIRED):
        self.read.add(key)
        if key not in self.table:
            if default is REQUIRED:
                guess = difflib.get_close_matches(key, self.table.keys() - self.read, n=1)
                hint = f" (is “{guess[0]}” a misspelling?)" if guess else ""
                raise self.error(f"“{key}” is missing{hint}")
            return default
        value = self.table[key]
        # TOML's true and false are ints to isinstance().
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            raise self.error(f"“{key}” should be {TYPE_NAMES[kind]}, not {value!r}")
        return value

    def text(self, key, default=REQUIRED):
        value = self.value(key, str, default)
        if default is REQUIRED and not value.strip():
            raise self.error(f"“{key}” is empty")
        return value

    def number(self, key, default=REQUIRED):
        return self.value(key, int, default)

    def flag(self, key):
        return self.value(key, bool, False)

    def texts(self, key, default=REQUIRED):
        values = self.value(key, list, default)
        if not all(isinstance(value, str) and value.strip() for value in values):
            raise self.error(f"“{key}” should be a list of texts, not {values!r}")
        return tuple(values)

    def prose(self, key):
        """Rich text: one string, or a list of HTML blocks (paragraphs, headings…) run together."""
        if isinstance(self.table.get(key), list):
            return "".join(self.texts(key))
        return self.text(key)

    def choice(self, key, choices, default=REQUIRED):
        value = self.text(key, default)
        if value not in choices:
            raise self.error(f"“{key}” is {value!r}, not one of {', '.join(choices)}")
        return value

    def entry(self, key):
        return Entry(self.value(key, dict), f"{self.where}: {key}")

    def entries(self, key, name, default=REQUIRED):
        """The tables of an array of tables, each named by its number and, if it has one, slug."""
        entries = []
        for number, table in enumerate(self.value(key, list, default), 1):
            slug = table.get("slug") if isinstance(table, dict) else None
            where = f"{self.where}: {name} {number}" + (f" ({slug})" if slug else "")
            entries.append(Entry(table, where))
        return entries

    def finish(self):
        """Refuse a key nothing read: a misspelt one would otherwise be ignored."""
        unknown = sorted(self.table.keys() - self.read)
        if unknown:
            known = ", ".join(sorted(self.read))
            raise self.error(f"unknown key “{unknown[0]}” (the keys here are {known})")

    def make(self, spec, **values):
        """`spec` from `values` and, for each field not among them, the text or number under
        the field's name; then no key may be left unread."""
        readers = {str: self.text, int: self.number}
        for field in dataclasses.fields(spec):
            if field.name not in values:
                values[field.name] = readers[field.type](field.name)
        self.finish()
        return spec(**values)


def read_file(directory, name):
    path = Path(directory) / name
    try:
        with path.open("rb") as file:
            return Entry(tomllib.load(file), str(path))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ContentError(f"{path}: {error}") from error


def read_picture(entry):
    picture = entry.make(
        PictureSpec,
        credit=entry.text("credit", ""),
        no_credit_needed=entry.flag("no_credit_needed"),
        palette=entry.texts("palette"),
        motif=entry.choice("motif", MOTIFS),
    )
    if not picture.palette or not all(COLOUR.fullmatch(colour) for colour in picture.palette):
        raise entry.error(f"“palette” should list colours like #2a6f7f, not {picture.palette}")
    return picture


def read_article(entry, sections, authors):
    article = entry.make(
        ArticleSpec,
        kind=entry.choice("kind", Article.Kind.values),
        section=entry.choice("section", sections),
        authors=entry.texts("authors"),
        tags=entry.texts("tags"),
        status=entry.choice("status", STATUSES, "published"),
        related=entry.texts("related", []),
        corrections=tuple(
            correction.make(CorrectionSpec)
            for correction in entry.entries("corrections", "correction", [])
        ),
        body=entry.prose("body"),
        image=read_picture(entry.entry("image")),
    )
    strangers = [slug for slug in article.authors if slug not in authors]
    if not article.authors or strangers:
        raise entry.error(f"“authors” should be slugs from the authors file, not {strangers}")
    if article.topic not in article.tags:
        raise entry.error(f"“topic” {article.topic!r} should be one of its tags")
    return article


def read_all(file, key, read, *context):
    """Every entry of the array of tables `key` read, and no slug twice."""
    specs, seen = [], set()
    for entry in file.entries(key, key):
        spec = read(entry, *context)
        if spec.slug in seen:
            raise entry.error(f"the slug {spec.slug!r} is taken by an earlier entry")
        seen.add(spec.slug)
        specs.append((entry, spec))
    file.finish()
    return specs


def read_issue(entry):
    issue = entry.make(IssueSpec, intro=entry.prose("intro"))
    try:
        issue.subject.format(newsletter="", number=0)
    except (AttributeError, KeyError, IndexError, ValueError) as error:
        message = f"“subject” may use {{newsletter}} and {{number}}, no more: {error}"
        raise entry.error(message) from error
    return issue


def load(directory=CONTENT_DIR):
    """The whole demo magazine, as the files in `directory` describe it."""
    sections = read_all(
        read_file(directory, "sections.toml"), "section", lambda entry: entry.make(SectionSpec)
    )
    authors = read_all(
        read_file(directory, "authors.toml"),
        "author",
        lambda entry: entry.make(AuthorSpec, photo=read_picture(entry.entry("photo"))),
    )
    articles = read_all(
        read_file(directory, "articles.toml"),
        "article",
        read_article,
        [section.slug for _, section in sections],
        {author.slug for _, author in authors},
    )
    slugs = {article.slug for _, article in articles}
    for entry, article in articles:
        strangers = [slug for slug in article.related if slug not in slugs or slug == article.slug]
        if strangers:
            raise entry.error(f"“related” should name other articles in the file, not {strangers}")
    appeal = read_file(directory, "appeal.toml")
    newsletter = read_file(directory, "newsletter.toml")
    magazine = Magazine(
        sections=tuple(section for _, section in sections),
        authors=tuple(author for _, author in authors),
        articles=tuple(article for _, article in articles),
        appeal=appeal.make(AppealSpec, message=appeal.prose("message")),
        newsletter=newsletter.entry("newsletter").make(NewsletterSpec),
        issue=read_issue(newsletter.entry("issue")),
    )
    newsletter.finish()
    return magazine
