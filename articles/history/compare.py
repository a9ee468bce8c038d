"""Two saved versions of an article side by side: a word-by-word diff of its texts and body,
a table of its other fields, and which two versions a request asks for."""

import difflib
import operator
from dataclasses import dataclass
from functools import reduce
from itertools import zip_longest

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from taggit.models import Tag

from articles import text
from articles.models import Article, Author, Section

# Unchanged paragraphs kept on each side of a change; longer runs fold into “N unchanged”.
CONTEXT_BLOCKS = 1


@dataclass(frozen=True)
class Chunk:
    kind: str  # "same", "del" or "ins"
    text: str


@dataclass(frozen=True)
class Block:
    """One paragraph, heading or list item of the body diff, or a fold of unchanged ones."""

    kind: str  # "same", "changed", "del", "ins" or "gap"
    chunks: tuple = ()
    count: int = 0


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    before: list
    after: list

    @property
    def changed(self):
        return [chunk.text for chunk in self.before] != [chunk.text for chunk in self.after]


def word_diff(old, new):
    """`old` → `new` as chunks of unchanged, deleted and inserted words."""
    old_words, new_words = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    chunks = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append(Chunk("same", " ".join(old_words[i1:i2])))
        if op in ("delete", "replace"):
            chunks.append(Chunk("del", " ".join(old_words[i1:i2])))
        if op in ("insert", "replace"):
            chunks.append(Chunk("ins", " ".join(new_words[j1:j2])))
    return chunks


def body_diff(old_html, new_html):
    """The body's text blocks, matched block by block, then word by word within a changed one."""
    old, new = text.paragraphs(old_html), text.paragraphs(new_html)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    blocks = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            blocks.extend(Block("same", (Chunk("same", block),)) for block in old[i1:i2])
            continue
        for before, after in zip_longest(old[i1:i2], new[j1:j2]):
            if after is None:
                blocks.append(Block("del", (Chunk("del", before),)))
            elif before is None:
                blocks.append(Block("ins", (Chunk("ins", after),)))
            else:
                blocks.append(Block("changed", tuple(word_diff(before, after))))
    return fold_unchanged(blocks)


def fold_unchanged(blocks):
    """Fold each long run of unchanged blocks, keeping a little context next to the changes."""
    result = []
    start = 0
    while start < len(blocks):
        if blocks[start].kind != "same":
            result.append(blocks[start])
            start += 1
            continue
        end = start
        while end < len(blocks) and blocks[end].kind == "same":
            end += 1
        head = CONTEXT_BLOCKS if start > 0 else 0
        tail = CONTEXT_BLOCKS if end < len(blocks) else 0
        run = blocks[start:end]
        if len(run) > head + tail + 1:
            result.extend(run[:head])
            result.append(Block("gap", count=len(run) - head - tail))
            result.extend(run[len(run) - tail :])
        else:
            result.extend(run)
        start = end
    return result


def compare_items(name, label, before, after):
    """A field row: items only on the left are deletions, items only on the right insertions."""
    return FieldRow(
        name,
        label,
        [Chunk("same" if item in after else "del", item) for item in before],
        [Chunk("same" if item in before else "ins", item) for item in after],
    )


class Names:
    """Display names for what two snapshots refer to, looked up in one query per model."""

    def __init__(self, *snapshots):
        author_ids, article_ids, section_ids, tag_ids = set(), set(), set(), set()
        self.stored_tags = {}
        for snapshot in snapshots:
            author_ids.update(row["author_id"] for row in snapshot.bylines)
            article_ids.update(row["related_id"] for row in snapshot.picks)
            section_ids.add(snapshot.fields.get("section_id"))
            tag_ids.update(snapshot.tags)
            tag_ids.add(snapshot.fields.get("topic_id"))
            self.stored_tags.update((pk, tag) for pk, tag in snapshot.tags.items() if tag)
        self.authors = Author.objects.in_bulk(author_ids - {None})
        self.articles = dict(
            Article.objects.filter(pk__in=article_ids).values_list("pk", "headline")
        )
        self.sections = Section.objects.in_bulk(section_ids - {None})
        self.tags = dict(Tag.objects.filter(pk__in=tag_ids - {None}).values_list("pk", "name"))

    def author(self, pk):
        author = self.authors.get(pk)
        return author.name if author else f"(deleted author #{pk})"

    def article(self, pk):
        return self.articles.get(pk, f"(deleted article #{pk})")

    def section(self, pk):
        section = self.sections.get(pk)
        return section.name if section else f"(deleted section #{pk})"

    def tag(self, pk):
        # The name the tag had in that version, when the revision holds it.
        if pk in self.stored_tags:
            return self.stored_tags[pk]["name"]
        return self.tags.get(pk, f"(deleted tag #{pk})")


