"""Renditions of library images: resized, re-encoded copies made with Pillow.

Each picture is turned upright (EXIF orientation), converted to sRGB, and saved with no metadata
at all: no EXIF (camera, GPS position), no XMP, no colour profile."""

import hashlib
import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, features

from articles.models import Rendition, record_renditions

# Widths a page may ask for; a picture narrower than the widest also gets one at its own width.
WIDTHS = (320, 640, 960, 1280, 1920)

# Pillow's name for each format, and settings tuned for photographs on the web.
ENCODERS = {
    Rendition.Format.AVIF: ("AVIF", {"quality": 60, "speed": 7}),
    Rendition.Format.WEBP: ("WEBP", {"quality": 78, "method": 5}),
    Rendition.Format.JPEG: ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
EXTENSIONS = {
    Rendition.Format.AVIF: "avif",
    Rendition.Format.WEBP: "webp",
    Rendition.Format.JPEG: "jpg",
}

SRGB = ImageCms.createProfile("sRGB")

# EXIF orientations that turn the picture on its side (width and height swap).
SIDEWAYS = {5, 6, 7, 8}
ORIENTATION_TAG = 0x0112


def formats():
    """The formats this server can encode, best first; JPEG always."""
    available = [Rendition.Format.JPEG]
    if features.check("webp"):
        available.insert(0, Rendition.Format.WEBP)
    if features.check("avif"):
        available.insert(0, Rendition.Format.AVIF)
    return available


def target_widths(width):
    """The widths to make for a picture `width` pixels wide: never wider than the original."""
    return [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]


def is_sideways(picture):
    """Whether EXIF turns the picture on its side, swapping width and height (no decoding)."""
    return picture.getexif().get(ORIENTATION_TAG) in SIDEWAYS


def prepare(picture):
    """The picture upright, in sRGB, as RGB (or RGBA when it has transparency), with no metadata."""
    picture = ImageOps.exif_transpose(picture)
    has_alpha = picture.has_transparency_data
    mode = "RGBA" if has_alpha else "RGB"
    if picture.mode not in ("RGB", "RGBA", "CMYK"):
        picture = picture.convert(mode)
    icc_profile = picture.info.get("icc_profile")
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            picture = ImageCms.profileToProfile(picture, source, SRGB, outputMode=mode)
        except (OSError, ImageCms.PyCMSError):
            # A damaged or unusable profile: keep the pixels as they are.
            pass
    if picture.mode != mode:
        picture = picture.convert(mode)
    # Everything Pillow read from the file (EXIF, XMP, ICC, comments) stays behind.
    picture.info = {}
    return picture


def resize(picture, width):
    if width == picture.width:
        return picture
    height = max(1, round(picture.height * width / picture.width))
    return picture.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)


def flatten(picture):
    """JPEG has no transparency: put the picture on white."""
    if picture.mode != "RGBA":
        return picture
    background = PILImage.new("RGB", picture.size, (255, 255, 255))
    background.paste(picture, mask=picture.getchannel("A"))
    return background


def encode(picture, format):
    name, options = ENCODERS[format]
    if format == Rendition.Format.JPEG:
        picture = flatten(picture)
    buffer = io.BytesIO()
    picture.save(buffer, name, **options)
    return buffer.getvalue()


def file_name(image, format, width, data):
    """A name that changes with the bytes: media are cached as immutable, so a remade
    rendition must never reuse an old address."""
    stem = PurePosixPath(image.file.name).stem[:80]
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{image.pk}-{stem}-{width}w-{digest}.{EXTENSIONS[format]}"


def save_rendition(image, format, picture):
    """Store one rendition; None if another worker stored the same one first."""
    rendition = Rendition(image=image, format=format, width=picture.width, height=picture.height)
    data = encode(picture, format)
    rendition.file.save(
        file_name(image, format, picture.width, data), ContentFile(data), save=False
    )
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        rendition.file.delete(save=False)
        return None
    return rendition


def make_renditions(image):
    """Make the renditions `image` lacks, in every width and format; returns the new ones."""
    existing = set(image.renditions.values_list("format", "width"))
    with image.file.open("rb") as source, PILImage.open(source) as original:
        sideways = is_sideways(original)
        width = original.height if sideways else original.width
        missing = {}
        for target in target_widths(width):
            wanted = [format for format in formats() if (format, target) not in existing]
            if wanted:
                missing[target] = wanted
        if not missing:
            return []
        if original.format == "JPEG":
            # Decode no more pixels than the widest rendition needs (JPEG scales by 1/2, 1/4, 1/8).
            widest = max(missing)
            original.draft(None, (1, widest) if sideways else (widest, 1))
        picture = prepare(original)
    made = []
    for target, wanted in missing.items():
        resized = resize(picture, target)
        for format in wanted:
            rendition = save_rendition(image, format, resized)
            if rendition is not None:
                made.append(rendition)
    return made


@receiver(post_delete, sender=Rendition)
def delete_rendition_file(sender, instance, using, **kwargs):
    """Remove a rendition's file with its row, once the deletion is committed.

    A signal, because deleting an Image removes its renditions by CASCADE, which deletes rows
    without calling Rendition.delete()."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name), using=using)


@receiver(post_save, sender=Rendition)
@receiver(post_delete, sender=Rendition)
def keep_rendition_files(sender, instance, using, **kwargs):
    """Image.rendition_files follows the rows, however they are made or deleted."""
    record_renditions(instance.image_id, using=using)
