import math
import secrets
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import NamedTuple
from urllib.parse import quote, unquote_to_bytes

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import connections, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.encoding import repercent_broken_unicode
from django.utils.text import Truncator
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from articles import pictures, redirects, text
from articles.cache import GENERATION_KEY, bump_generation, start_generation
from articles.sanitize import RichTextField, sanitizer
from articles.urls_cache import cached_reverse
from rs_cms.storage import originals_storage

# Section pages live at /<section-slug>/, so a section may not take a slug the site uses.
RESERVED_SLUGS = frozenset(
    {"admin", "author", "kind", "tag", "feeds", "newsletter", "media", "static", "search"}
    | {"preview", "sitemap.xml", "robots.txt", "donate", "api", "accounts"}
)


def validate_section_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            "“%(value)s” is used by the site itself; choose another slug.",
            params={"value": value},
        )


def validate_link(value):
    """Accept a path on this site (“/donate/”) or an absolute http(s) URL."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


def staff_member():
    """Who did something to a record: kept as history, cleared if the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


def rich_text_field(extensions=None, **kwargs):
    """A WYSIWYG field whose toolbar and nh3 allow-list come from one setting.

    Size and nesting are capped first, and every save sanitises, not only the admin's forms."""
    extensions = extensions or settings.RICH_TEXT_EXTENSIONS
    return RichTextField(
        config={"extensions": extensions}, sanitize=sanitizer(extensions), **kwargs
    )


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
        with redirects.track_moves(self, kwargs.get("update_fields")):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:section", slug=self.slug)


def display_copy_name(instance, filename):
    """images/2026/12/<random>.jpg: a public address that says nothing of the original's name
    (often the photographer's, the place's or the person's) and cannot be guessed from it."""
    extension = filename.rpartition(".")[2]
    return f"images/{timezone.now():%Y/%m}/{secrets.token_urlsafe(12)}.{extension}"


class Image(models.Model):
    # The upload as it came, camera EXIF and GPS position included: kept for the newsroom in
    # storage no address reaches (STORAGES["originals"]); staff download it from the admin.
    file = models.ImageField(
        upload_to="originals/%Y/%m/",
        storage=originals_storage,
        width_field="width",
        height_field="height",
        help_text="The original stays private: readers see a copy without its camera data.",
    )
    alt_text = models.CharField(
        max_length=300, help_text="What the picture shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        max_length=300,
        blank=True,
        help_text="Agency and photographer, e.g. “Photo: A. Name / Agency”.",
    )
    no_credit_needed = models.BooleanField(
        "no credit needed",
        default=False,
        help_text="Tick only for the magazine's own graphics: every other picture owes a credit.",
    )
    source_url = models.URLField(blank=True)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # What pages, feeds and emails show until the renditions exist: made from `file` when it is
    # saved (pictures.display_copy), on the public storage. display_made_from is the original
    # it was made from, so a new upload gets a new copy however it is saved.
    display_file = models.FileField(
        upload_to=display_copy_name, max_length=200, blank=True, editable=False
    )
    display_width = models.PositiveIntegerField(null=True, editable=False)
    display_height = models.PositiveIntegerField(null=True, editable=False)
    display_made_from = models.CharField(max_length=100, blank=True, editable=False)
    # The renditions as pages need them, kept with the image so showing it costs no query:
    # [[format, width, height, file name], …] by format and width. Rendition's signals keep
    # it equal to the rows (record_renditions).
    rendition_files = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="articles_image_alt_text_required"
            ),
            models.CheckConstraint(
                condition=Q(no_credit_needed=True) | ~Q(credit=""),
                name="articles_image_credit_owed",
            ),
        ]

    def __str__(self):
        label = Truncator(self.caption or self.alt_text).chars(60)
        return f"{label} — {self.credit}" if self.credit else label

    def save(self, *args, **kwargs):
        # rendition_files is the renditions' to write (record_renditions): a form, or a copy
        # read before they changed, must not put an old list back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "rendition_files"
            ]
        # One transaction: no image is saved without its display copy (a picture Pillow
        # refuses, say, is not saved at all).
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if self.file and self.display_made_from != self.file.name:
                # After saving: only then has the upload its stored name.
                self.make_display_copy()

    def clean(self):
        if not self.credit.strip() and not self.no_credit_needed:
            raise ValidationError(
                {"credit": "Add the credit (agency and photographer), or tick “no credit needed”."}
            )

    def make_display_copy(self):
        """Make and store the display copy of the stored original, replacing any earlier one."""
        old = self.display_file.name
        with self.file.storage.open(self.file.name, "rb") as original:
            copy = pictures.display_copy(original)
        self.display_file.save(f"copy.{copy.extension}", ContentFile(copy.data), save=False)
        self.display_width, self.display_height = copy.width, copy.height
        self.display_made_from = self.file.name
        using = self._state.db
        super().save(
            using=using,
            update_fields=["display_file", "display_width", "display_height", "display_made_from"],
        )
        if old:
            storage = self.display_file.storage
            transaction.on_commit(lambda: storage.delete(old), using=using)


