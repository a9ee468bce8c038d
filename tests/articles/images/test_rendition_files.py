"""A picture's rendition files: deleted with it once committed, and listed on its row."""

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from articles.images import renditions
from articles.models import Image, Rendition
from articles.tasks import make_renditions_later
from tests.articles.images.photos import image_of

pytestmark = pytest.mark.django_db


class TestDeleting:
    def test_deleting_an_image_deletes_its_rendition_files(
        self, django_capture_on_commit_callbacks
    ):
        image = image_of(700, 350)
        names = [rendition.file.name for rendition in renditions.make_renditions(image)]
        assert all(default_storage.exists(name) for name in names)

        with django_capture_on_commit_callbacks(execute=True):
            image.delete()

        assert not Rendition.objects.exists()
        assert not any(default_storage.exists(name) for name in names)

    def test_files_stay_when_the_deletion_is_rolled_back(self, django_capture_on_commit_callbacks):
        image = image_of(700, 350)
        names = [rendition.file.name for rendition in renditions.make_renditions(image)]

        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            image.delete()
            transaction.set_rollback(True)

        assert Rendition.objects.count() == len(names)
        assert all(default_storage.exists(name) for name in names)


class TestStoredRenditionList:
    """Image.rendition_files: the rows, kept on the image by Rendition's signals."""

    def rows(self, image):
        return [
            [r.format, r.width, r.height, r.file.name]
            for r in image.renditions.order_by("format", "width")
        ]

    def stored(self, image):
        return Image.objects.get(pk=image.pk).rendition_files

    def test_follows_the_renditions_made_and_deleted(self):
        image = image_of(700, 350)
        renditions.make_renditions(image)
        assert self.stored(image) == self.rows(image) != []
        image.renditions.filter(width=320).delete()
        assert self.stored(image) == self.rows(image)
        assert 320 not in [width for _, width, _, _ in self.stored(image)]

    def test_a_replaced_file_empties_it_until_the_new_renditions_exist(
        self, django_capture_on_commit_callbacks
    ):
        image = image_of(700, 350)
        renditions.make_renditions(image)
        with django_capture_on_commit_callbacks() as callbacks:
            make_renditions_later(image, replace=True)
        assert self.stored(image) == []
        for callback in callbacks:
            callback()
        assert self.stored(image) == self.rows(image) != []

    def test_saving_an_older_copy_of_the_image_keeps_the_list(self):
        image = image_of(700, 350)
        older = Image.objects.get(pk=image.pk)
        renditions.make_renditions(image)
        older.caption = "A new caption"
        older.save()
        assert self.stored(image) == self.rows(image) != []
        assert Image.objects.get(pk=image.pk).caption == "A new caption"
