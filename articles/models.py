"""The newsroom's models: sections, authors, articles with their bylines, related picks and
corrections, and share-preview links.

The photo library (articles/images/), redirects (articles/redirects/) and donation appeals
(articles/appeals.py) keep their models beside their own code; they are imported here, where
Django and the migrations look for the app's models."""

import secrets
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from articles import cache_tags, moves, text
from articles.appeals import DonationAppeal  # noqa: F401
from articles.fields import rich_text_field, staff_member, validate_section_slug
from articles.images.models import Image, Rendition, display_copy_name  # noqa: F401
from articles.querysets import PUBLIC, ArticleQuerySet
from articles.redirects.models import Redirect  # noqa: F401
from articles.redirects.paths import SitePathField, validate_link, validate_site_path  # noqa: F401
from articles.urls_cache import cached_reverse


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, validators=[validate_section_slug])
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the navigation."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A new slug moves the section page and every article in it: old addresses answer 301.
        with moves.section_moves(self, kwargs.get("update_fields")):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:section", slug=self.slug)


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("articles:author", slug=self.slug)


class Article(models.Model):
    # Changing one of these after publication shows readers an “Updated” date.
    EDITORIAL_FIELDS = frozenset({"headline", "dek", "body", "top_image", "teaser"})
    # How long a deleted article waits in the trash before it is gone for good.
    TRASH_KEEPS_FOR = timedelta(days=30)

    class Kind(models.TextChoices):
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"
        NEWS = "news", "News"
        REPORTING = "reporting", "Reporting"
        REVIEW = "review", "Review"
        QIOSK = "qiosk", "QIOSK"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    dek = models.CharField(
        "dek", max_length=300, blank=True, help_text="One sentence under the headline."
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.ANALYSIS)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True)
    topic = models.ForeignKey(
        Tag,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The primary tag, shown above the headline.",
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    body = rich_text_field(settings.ARTICLE_BODY_EXTENSIONS, blank=True)
    top_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.PROTECT, related_name="top_of_articles"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A future time schedules the article."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        default=timezone.now, help_text="When readers last saw an editorial change."
    )
    submitted_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was last submitted for review."
    )
    teaser = models.TextField(
        blank=True, help_text="Optional; related-story teasers use the opening of the body."
    )
    # Worked out from the body and teaser by save(): no page parses a body to show a teaser.
    teaser_text = models.TextField(
        editable=False, blank=True, help_text="The editor's teaser, or the opening of the body."
    )
    opening_rest = models.TextField(
        editable=False, blank=True, help_text="What “keep reading” reveals beyond the teaser."
    )
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    seo_title = models.CharField("SEO title", max_length=70, blank=True)
    seo_description = models.CharField("SEO description", max_length=160, blank=True)
    show_donation_appeal = models.BooleanField(
        default=True, help_text="Untick to keep the donation appeal off this article."
    )
    # Optimistic locking: every save moves this on by one, in a conditional UPDATE.
    version = models.PositiveIntegerField(default=1)
    created_by = staff_member()
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = staff_member()
    # Lets django-reversion store and restore the tags with the article.
    tagged_items = GenericRelation(TaggedItem)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            # Partial indexes over what readers may see, newest first: each public list reads
            # its page (or the newest few) straight off one of these and stops.
            models.Index(
                fields=["-published_at", "-id"], condition=PUBLIC, name="article_newest_idx"
            ),
            models.Index(
                fields=["section", "-published_at", "-id"],
                condition=PUBLIC,
                name="article_section_newest_idx",
            ),
            models.Index(
                fields=["kind", "-published_at", "-id"],
                condition=PUBLIC,
                name="article_kind_newest_idx",
            ),
            models.Index(
                fields=["topic", "-published_at", "-id"],
                condition=PUBLIC,
                name="article_topic_newest_idx",
            ),
            # The newsroom's list: everything not in the trash, newest first.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="article_live_newest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="articles_article_published_has_time",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self._state.adding and self.published_at and self.published_at < self.updated_at:
            # A story entered after the fact (backdated) has not been updated since.
            self.updated_at = self.published_at
        # The editor's form sanitises too; this covers every other way in (shell, imports).
        self._meta.get_field("body").sanitize_on(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not self.SUMMARY_SOURCES.isdisjoint(update_fields):
            self.summarise()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.SUMMARY_FIELDS}
        # A new slug or section moves the article: its old address answers 301 for good.
        with moves.article_moves(self, kwargs.get("update_fields")):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:article", section=self.section.slug, slug=self.slug)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        # Which lists show it, as loaded: a save that changes this retires them (cache_tags).
        article.loaded_listing = cache_tags.listing_state(article)
        return article

    def clean(self):
        # Runs before the database's check, so “Published” with no time means “now”.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
            and self.deleted_at is None
        )

    @property
    def is_trashed(self):
        return self.deleted_at is not None

    @property
    def trash_expires_at(self):
        return self.deleted_at + self.TRASH_KEEPS_FOR if self.deleted_at else None

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self):
        """True when the article changed noticeably after it was published."""
        if not self.published_at:
            return False
        return self.updated_at - self.published_at > timedelta(minutes=10)

    @property
    def ordered_authors(self):
        """Authors in byline order, from the prefetched bylines when present."""
        return [byline.author for byline in self.bylines.all()]

    def get_kind_url(self):
        return cached_reverse("articles:kind", kind=self.kind)

    TEASER_WORDS = 40
    OPENING_WORDS = 160
    # What save() stores from the body and teaser (summarise()); a bulk update() of either must
    # store these too.
    SUMMARY_SOURCES = frozenset({"body", "teaser"})
    SUMMARY_FIELDS = ("teaser_text", "opening_rest", "reading_minutes")

    def summarise(self, plain=None):
        """Set the teaser, what “keep reading” reveals and the reading time from the body.

        `plain` is the body's text (text.plain_words) when the caller already has it."""
        if plain is None:
            plain = text.plain_words(self.body)
        self.teaser_text, self.opening_rest, self.reading_minutes = text.summarise(
            plain, self.teaser, self.TEASER_WORDS, self.OPENING_WORDS
        )