class Rendition(models.Model):
    """One resized, re-encoded copy of a library image (EXIF applied, metadata stripped)."""

    class Format(models.TextChoices):
        AVIF = "avif", "AVIF"
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    format = models.CharField(max_length=4, choices=Format)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to="renditions/%Y/%m/", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["image", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "format", "width"], name="articles_rendition_unique"
            ),
        ]

    def __str__(self):
        return f"{self.image_id} {self.format} {self.width}w"

    def get_absolute_url(self):
        return self.file.url


# Where rendition files live: the storage of Rendition.file (the default storage, whatever
# STORAGES says when it is first used).
RENDITION_STORAGE = Rendition._meta.get_field("file").storage


class RenditionFile(NamedTuple):
    """One rendition as Image.rendition_files keeps it: enough to put it in a srcset."""

    format: str
    width: int
    height: int
    name: str

    @property
    def url(self):
        return RENDITION_STORAGE.url(self.name)


def stored_renditions(image):
    """The image's renditions as stored with it, narrowest first. Never a query."""
    return sorted(
        (RenditionFile(*entry) for entry in image.rendition_files), key=lambda file: file.width
    )


def record_renditions(image_id, using=None):
    """Store the image's rendition rows on it, as pages read them (Image.rendition_files)."""
    files = list(
        Rendition.objects.using(using)
        .filter(image_id=image_id)
        .order_by("format", "width")
        .values_list("format", "width", "height", "file")
    )
    Image.objects.using(using).filter(pk=image_id).update(rendition_files=files)


def validate_site_path(value):
    """A path on this site: starts with one slash, no scheme, host, query or fragment."""
    if not value.startswith("/") or value.startswith("//") or any(c in value for c in "?#\\ "):
        raise ValidationError(
            "Enter a path on this site starting with “/”, such as /asia-pacific/old-slug/."
        )


def path_as_stored(path):
    """A decoded path (request.path) in the form SitePathField stores it: as it is, but for
    "%" and what a typed path cannot hold as it is (space, ?, #, \\, control characters),
    which stay percent-encoded, so that decoding it again gives it back unchanged."""
    return "".join(
        quote(character, safe="")
        if character in "%?# \\" or not character.isprintable()
        else character
        for character in path
    )


def canonical_site_path(value):
    """A path on this site however it was typed (as the address bar shows it, percent-encoded
    in capitals or not, or with its letters) in one form: decoded as Django decodes
    request.path, then path_as_stored(). A full URL is left as it is."""
    if not value.startswith("/") or value.startswith("//"):
        return value
    return path_as_stored(repercent_broken_unicode(unquote_to_bytes(value)).decode())


