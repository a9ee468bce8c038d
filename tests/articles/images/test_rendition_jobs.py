"""Renditions made by the task queue and by `manage.py make_renditions`."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import TaskResultStatus

from articles import tasks
from articles.images import renditions
from tests.articles.images.photos import image_of, picture_file, widths

pytestmark = pytest.mark.django_db


class TestTask:
    def test_task_makes_the_renditions_and_says_how_many(self):
        image = image_of(700, 350)

        result = tasks.make_renditions.enqueue(image.pk)

        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == image.renditions.count() == 3 * len(renditions.formats())

    def test_task_for_a_deleted_image_does_nothing(self):
        result = tasks.make_renditions.enqueue(987654)

        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 0

    def test_later_means_after_the_commit(self, django_capture_on_commit_callbacks):
        image = image_of(700, 350)

        with django_capture_on_commit_callbacks() as callbacks:
            tasks.make_renditions_later(image)
            assert not image.renditions.exists()

        assert len(callbacks) == 1
        callbacks[0]()
        assert widths(image) == [320, 640, 700]

    def test_a_new_file_replaces_the_old_renditions(self, django_capture_on_commit_callbacks):
        image = image_of(700, 350)
        old = [rendition.file.name for rendition in renditions.make_renditions(image)]
        image.file = picture_file(500, 500)
        image.save()

        with django_capture_on_commit_callbacks(execute=True):
            tasks.make_renditions_later(image, replace=True)

        assert widths(image) == [320, 500]
        assert image.renditions.get(format="jpeg", width=500).height == 500
        assert not any(default_storage.exists(name) for name in old)


class TestCommand:
    def run(self, *args):
        out, err = StringIO(), StringIO()
        call_command("make_renditions", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_makes_what_is_missing_and_counts(self):
        image_of(700, 350)
        image_of(40, 20)
        per_format = len(renditions.formats())

        out, _ = self.run()
        assert f"Made {4 * per_format} rendition(s) for 2 image(s)" in out

        out, _ = self.run()
        assert "Made 0 rendition(s) for 0 image(s); 2 image(s) already had all theirs" in out

    def test_missing_skips_images_that_have_renditions(self):
        done = image_of(700, 350)
        renditions.make_renditions(done)
        done.renditions.filter(width=640).delete()
        image_of(40, 20)

        out, _ = self.run("--missing")

        assert f"Made {len(renditions.formats())} rendition(s) for 1 image(s)" in out
        assert not done.renditions.filter(width=640).exists()

    def test_remake_starts_afresh(self, django_capture_on_commit_callbacks):
        image = image_of(40, 20)
        old = [rendition.file.name for rendition in renditions.make_renditions(image)]

        with django_capture_on_commit_callbacks(execute=True):
            out, _ = self.run("--remake")

        assert f"Deleted {len(old)} rendition(s)" in out
        assert f"Made {len(old)} rendition(s) for 1 image(s)" in out
        assert not any(default_storage.exists(name) for name in old)

    def test_an_unreadable_file_is_reported_and_the_rest_go_on(self):
        image_of(40, 20)
        broken = image_of(40, 20)
        broken.file.storage.delete(broken.file.name)

        out, err = self.run()

        assert f"Image {broken.pk}" in err
        assert "for 1 image(s); 0 image(s) already had all theirs; 1 failed" in out
