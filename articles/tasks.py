from django.db import transaction
from django.tasks import task

from articles.images import renditions
from articles.images.models import Image


@task
def make_renditions(image_id):
    """Make the missing renditions of one library image; returns how many were made."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file:
        # Deleted, or emptied, since the task was queued.
        return 0
    return len(renditions.make_renditions(image))


def make_renditions_later(image, *, replace=False):
    """Queue the image's renditions once the current transaction has committed.

    replace=True when its file has changed: the renditions of the old file go now (their files
    once the transaction commits), and pages show the new display copy until the new ones exist.

    Only uploads and imports call this; a reader's request never does, whatever it finds
    missing (the make_renditions command back-fills)."""
    if replace:
        image.renditions.all().delete()
    image_id = image.pk
    transaction.on_commit(lambda: make_renditions.enqueue(image_id))