class TrashedArticle(Article):
    """Deleted articles, restorable for `Article.TRASH_KEEPS_FOR`: the admin's trash."""

    class Meta:
        proxy = True
        verbose_name = "article in the trash"
        verbose_name_plural = "trash"


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="articles_byline_unique")
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


class RelatedStory(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_picks")
    related = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="picked_by", verbose_name="related story"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "related stories"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "related"], name="articles_relatedstory_unique"
            ),
            models.CheckConstraint(
                condition=~Q(article=models.F("related")), name="articles_relatedstory_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.related}"

    def clean(self):
        if self.article_id and self.article_id == self.related_id:
            raise ValidationError({"related": "An article cannot be related to itself."})


class Correction(models.Model):
    """A dated note at the foot of a published article saying what was put right."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(
        max_length=1000, help_text="What was wrong and what the article now says. Plain text."
    )
    published_at = models.DateTimeField(
        "dated", default=timezone.now, help_text="The date readers see on the note."
    )
    created_by = staff_member()

    class Meta:
        ordering = ["published_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="articles_correction_has_note"),
        ]

    def __str__(self):
        return f"Correction to {self.article}, {self.published_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#corrections"


def new_preview_key():
    return secrets.token_urlsafe(24)


class PreviewLink(models.Model):
    """A signed, expiring, revocable link that shows an unpublished article to anyone."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    key = models.CharField(max_length=64, unique=True, default=new_preview_key, editable=False)
    created_by = staff_member()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of {self.article}"

    def is_valid(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


# A revision of an article holds its bylines, related picks and tags, so restoring one brings
# them back too. Corrections are a public record and are never rolled back.
reversion.register(Tag)
reversion.register(TaggedItem, follow=["tag"])
reversion.register(Byline)
reversion.register(RelatedStory)
reversion.register(Article, follow=["bylines", "related_picks", "tagged_items"])