class SitePathField(models.CharField):
    """A CharField holding a path on this site (or a full URL), always in canonical_site_path()'s
    form: when cleaned, saved and compared in a query alike."""

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_site_path(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return canonical_site_path(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = self.get_prep_value(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


SITE_PATH_HELP = (
    "Paste the address as the browser shows it, or type it with its letters: "
    "percent-encoded characters (such as %D8%B9) are stored decoded, so both are one address."
)


class Redirect(models.Model):
    """An old address that answers 301 with a new one: made when an article or section moves,
    or by an editor."""

    old_path = SitePathField(
        max_length=500,
        unique=True,
        validators=[validate_site_path],
        help_text=f"e.g. /old/path/. {SITE_PATH_HELP}",
    )
    new_path = SitePathField(
        max_length=500,
        validators=[validate_link],
        help_text=f"A path on this site, or a full https:// address. {SITE_PATH_HELP}",
    )
    is_automatic = models.BooleanField(
        default=False, editable=False, help_text="Made when an article or section moved."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_path=models.F("new_path")), name="articles_redirect_not_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def get_absolute_url(self):
        return self.old_path


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


# Published and not in the trash: with `published_at <= now`, what readers may see
# (ArticleQuerySet.published()); the rows of the partial indexes that public lists read.
PUBLIC = Q(status="published", deleted_at__isnull=True)


class ArticleQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # update() sends no signals: the bulk methods below would leave cached pages stale.
        changed = super().update(**kwargs)
        if changed:
            bump_generation(using=self.db)
        return changed

    def published(self):
        """Articles readers may see: published, not scheduled for later, not in the trash."""
        return self.filter(PUBLIC, published_at__lte=timezone.now())

    def live(self):
        """Every article that is not in the trash, whatever its status."""
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)

    def claim_version(self, pk, expected):
        """Move the article from version `expected` to the next one, in one conditional UPDATE.

        False when someone else saved first: the row is no longer at `expected`."""
        return bool(self.filter(pk=pk, version=expected).update(version=F("version") + 1))

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
        hidden = self.exclude(status=Article.Status.PUBLISHED, published_at__lte=now)
        bump = F("version") + 1
        restored = hidden.filter(status=Article.Status.UNPUBLISHED, published_at__lte=now).update(
            status=Article.Status.PUBLISHED, version=bump
        )
        # The restored rows are public now, so this second pass no longer matches them.
        fresh = hidden.update(status=Article.Status.PUBLISHED, published_at=now, version=bump)
        return restored + fresh

    def unpublish(self):
        return self.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.UNPUBLISHED, version=F("version") + 1
        )

    def submit_for_review(self):
        return self.filter(status=Article.Status.DRAFT).update(
            status=Article.Status.REVIEW, submitted_at=timezone.now(), version=F("version") + 1
        )

    def move_to_trash(self, user=None):
        return self.filter(deleted_at__isnull=True).update(
            deleted_at=timezone.now(), deleted_by=user, version=F("version") + 1
        )

    def restorable(self):
        """Trashed articles still inside the restore window."""
        return self.filter(deleted_at__gte=timezone.now() - Article.TRASH_KEEPS_FOR)

    def expired_from_trash(self):
        return self.filter(deleted_at__lt=timezone.now() - Article.TRASH_KEEPS_FOR)

    def restore_from_trash(self):
        return self.restorable().update(deleted_at=None, deleted_by=None, version=F("version") + 1)

    def for_listing(self):
        """What a teaser needs, in a fixed number of queries."""
        return self.select_related("section", "top_image", "topic").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def front_page(self, lead=7, per_section=4):
        """(the newest `lead` of these articles, [(section, its newest `per_section` of the
        rest), … in navigation order]), in one query (with what for_listing() prefetches).

        Each section's are read newest first from its own index, never the whole archive."""
        newest = self.order_by("-published_at", "-pk")
        front = newest.values("pk")[:lead]
        sections = site_chrome().sections
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
        with redirects.track_moves(self, kwargs.get("update_fields")):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:article", section=self.section.slug, slug=self.slug)

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
        return self.updated_at - self.published_at > timezone.timedelta(minutes=10)

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

    def get_teaser(self):
        return self.teaser_text

    def get_opening_rest(self):
        """What “keep reading” reveals: the opening of the story beyond the teaser."""
        return self.opening_rest

    def get_related_stories(self, limit=3, chrome=None):
        """Editor's picks in order, then the newest public stories on the same topic, then
        in the same section; never this article, an unpublished one, or one twice.

        The newest stories of each section and topic are the same for every article in it:
        they come from the shared cache (related_candidates), so a page asks the database
        only for its picks and the few stories it shows, in one query."""
        candidates = related_candidates(self, limit + 1, chrome or site_chrome())
        on_topic = candidates.get("topic", [])
        in_section = candidates.get("section", [])
        picks = RelatedStory.objects.filter(article=self)
        stories = (
            Article.objects.published()
            .exclude(pk=self.pk)
            # One IN over a UNION: an OR of two would have PostgreSQL read the whole table.
            .in_any(
                [
                    picks.values("related_id"),
                    Article.objects.filter(pk__in=on_topic + in_section).values("pk"),
                ]
            )
            .annotate(
                pick_position=Subquery(picks.filter(related=OuterRef("pk")).values("position")[:1])
            )
            .select_related("section", "top_image")
            .defer("body")
        )

        def place(story):
            if story.pick_position is not None:
                return (0, story.pick_position, 0)
            if story.pk in on_topic:
                return (1, on_topic.index(story.pk), 0)
            return (2, in_section.index(story.pk), 0)

        return sorted(stories, key=lambda story: (*place(story), story.pk))[:limit]


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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A correction is an editorial change: readers see the article as updated.
        Article.objects.filter(pk=self.article_id, updated_at__lt=self.published_at).update(
            updated_at=self.published_at
        )

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


class DonationAppealQuerySet(models.QuerySet):
    def current(self):
        """The appeal to show now: the newest active one whose window contains now."""
        now = timezone.now()
        return (
            self.filter(is_active=True, starts_at__lte=now)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .order_by("-starts_at", "-pk")
        )

    def scheduled(self):
        """Active appeals whose window has not opened yet."""
        return self.filter(is_active=True, starts_at__gt=timezone.now())

    def ended(self):
        return self.filter(ends_at__lte=timezone.now())

    def overlapping(self, starts_at, ends_at=None):
        """Active appeals sharing a moment with the window [starts_at, ends_at); None: no end.

        The database refuses a second one (migration 0004); this finds it to say so in words."""
        overlap = Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at)
        if ends_at is not None:
            overlap &= Q(starts_at__lt=ends_at)
        return self.filter(overlap, is_active=True)


