"""The display copy: made at upload, upright, stripped, capped, under a random name."""

import io
from pathlib import PurePosixPath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from tests.articles.images.originals import (
    DETAILS,
    ORIGINAL_NAME,
    STEM,
    assert_stripped,
    camera_jpeg,
    upload_through_the_admin,
)
from tests.factories import ImageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deployed_site")]


class TestDisplayCopy:
    def test_made_at_upload_upright_stripped_capped_and_under_a_random_name(self, settings):
        settings.IMAGE_DISPLAY_MAX = 300
        # Stored 600 × 400 on its side: shown 400 × 600, so 200 × 300 once capped.
        image = ImageFactory(
            file=ContentFile(camera_jpeg(600, 400, orientation=6), name=ORIGINAL_NAME)
        )

        assert (image.width, image.height) == (600, 400)
        assert (image.display_width, image.display_height) == (200, 300)
        name = PurePosixPath(image.display_file.name)
        assert str(name.parent) == f"images/{image.created_at:%Y/%m}"
        assert name.suffix == ".jpg"
        assert STEM not in str(name) and "DSC" not in str(name)
        with default_storage.open(image.display_file.name) as stored:
            data = stored.read()
        assert_stripped(data)
        with PILImage.open(io.BytesIO(data)) as picture:
            assert (picture.format, picture.size) == ("JPEG", (200, 300))
            # The stored left half (red) is now the top.
            assert picture.convert("RGB").getpixel((100, 20))[0] > 150

    def test_a_picture_with_transparency_gets_a_png(self):
        buffer = io.BytesIO()
        PILImage.new("RGBA", (40, 30), (0, 0, 0, 0)).save(buffer, "PNG")
        image = ImageFactory(file=ContentFile(buffer.getvalue(), name="logo.png"))

        with default_storage.open(image.display_file.name) as stored:
            picture = PILImage.open(stored)
            assert picture.format == "PNG"
            assert picture.mode == "RGBA"

    def test_two_uploads_of_one_file_get_different_unguessable_names(self):
        first = ImageFactory(file=ContentFile(camera_jpeg(80, 60), name=ORIGINAL_NAME))
        second = ImageFactory(file=ContentFile(camera_jpeg(80, 60), name=ORIGINAL_NAME))

        assert first.display_file.name != second.display_file.name

    def test_a_new_upload_replaces_the_display_copy_and_the_old_one_goes(
        self, editor_client, django_capture_on_commit_callbacks
    ):
        image = upload_through_the_admin(editor_client, camera_jpeg(200, 100))
        old = image.display_file.name
        change = reverse("admin:articles_image_change", args=[image.pk])
        sent = SimpleUploadedFile("second.jpg", camera_jpeg(100, 200), content_type="image/jpeg")

        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(change, {**DETAILS, "file": sent})

        assert response.status_code == 302
        image.refresh_from_db()
        assert image.display_file.name != old
        assert (image.display_width, image.display_height) == (100, 200)
        assert not default_storage.exists(old)
        assert default_storage.exists(image.display_file.name)

    def test_editing_the_caption_keeps_the_display_copy(self, editor_client):
        image = upload_through_the_admin(editor_client, camera_jpeg(200, 100))
        before = image.display_file.name
        change = reverse("admin:articles_image_change", args=[image.pk])

        response = editor_client.post(change, {**DETAILS, "caption": "At the crossing."})

        assert response.status_code == 302
        image.refresh_from_db()
        assert (image.caption, image.display_file.name) == ("At the crossing.", before)

    def test_deleting_the_image_deletes_its_copy_and_its_original(
        self, django_capture_on_commit_callbacks
    ):
        image = ImageFactory(file=ContentFile(camera_jpeg(80, 60), name=ORIGINAL_NAME))
        copy, original = image.display_file.name, image.file.name

        with django_capture_on_commit_callbacks(execute=True):
            image.delete()

        assert not default_storage.exists(copy)
        assert not image.file.storage.exists(original)
