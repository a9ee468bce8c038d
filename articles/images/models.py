"""The photo library: an Image (the private original, its stripped display copy, its credit)
and its Renditions (resized, re-encoded copies for <picture>)."""

import secrets
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from articles.images import pictures
from rs_cms.storage import originals_storage


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

    @property
    def credit_line(self):
        """The credit readers see, on every page, feed and email: the picture's credit, or the
        magazine's name for its own graphics."""
        return self.credit.strip() or settings.SITE_NAME

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