def status_label(value):
    return Article.Status(value).label if value in Article.Status.values else value


def kind_label(value):
    return Article.Kind(value).label if value in Article.Kind.values else value


def moment(value):
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else None


def field_rows(old, new):
    names = Names(old, new)

    def values(snapshot):
        fields = snapshot.fields
        section, topic = fields.get("section_id"), fields.get("topic_id")
        return {
            "status": [status_label(fields.get("status"))],
            "published_at": [moment(fields.get("published_at"))],
            "kind": [kind_label(fields.get("kind"))],
            "section": [names.section(section)] if section else [],
            "topic": [names.tag(topic)] if topic else [],
            "tags": sorted((names.tag(pk) for pk in snapshot.tags), key=str.casefold),
            "byline": [names.author(row["author_id"]) for row in snapshot.bylines],
            "related": [names.article(row["related_id"]) for row in snapshot.picks],
        }

    labels = {
        "status": "Status",
        "published_at": "Published",
        "kind": "Kind",
        "section": "Section",
        "topic": "Topic",
        "tags": "Tags",
        "byline": "Byline",
        "related": "Related stories",
    }
    before, after = values(old), values(new)
    return [
        compare_items(
            name,
            label,
            [item for item in before[name] if item],
            [item for item in after[name] if item],
        )
        for name, label in labels.items()
    ]


def text_diffs(old, new):
    """Word diffs of the article's short texts; the teaser only when either side has one."""
    diffs = []
    for name, label in [("headline", "Headline"), ("dek", "Dek"), ("teaser", "Teaser")]:
        before, after = old.fields.get(name) or "", new.fields.get(name) or ""
        if name == "teaser" and not (before or after):
            continue
        diffs.append({"name": name, "label": label, "chunks": word_diff(before, after)})
    return diffs


# Choosing what to compare.


class UnreadableChoice(ValueError):
    """The query string names versions in a way that cannot be read."""


def parse_number(value, name):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UnreadableChoice(
            f"“{name}” should be a version number, not “{value or ''}”."
        ) from None


def version_numbered(versions, number):
    """The newest of `versions` that stored Article.version `number`.

    Every save moves the number on, so the scan stops at the first version below it."""
    for version in versions.iterator(chunk_size=20):
        stored = version.field_dict.get("version")
        if stored == number:
            return version
        if stored is not None and stored < number:
            break
    return None


def chosen_versions(versions, params):
    """The versions to compare, older first, and a note on what was chosen.

    `?a=&b=` name two of the article's versions; `?since=N` is the version an editor started
    from; with neither, the two latest."""
    if "a" in params or "b" in params:
        pks = {parse_number(params.get("a"), "a"), parse_number(params.get("b"), "b")}
        # `pk=` rather than `pk__in=`: only the exact lookup treats an out-of-range number
        # as matching nothing instead of failing in the database driver.
        found = versions.filter(reduce(operator.or_, (Q(pk=pk) for pk in pks)))
        if len(found) != len(pks):
            raise Http404("No such version of this article.")
        return sorted(found, key=lambda version: (version.revision.date_created, version.pk)), ""
    latest = list(versions[:2])
    since = params.get("since", "").strip()
    if since:
        number = parse_number(since, "since")
        started_from = version_numbered(versions, number)
        if started_from is not None and latest and started_from != latest[0]:
            return [started_from, latest[0]], f"What changed since version {number}."
        if started_from is None:
            return latest[::-1], (
                f"No saved revision holds version {number}; showing the two latest versions."
            )
    return latest[::-1], ""
