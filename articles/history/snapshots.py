"""An article's saved versions as revisions stored them (django-reversion): which fields a
restore brings back, and each version read with its bylines, picks and tags."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from articles.models import Article, Byline, RelatedStory

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
