"""An article's saved versions: the history page, a readable comparison of two, and restore."""

import difflib
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from itertools import zip_longest
from typing import NamedTuple

import reversion
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from articles import text
from articles.models import Article, Author, Byline, RelatedStory, Section

HISTORY_PAGE_SIZE = 50
# A restore brings back what the article said, not where it stands in the workflow: only these
# fields come back. The slug stays: readers, feeds and search engines know the current address.
RESTORED_FIELDS = frozenset(
    {
        "headline",
        "dek",
        "kind",
        "section",
        "topic",
        "body",
        "top_image",
        "teaser",
        "seo_title",
        "seo_description",
        "show_donation_appeal",
    }
)
KEPT_FIELDS = frozenset(
    {
        "id",
        "slug",
        "status",
        "published_at",
        "submitted_at",
        "created_at",
        "created_by",
        "deleted_at",
        "deleted_by",
        "version",
        "updated_at",
        # Worked out from the body by save(), which a restore calls.
        "teaser_text",
        "opening_rest",
        "reading_minutes",
    }
)
# Unchanged paragraphs kept on each side of a change; longer runs fold into “N unchanged”.
CONTEXT_BLOCKS = 1


# Reading revisions.


@dataclass
class Snapshot:
    """One article as a revision stored it, with the bylines, picks and tags saved alongside."""

    version: Version
    fields: dict
    bylines: list = field(default_factory=list)
    picks: list = field(default_factory=list)
    tagged_items: list = field(default_factory=list)
    # Tag pk → the tag as the revision stored it (None when the revision holds no copy).
    tags: dict = field(default_factory=dict)

    @property
    def revision(self):
        return self.version.revision


def article_versions(article):
    """The article's own Version rows, newest first, with who saved them."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def snapshots(article, versions):
    """A Snapshot of `article` for each of its `versions`, reading their revisions in one query.

    A revision made by a bulk action holds several articles; only this one's parts are kept."""
    part_types = ContentType.objects.get_for_models(Byline, RelatedStory, TaggedItem, Tag)
    model_of = {content_type.pk: model for model, content_type in part_types.items()}
    article_type = ContentType.objects.get_for_model(Article)
    parts = defaultdict(list)
    for part in Version.objects.filter(
        revision__in={version.revision_id for version in versions},
        content_type__in=part_types.values(),
    ):
        parts[part.revision_id].append(part)

    result = []
    for version in versions:
        snapshot = Snapshot(version, version.field_dict)
        stored_tags = {}
        for part in parts[version.revision_id]:
            data = part.field_dict
            model = model_of[part.content_type_id]
            if model is Byline and data["article_id"] == article.pk:
                snapshot.bylines.append(data)
            elif model is RelatedStory and data["article_id"] == article.pk:
                snapshot.picks.append(data)
            elif model is TaggedItem and (data["content_type_id"], data["object_id"]) == (
                article_type.pk,
                article.pk,
            ):
                snapshot.tagged_items.append(data)
            elif model is Tag:
                stored_tags[data["id"]] = data
        for rows in (snapshot.bylines, snapshot.picks):
            rows.sort(key=lambda row: (row["position"], row["id"]))
        snapshot.tags = {
            item["tag_id"]: stored_tags.get(item["tag_id"]) for item in snapshot.tagged_items
        }
        result.append(snapshot)
    return result


def saved_at(revision):
    return date_format(timezone.localtime(revision.date_created), "j F Y, H:i")


def saved_by(revision):
    return revision.user.get_username() if revision.user else ""


# Comparing two snapshots.


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


# Restoring.


class Restored(NamedTuple):
    article: Article
    # What the old version referred to that no longer exists, said for the editor.
    left_out: list


def restore_revision(article, version, user):
    """Bring `article`'s content, bylines, related picks and tags back to what `version` stored.

    Other articles in the same revision (a bulk action's) are left alone; the workflow fields
    stay as they are now; the version number moves on, so open forms see a conflict."""
    [old] = snapshots(article, [version])
    revision = version.revision
    comment = f"Restored the version of {saved_at(revision)}"
    if revision.user:
        comment += f" by {saved_by(revision)}"
    left_out = []
    with reversion.create_revision(manage_manually=True):
        current = Article.objects.select_for_update().get(pk=article.pk)
        tag_ids = restore_tags(old, left_out)
        changed = restore_fields(current, old, tag_ids, left_out)
        if current.is_public and changed & Article.EDITORIAL_FIELDS:
            current.updated_at = timezone.now()
        current.version += 1
        current.save()
        restore_parts(current, old, tag_ids, left_out)
        reversion.set_user(user)
        reversion.set_comment(f"{comment}.")
        # Added last, so the revision follows the bylines, picks and tags as restored.
        reversion.add_to_revision(current)
    return Restored(current, left_out)


def restore_tags(old, left_out):
    """Map each tag of the old version to a live tag, re-creating deleted ones.

    A tag is shared by many articles, so one that still exists keeps its current name."""
    live = Tag.objects.in_bulk(old.tags)
    tag_ids = {}
    for pk, stored in old.tags.items():
        if pk in live:
            tag_ids[pk] = pk
        elif stored is None:
            left_out.append(f"A tag of that version (#{pk}) no longer exists and was left out.")
        else:
            # Someone may have made a tag of that name since: use it rather than a twin.
            same = Tag.objects.filter(Q(name=stored["name"]) | Q(slug=stored["slug"])).first()
            tag_ids[pk] = (same or Tag.objects.create(**stored)).pk
    return tag_ids


