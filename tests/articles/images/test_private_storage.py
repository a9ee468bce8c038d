"""Originals on a storage without addresses, and `manage.py secure_originals` for older ones."""

import os
import re
import stat
from io import StringIO
from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image as PILImage

from articles.images import pictures, renditions
from articles.models import Image, Rendition
from rs_cms.storage import NoAddress, PrivateStorage
from tests.articles.images.originals import (
    DETAILS,
    ORIGINAL_NAME,
    STEM,
    assert_stripped,
    camera_jpeg,
)
from tests.factories import ImageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deployed_site")]


class TestPrivateStorage:
    def test_originals_go_to_the_private_folder_which_has_no_address(self, settings):
        image = ImageFactory(file=ContentFile(camera_jpeg(80, 60), name=ORIGINAL_NAME))

        stored = Path(settings.PRIVATE_MEDIA_ROOT) / image.file.name
        assert stored.read_bytes()[:2] == b"\xff\xd8"
        assert not (Path(settings.MEDIA_ROOT) / image.file.name).exists()
        assert PurePosixPath(image.file.name).parent == PurePosixPath(
            f"originals/{image.created_at:%Y/%m}"
        )
        # Not readable by other accounts on the machine.
        assert not stat.S_IMODE(os.stat(stored).st_mode) & stat.S_IROTH
        with pytest.raises(NoAddress):
            image.file.url  # noqa: B018

    def test_the_private_folder_follows_the_setting(self, settings, tmp_path):
        storage = PrivateStorage()
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "first"
        storage.save("a.txt", ContentFile(b"one"))
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "second"
        storage.save("a.txt", ContentFile(b"two"))

        assert (tmp_path / "first" / "a.txt").read_bytes() == b"one"
        assert (tmp_path / "second" / "a.txt").read_bytes() == b"two"
        with pytest.raises(NoAddress):
            storage.url("a.txt")

    def test_rendition_names_say_nothing_of_the_original(self):
        image = ImageFactory(file=ContentFile(camera_jpeg(700, 400), name=ORIGINAL_NAME))

        made = renditions.make_renditions(image)

        assert made
        for rendition in made:
            name = PurePosixPath(rendition.file.name).name
            assert re.fullmatch(rf"{image.pk}-{rendition.width}w-[0-9a-f]{{10}}\.\w+", name)


class TestSecureOriginals:
    """manage.py secure_originals: the pictures uploaded before originals were private."""

    def legacy_image(self):
        """An image as the site stored it before: its original on the public storage, no
        display copy, and renditions named after the original."""
        original = camera_jpeg(400, 300)
        name = default_storage.save(f"images/2026/05/{ORIGINAL_NAME}", ContentFile(original))
        (image,) = Image.objects.bulk_create([Image(file=name, width=400, height=300, **DETAILS)])
        rendition_name = default_storage.save(
            f"renditions/2026/05/{image.pk}-{STEM}-320w-0123456789.jpg",
            ContentFile(pictures.encode(PILImage.new("RGB", (320, 240)), "jpeg")),
        )
        Rendition.objects.create(
            image=image, format="jpeg", width=320, height=240, file=rendition_name
        )
        return image, original, rendition_name

    def run(self):
        out, err = StringIO(), StringIO()
        call_command("secure_originals", stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def public_files(self):
        return sorted(str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())

    def test_moves_the_original_to_private_storage_and_is_idempotent(
        self, django_capture_on_commit_callbacks
    ):
        image, original, old_rendition = self.legacy_image()
        legacy_name = image.file.name

        with django_capture_on_commit_callbacks(execute=True):
            out, err = self.run()

        assert err == ""
        assert f"Image {image.pk}: moved its original {legacy_name}" in out
        assert "1 picture(s) made private" in out
        image.refresh_from_db()
        assert image.file.name == legacy_name
        with image.file.storage.open(image.file.name) as stored:
            assert stored.read() == original
        assert not default_storage.exists(legacy_name)
        with default_storage.open(image.display_file.name) as copy:
            assert_stripped(copy.read())
        # The renditions named after the original are gone, made again under new names.
        assert not default_storage.exists(old_rendition)
        assert image.renditions.exists()
        assert not any(STEM in r.file.name for r in image.renditions.all())
        assert not any(STEM in name for name in self.public_files())

        files, rows = self.public_files(), list(Image.objects.values())
        with django_capture_on_commit_callbacks(execute=True):
            out, err = self.run()

        assert "every picture's original is private already" in out
        assert (err, self.public_files(), list(Image.objects.values())) == ("", files, rows)

    def test_a_run_stopped_after_the_copy_finishes_the_move(self):
        image, original, _ = self.legacy_image()
        image.file.storage.save(image.file.name, ContentFile(original))

        out, _ = self.run()

        assert "1 picture(s) made private" in out
        assert not default_storage.exists(image.file.name)
        image.refresh_from_db()
        with image.file.storage.open(image.file.name) as stored:
            assert stored.read() == original
        assert image.display_file

    def test_an_image_whose_original_is_lost_is_reported(self):
        image, _, _ = self.legacy_image()
        default_storage.delete(image.file.name)

        out, err = self.run()

        assert f"Image {image.pk}: its original {image.file.name} is missing" in err
        assert "0 picture(s) made private" in out
        assert "1 with no original" in out
