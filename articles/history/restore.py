"""What a restore does to the rows: the old version's fields, tags, bylines and related picks
brought back onto the article (the workflow around it is services.restore_revision)."""

from typing import NamedTuple

from django.db.models import Q
from taggit.models import Tag, TaggedItem

from articles.history.snapshots import RESTORED_FIELDS
from articles.models import Article, Author, Byline, RelatedStory


class Restored(NamedTuple):
    article: Article
    # What the old version referred to that no longer exists, said for the editor.
    left_out: list


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