def restore_fields(current, old, tag_ids, left_out):
    """Set the old version's content fields on `current`; return the names of those changed."""
    changed = set()
    for model_field in Article._meta.concrete_fields:
        if model_field.name not in RESTORED_FIELDS or model_field.attname not in old.fields:
            continue
        value = old.fields[model_field.attname]
        if model_field.name == "topic":
            value = tag_ids.get(value, value)
        if (
            model_field.is_relation
            and value is not None
            and not model_field.related_model._base_manager.filter(pk=value).exists()
        ):
            left_out.append(
                f"The {model_field.verbose_name} of that version no longer exists; "
                "the current one was kept."
            )
            continue
        if getattr(current, model_field.attname) != value:
            setattr(current, model_field.attname, value)
            changed.add(model_field.name)
    return changed


def still_there(rows, key, model):
    """The stored `rows` whose `key` still names a `model` row, in their order."""
    existing = set(
        model._base_manager.filter(pk__in=[row[key] for row in rows]).values_list("pk", flat=True)
    )
    return [row for row in rows if row[key] in existing]


def restore_parts(current, old, tag_ids, left_out):
    """Give `current` exactly the old version's bylines, related picks and tags."""
    bylines = still_there(old.bylines, "author_id", Author)
    if len(bylines) < len(old.bylines):
        left_out.append("An author of that version no longer exists and was left off the byline.")
    sync_rows(current.bylines.all(), Byline, bylines)

    picks = still_there(old.picks, "related_id", Article)
    if len(picks) < len(old.picks):
        left_out.append("A related story of that version no longer exists and was left out.")
    sync_rows(current.related_picks.all(), RelatedStory, picks)

    items, seen = [], set()
    for row in old.tagged_items:
        tag_id = tag_ids.get(row["tag_id"])
        if tag_id is not None and tag_id not in seen:
            seen.add(tag_id)
            items.append({**row, "tag_id": tag_id})
    # The topic is the article's primary tag, so the article must carry it.
    if current.topic_id and current.topic_id not in seen:
        article_type = ContentType.objects.get_for_model(Article)
        items.append(
            {
                "content_type_id": article_type.pk,
                "object_id": current.pk,
                "tag_id": current.topic_id,
            }
        )
    sync_rows(current.tagged_items.all(), TaggedItem, items)


def sync_rows(queryset, model, rows):
    """Make `queryset` hold exactly `rows` (stored field dicts).

    Rows that still match stay; the others go; the missing ones come back under their old
    primary keys (never reused), so the order they had by position and pk comes back too."""
    wanted = {row.get("id"): row for row in rows}
    keep = [
        obj.pk
        for obj in queryset
        if obj.pk in wanted
        and all(getattr(obj, name) == value for name, value in wanted[obj.pk].items())
    ]
    queryset.exclude(pk__in=keep).delete()
    model.objects.bulk_create(model(**row) for pk, row in wanted.items() if pk not in keep)


# Views.


def article_or_404(model_admin, request, object_id):
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No article with that id.")
    return article


def page_context(model_admin, request, article, title):
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "module_name": str(capfirst(model_admin.opts.verbose_name_plural)),
        "object": article,
        "original": article,
        "opts": model_admin.opts,
        "preserved_filters": model_admin.get_preserved_filters(request),
    }


def history_view(model_admin, request, object_id, extra_context=None):
    """Every saved version of the article, newest first, to compare or restore."""
    article = article_or_404(model_admin, request, object_id)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    page = Paginator(article_versions(article), HISTORY_PAGE_SIZE).get_page(request.GET.get("p"))
    context = {
        **page_context(model_admin, request, article, f"History: {article}"),
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "can_restore": model_admin.has_change_permission(request, article),
        **(extra_context or {}),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, model_admin.object_history_template, context)


def compare_view(model_admin, request, object_id):
    """Two saved versions of the article side by side, as a word-by-word diff."""
    article = article_or_404(model_admin, request, object_id)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    context = page_context(model_admin, request, article, f"Compare versions: {article}")
    request.current_app = model_admin.admin_site.name
    template = "admin/articles/article/compare.html"
    try:
        versions, note = chosen_versions(article_versions(article), request.GET)
    except UnreadableChoice as error:
        context["error"] = str(error)
        return TemplateResponse(request, template, context, status=400)
    context["note"] = note
    if len(versions) == 2:
        old, new = snapshots(article, versions)
        context.update(
            before=old,
            after=new,
            texts=text_diffs(old, new),
            body=body_diff(old.fields.get("body", ""), new.fields.get("body", "")),
            rows=field_rows(old, new),
        )
    else:
        context["only"] = versions[0] if versions else None
    return TemplateResponse(request, template, context)


def restore_view(model_admin, request, object_id, version_id):
    """Restore the article's content from one of its saved versions (POST only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = article_or_404(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    version = get_object_or_404(article_versions(article), pk=version_id)
    restored = restore_revision(article, version, request.user)
    who = f" by {saved_by(version.revision)}" if version.revision.user else ""
    model_admin.message_user(
        request,
        f"Restored the version of {saved_at(version.revision)}{who}. "
        "Its status and publication time are unchanged.",
        messages.SUCCESS,
    )
    for note in restored.left_out:
        model_admin.message_user(request, note, messages.WARNING)
    opts = model_admin.opts
    return redirect(
        f"admin:{opts.app_label}_{opts.model_name}_change",
        quote(article.pk),
    )
