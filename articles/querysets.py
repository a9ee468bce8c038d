"""What the newsroom and the public pages ask of articles, as queryset methods: what readers
may see, what is scheduled and when it goes out, the bulk workflow moves, listings."""

from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.db.models import F, Q
from django.utils import timezone
from taggit.models import TaggedItem

from articles import cache_tags
from rs_cms import pagecache

# Published and not in the trash: with `published_at <= now`, what readers may see
# (ArticleQuerySet.published()); the rows of the partial indexes that public lists read.
PUBLIC = Q(status="published", deleted_at__isnull=True)


class ArticleQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # update() sends no signal, so the bulk methods below (and any other bulk change) tell
        # the page cache themselves that readers may see something new, and what.
        pks = list(self.values_list("pk", flat=True))
        moves_lists = not cache_tags.LISTING_FIELD_NAMES.isdisjoint(kwargs)
        # The lists they leave, read before the change; those they join, after.
        touched = self.model.objects.filter(pk__in=pks).list_tags() if moves_lists else set()
        changed = super().update(**kwargs)
        if changed:
            pagecache.content_changed(using=self.db)
            touched |= {cache_tags.article(pk) for pk in pks}
            if moves_lists:
                touched |= self.model.objects.filter(pk__in=pks).list_tags()
            pagecache.tags_changed(touched, using=self.db)
        return changed

    def list_tags(self):
        """The lists these articles are in, as cache tags (articles/cache_tags.py): the site's,
        their sections' and topics' (their primary tag and every tag they carry), and the
        pages of the articles whose editors picked one of them as a related story."""
        rows = list(self.values_list("pk", "section_id", "topic_id"))
        pks = [pk for pk, _, _ in rows]
        tagged = TaggedItem.objects.filter(content_type=self.content_type(), object_id__in=pks)
        hosts = self.model.objects.filter(related_picks__related_id__in=pks).values_list("pk")
        return {cache_tags.LISTS} | cache_tags.of_lists(
            sections={section for _, section, _ in rows},
            topics={topic for _, _, topic in rows} | set(tagged.values_list("tag_id", flat=True)),
            hosts={pk for (pk,) in hosts},
        )

    def published(self):
        """Articles readers may see: published, not scheduled for later, not in the trash."""
        return self.filter(PUBLIC, published_at__lte=timezone.now())

    def live(self):
        """Every article that is not in the trash, whatever its status."""
        return self.filter(deleted_at__isnull=True)

    def scheduled(self):
        """Published with a time still ahead, not in the trash: readers cannot see it yet."""
        return self.scheduled_after(timezone.now())

    def scheduled_after(self, moment):
        """Published, not in the trash, and going out after `moment`."""
        return self.live().filter(status=self.model.Status.PUBLISHED, published_at__gt=moment)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)

    def claim_version(self, pk, expected):
        """Move the article from version `expected` to the next one, in one conditional UPDATE.

        False when someone else saved first: the row is no longer at `expected`."""
        # The plain update(): the save this claim is for tells the page cache, and readers see
        # nothing of a version number.
        claimed = self.filter(pk=pk, version=expected)
        return bool(models.QuerySet.update(claimed, version=F("version") + 1))

    def tagged(self, tag):
        """Articles carrying `tag` (a subquery: taggit's own join trips a Django deprecation).

        The content type goes in by id (Django caches it): PostgreSQL then knows how many
        articles carry the tag, and finds the newest few of a common one from the newest first."""
        items = TaggedItem.objects.filter(tag=tag, content_type=self.content_type())
        return self.filter(pk__in=items.values("object_id"))

    def content_type(self):
        return ContentType.objects.get_for_model(self.model)

    def publish_now(self):
        """Publish what readers cannot see yet. Drafts and scheduled stories are dated now;
        a story taken down and put back keeps its original date."""
        now = timezone.now()
        hidden = self.exclude(status=self.model.Status.PUBLISHED, published_at__lte=now)
        bump = F("version") + 1
        restored = hidden.filter(
            status=self.model.Status.UNPUBLISHED, published_at__lte=now
        ).update(status=self.model.Status.PUBLISHED, version=bump)
        # The restored rows are public now, so this second pass no longer matches them.
        fresh = hidden.update(status=self.model.Status.PUBLISHED, published_at=now, version=bump)
        return restored + fresh

    def unpublish(self):
        return self.filter(status=self.model.Status.PUBLISHED).update(
            status=self.model.Status.UNPUBLISHED, version=F("version") + 1
        )

    def submit_for_review(self):
        return self.filter(status=self.model.Status.DRAFT).update(
            status=self.model.Status.REVIEW, submitted_at=timezone.now(), version=F("version") + 1
        )

    def move_to_trash(self, user=None):
        return self.filter(deleted_at__isnull=True).update(
            deleted_at=timezone.now(), deleted_by=user, version=F("version") + 1
        )

    def restorable(self):
        """Trashed articles still inside the restore window."""
        return self.filter(deleted_at__gte=timezone.now() - self.model.TRASH_KEEPS_FOR)

    def expired_from_trash(self):
        return self.filter(deleted_at__lt=timezone.now() - self.model.TRASH_KEEPS_FOR)

    def restore_from_trash(self):
        return self.restorable().update(deleted_at=None, deleted_by=None, version=F("version") + 1)

    def for_listing(self):
        """What a teaser needs, in a fixed number of queries."""
        return self.select_related("section", "top_image", "topic").prefetch_related(
            models.Prefetch(
                "bylines", queryset=self.byline_model().objects.select_related("author")
            )
        )

    def byline_model(self):
        return self.model._meta.get_field("bylines").related_model

    def front_page(self, sections, lead=7, per_section=4):
        """(the newest `lead` of these articles, [(section, its newest `per_section` of the
        rest), … for each of `sections`, in their order]), in one query (with what
        for_listing() prefetches).

        Each section's are read newest first from its own index, never the whole archive."""
        newest = self.order_by("-published_at", "-pk")
        front = newest.values("pk")[:lead]
        parts = [front] + [
            newest.filter(section_id=section.pk).exclude(pk__in=front).values("pk")[:per_section]
            for section in sections
        ]
        # The front is the newest of all, so it comes first; every other story is older.
        stories = list(self.in_any(parts).order_by("-published_at", "-pk"))
        by_section = {}
        for story in stories[lead:]:
            by_section.setdefault(story.section_id, []).append(story)
        rows = [
            (section, by_section[section.pk]) for section in sections if section.pk in by_section
        ]
        return stories[:lead], rows

    def in_any(self, parts):
        """These articles that are also in one of `parts`: querysets of article ids, each
        possibly sliced (“the newest three of…”).

        One UNION of the parts where the database allows a LIMIT inside one (PostgreSQL then
        reads each part from its own index and stops early); otherwise an IN for each part."""
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            return self.filter(pk__in=parts[0].union(*parts[1:], all=True))
        return self.filter(reduce(or_, (Q(pk__in=part) for part in parts)))
