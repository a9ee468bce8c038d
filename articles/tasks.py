from django.core.cache import cache
from django.db import transaction
from django.tasks import task

from articles import renditions
from articles.models import Image

# A page that finds an image without renditions asks for them at most this often (seconds),
# whichever server it runs on: time enough for the worker to make them.
ASK_AGAIN_AFTER = 15 * 60


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
    once the transaction commits), and pages show the new original until the new ones exist."""
    if replace:
        image.renditions.all().delete()
    image_id = image.pk
    transaction.on_commit(lambda: make_renditions.enqueue(image_id))


def ask_for_renditions(image):
    """Queue the renditions a page found missing, once for all the pages that find them so."""
    if cache.add(f"articles:renditions-asked:{image.pk}", True, ASK_AGAIN_AFTER):
        make_renditions_later(image)
