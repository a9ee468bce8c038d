"""Renditions of library images: resized, re-encoded copies made with Pillow, by the task
worker (articles/tasks.py) or the make_renditions command, never in a reader's request.

They are made from the private original, and like the display copy (pictures.py) keep
none of its metadata; their names say nothing of the original's."""

import hashlib
from functools import partial

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from PIL import Image as PILImage
from PIL import features

from articles.images.models import Image, Rendition, record_renditions
from articles.images.pictures import EXTENSIONS, encode, is_sideways, prepare, resize

# Widths a page may ask for; a picture narrower than the widest also gets one at its own width.
# The newsletter's pictures are the 640 (600 px column) and the 1280 (its 2× screens).
WIDTHS = (320, 640, 960, 1280, 1920)


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
    return sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})


def file_name(image, format, width, data):
    """A name that changes with the bytes: media are cached as immutable, so a remade
    rendition must never reuse an old address. Nothing of the original's own name, which may
    say who or where the picture is."""
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{image.pk}-{width}w-{digest}.{EXTENSIONS[format]}"


def stored_rendition(image, format, picture):
    """A rendition whose file is stored and whose row is not saved yet."""
    rendition = Rendition(image=image, format=format, width=picture.width, height=picture.height)
    data = encode(picture, format)
    rendition.file.save(
        file_name(image, format, picture.width, data), ContentFile(data), save=False
    )
    return rendition


def keep(rendition):
    """Save a stored rendition's row; None, its file removed, if another worker saved the same
    one first."""
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        rendition.file.delete(save=False)
        return None
    return rendition


def save_rendition(image, format, picture):
    """Store one rendition; None if another worker stored the same one first."""
    return keep(stored_rendition(image, format, picture))


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
    stored = []
    for target, wanted in missing.items():
        resized = resize(picture, target)
        stored += [stored_rendition(image, format, resized) for format in wanted]
    # Every row at once, after all the encoding: pages switch to the new files together, and
    # cached pages go stale once for them, not once a file over the seconds encoding takes.
    with transaction.atomic():
        made = [rendition for rendition in map(keep, stored) if rendition is not None]
    return made


def delete_rendition_file(sender, instance, using, **kwargs):
    """Remove a rendition's file with its row, once the deletion is committed.

    A signal, because deleting an Image removes its renditions by CASCADE, which deletes rows
    without calling Rendition.delete()."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name), using=using)


def keep_rendition_files(sender, instance, using, **kwargs):
    """Image.rendition_files follows the rows, however they are made or deleted."""
    record_renditions(instance.image_id, using=using)


def delete_image_files(sender, instance, using, **kwargs):
    """Remove the image's display copy and original with its row, once the deletion is
    committed: a picture taken out of the library must not stay at a public address.

    A signal, because the admin's bulk delete removes rows without calling Image.delete()."""
    for file in (instance.display_file, instance.file):
        storage, name = file.storage, file.name
        if name:
            transaction.on_commit(partial(storage.delete, name), using=using)


def connect_signals():
    """Connect the receivers above, once, from ArticlesConfig.ready()."""
    post_delete.connect(delete_rendition_file, sender=Rendition, dispatch_uid="rendition-file")
    post_save.connect(keep_rendition_files, sender=Rendition, dispatch_uid="rendition-rows-save")
    post_delete.connect(
        keep_rendition_files, sender=Rendition, dispatch_uid="rendition-rows-delete"
    )
    post_delete.connect(delete_image_files, sender=Image, dispatch_uid="image-files")