class DonationAppeal(models.Model):
    title = models.CharField(max_length=200)
    message = rich_text_field(help_text="A short letter to readers.")
    button_label = models.CharField(max_length=60, default="Donate")
    url = models.CharField(
        "donation page",
        max_length=500,
        validators=[validate_link],
        help_text="A path on this site, such as /donate/, or a full https:// address.",
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Leave empty for no end.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DonationAppealQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="articles_donationappeal_window",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The appeal must end after it starts."})
        if self.is_active and self.starts_at:
            clash = (
                DonationAppeal.objects.overlapping(self.starts_at, self.ends_at)
                .exclude(pk=self.pk)
                .order_by("starts_at")
                .first()
            )
            if clash is not None:
                raise ValidationError(
                    "This window overlaps “%(title)s” (%(window)s). Only one appeal can show at "
                    "a time: change the dates, or untick “Is active” on one of them.",
                    code="overlap",
                    params={"title": clash.title, "window": clash.window_label()},
                )

    def window_label(self):
        """The window in words: “1 Dec – 31 Dec 2026”, “from 1 Dec 2026, no end”."""
        start = timezone.localtime(self.starts_at)
        if self.ends_at is None:
            return f"from {start.day} {start:%b %Y}, no end"
        end = timezone.localtime(self.ends_at)
        first = (
            f"{start.day} {start:%b}" if start.year == end.year else f"{start.day} {start:%b %Y}"
        )
        return f"{first} – {end.day} {end:%b %Y}"

    def is_live(self):
        now = timezone.now()
        return (
            self.is_active
            and self.starts_at <= now
            and (self.ends_at is None or self.ends_at > now)
        )


# How many stories LATEST and QIOSK show.
RAIL_LENGTH = 5


def headlines(articles, limit):
    """The newest `limit` of `articles`, with just what a one-line link shows."""
    return (
        articles.select_related("section")
        .only("headline", "slug", "kind", "published_at", "section__name", "section__slug")
        .order_by("-published_at", "-pk")[:limit]
    )


class SiteChrome(NamedTuple):
    """What every public page shows around its content, and for how long it holds."""

    sections: list
    appeal: DonationAppeal | None
    # The newest stories (one spare, for the page of one of them) and QIOSK items.
    latest: list
    qiosk: list
    generation: int
    good_until: datetime

    def latest_except(self, article, limit=RAIL_LENGTH):
        return [story for story in self.latest if story.pk != article.pk][:limit]


SITE_CHROME_KEY = "articles:site-chrome"
# The longest a copy is used, whatever happens.
SITE_CHROME_SECONDS = 60


def site_chrome():
    """The section navigation, the running donation appeal, LATEST and QIOSK, from the shared
    cache: every public page shows them, so pages read them without a query.

    A copy is kept for the content generation it was read under, as whole pages are
    (articles/cache.py): any change readers could see, a section, an appeal or an article
    saved or deleted among them, retires it. So does the start or end of an appeal, or a
    scheduled story going out, at that very moment."""
    now = timezone.now()
    found = cache.get_many([GENERATION_KEY, SITE_CHROME_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = start_generation()
    chrome = found.get(SITE_CHROME_KEY)
    if chrome is None or chrome.generation != generation or chrome.good_until <= now:
        chrome = load_site_chrome(now, generation)
        cache.set(SITE_CHROME_KEY, chrome, math.ceil((chrome.good_until - now).total_seconds()))
    return chrome


def load_site_chrome(now, generation):
    # The running appeal and those still to come, in one query: what readers see changes when
    # the one ends or the next one starts.
    appeals = list(DonationAppeal.objects.filter(is_active=True).exclude(ends_at__lte=now))
    live = [appeal for appeal in appeals if appeal.is_live()]
    # The newest live one, as DonationAppeal.objects.current() orders them.
    appeal = max(live, key=lambda appeal: (appeal.starts_at, appeal.pk), default=None)
    changes = [appeal.starts_at for appeal in appeals if appeal.starts_at > now]
    if appeal is not None and appeal.ends_at is not None:
        changes.append(appeal.ends_at)
    # LATEST, QIOSK and the next story due to go out (LATEST changes at its time), in one query.
    public = Article.objects.published().order_by("-published_at", "-pk")
    newest = public.exclude(kind=Article.Kind.QIOSK).values("pk")[: RAIL_LENGTH + 1]
    qiosk = public.filter(kind=Article.Kind.QIOSK).values("pk")[:RAIL_LENGTH]
    scheduled = Article.objects.live().filter(status=Article.Status.PUBLISHED)
    due = scheduled.filter(published_at__gt=now).order_by("published_at", "pk").values("pk")[:1]
    rows = list(headlines(scheduled.in_any([newest, qiosk, due]), 2 * RAIL_LENGTH + 2))
    shown = [story for story in rows if story.published_at <= now]
    changes += [story.published_at for story in rows if story.published_at > now]
    good_until = min([now + timedelta(seconds=SITE_CHROME_SECONDS), *changes])
    return SiteChrome(
        sections=list(Section.objects.all()),
        appeal=appeal,
        latest=[story for story in shown if story.kind != Article.Kind.QIOSK],
        qiosk=[story for story in shown if story.kind == Article.Kind.QIOSK],
        generation=generation,
        good_until=good_until,
    )


RELATED_KEY = "articles:related:"


def related_candidates(article, count, chrome):
    """{"topic": ids, "section": ids}: the newest `count` public stories (QIOSK aside) on the
    article's topic (its primary tag, or tagged with it) and in its section, newest first.

    Kept in the shared cache with the site chrome's generation and expiry: any change readers
    could see, or a scheduled story going out, retires them, as it does the chrome."""
    wanted = {"section": f"{RELATED_KEY}section:{article.section_id}:{count}"}
    if article.topic_id:
        wanted["topic"] = f"{RELATED_KEY}topic:{article.topic_id}:{count}"
    found = cache.get_many(wanted.values())
    candidates, missing = {}, []
    for kind, key in wanted.items():
        entry = found.get(key)
        if entry is not None and entry[0] == chrome.generation:
            candidates[kind] = entry[1]
        else:
            missing.append(kind)
    if missing:
        loaded = load_related_candidates(article, count, missing)
        seconds = max(1, math.ceil((chrome.good_until - timezone.now()).total_seconds()))
        cache.set_many(
            {wanted[kind]: (chrome.generation, loaded[kind]) for kind in missing}, seconds
        )
        candidates |= loaded
    return candidates


def load_related_candidates(article, count, kinds):
    """The lists related_candidates() lacks, in one query: each part read from its own index."""
    fill = (
        Article.objects.published()
        .exclude(kind=Article.Kind.QIOSK)
        .order_by("-published_at", "-pk")
    )
    parts = {"section": [fill.filter(section_id=article.section_id)]}
    if article.topic_id:
        parts["topic"] = [fill.filter(topic_id=article.topic_id), fill.tagged(article.topic_id)]
    queries = [query.values("pk")[:count] for kind in kinds for query in parts[kind]]
    tagged = TaggedItem.objects.filter(
        tag_id=article.topic_id,
        content_type=Article.objects.content_type(),
        object_id=OuterRef("pk"),
    )
    rows = (
        Article.objects.in_any(queries)
        .annotate(on_topic=Q(topic_id=article.topic_id) | Q(Exists(tagged)))
        .order_by("-published_at", "-pk")
        .values_list("pk", "section_id", "on_topic")
    )
    lists = {"section": [], "topic": []}
    for pk, section_id, on_topic in rows:
        if section_id == article.section_id:
            lists["section"].append(pk)
        if on_topic and article.topic_id:
            lists["topic"].append(pk)
    return {kind: lists[kind][:count] for kind in kinds}


# A revision of an article holds its bylines, related picks and tags, so restoring one brings
# them back too. Corrections are a public record and are never rolled back.
reversion.register(Tag)
reversion.register(TaggedItem, follow=["tag"])
reversion.register(Byline)
reversion.register(RelatedStory)
reversion.register(Article, follow=["bylines", "related_picks", "tagged_items"])
