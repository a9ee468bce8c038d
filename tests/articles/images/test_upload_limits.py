"""The byte and pixel limits: checked from the header before any decoding, and on every decode."""

import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import PIL.Image
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import PngImagePlugin

from articles.images.renditions import make_renditions
from articles.images.uploads import ImageForm, guard_pillow
from articles.models import Image, Rendition
from tests.articles.images.uploading import (
    DETAILS,
    blank_png,
    file_errors,
    media_files,
    picture,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decoded(monkeypatch):
    """The pictures Pillow decoded (the PNGs, whose decoding is what a bomb attacks)."""
    calls = []
    load = PngImagePlugin.PngImageFile.load

    def spy(picture):
        calls.append(picture.size)
        return load(picture)

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", spy)
    return calls


def test_the_bomb_is_refused_before_any_pixel_is_decoded(editor_client, decoded):
    response = upload(editor_client, "map.png", blank_png(10_000, 10_000))

    assert file_errors(response) == [
        "This picture has more than 40 megapixels, the most we accept. Make it smaller, "
        "at most 6,000 pixels on its longer side, and upload it again."
    ]
    assert decoded == []


def test_our_own_header_check_refuses_the_bomb_without_pillows_guard(
    editor_client, decoded, monkeypatch
):
    monkeypatch.setattr(PIL.Image, "MAX_IMAGE_PIXELS", None)

    response = upload(editor_client, "map.png", blank_png(10_000, 10_000))

    assert file_errors(response) == [
        "This picture is 10,000 × 10,000 pixels (100 megapixels); the most we accept is "
        "40 megapixels. Make it smaller, at most 6,000 pixels on its longer side, and upload "
        "it again."
    ]
    assert decoded == []
    assert not Image.objects.exists()


def test_a_whole_png_is_decoded_once_to_check_it(editor_client, decoded):
    response = upload(editor_client, "chart.png", picture("PNG"))

    assert response.status_code == 302
    assert (24, 16) in decoded


@pytest.mark.parametrize(("limit", "accepted"), [(24 * 16, True), (24 * 16 - 1, False)])
def test_the_pixel_limit_comes_from_settings(limit, accepted, settings):
    settings.IMAGE_MAX_PIXELS = limit
    form = ImageForm(DETAILS, {"file": SimpleUploadedFile("a.jpg", picture("JPEG"))})

    assert form.is_valid() is accepted
    if not accepted:
        assert form.errors["file"] == [
            "This picture is 24 × 16 pixels (384 pixels); the most we accept is 383 pixels. "
            "Make it smaller, at most 19 pixels on its longer side, and upload it again."
        ]


@pytest.mark.parametrize("format", ["JPEG", "PNG"])
def test_the_byte_limit_refuses_even_a_good_picture(format, settings, editor_client):
    data = picture(format, (200, 200))
    settings.IMAGE_MAX_BYTES = len(data) - 1

    response = upload(editor_client, "big.jpg", data)

    assert file_errors(response) == [
        f"This file is {filesizeformat(len(data))}; the most we accept is "
        f"{filesizeformat(len(data) - 1)}. Save it smaller and upload it again."
    ]
    assert not Image.objects.exists()
    assert media_files() == set()

    settings.IMAGE_MAX_BYTES = len(data)
    assert upload(editor_client, "big.jpg", data).status_code == 302


def in_a_fresh_process(code, stdin=b"", **environment):
    """What `code` prints in a new Python process that has set Django up, as production does:
    with Python's usual warning filters, not pytest's (which make every warning an error)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("IMAGE_MAX_")}
    environment = {
        **inherited,
        "SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "rs_cms.settings",
        **environment,
    }
    environment.pop("PYTHONWARNINGS", None)
    result = subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        input=stdin,
        capture_output=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=True,
        timeout=60,
    )
    return result.stdout.decode().split()


OPEN = """
import io, sys
from PIL import Image
try:
    Image.open(io.BytesIO(sys.stdin.buffer.read()))
except Image.DecompressionBombWarning:
    print("refused")
else:
    print("opened")
"""


def test_the_app_makes_pillow_refuse_a_picture_over_the_limit_at_startup():
    assert PIL.Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS
    # 49 megapixels: over the limit but under twice it, where Pillow alone only warns.
    assert in_a_fresh_process(OPEN, stdin=blank_png(7_000, 7_000)) == ["refused"]


LIMITS = """
from django.conf import settings
from PIL import Image
print(settings.IMAGE_MAX_BYTES, settings.IMAGE_MAX_PIXELS, Image.MAX_IMAGE_PIXELS)
"""


def test_the_limits_default_well_below_pillows_and_follow_the_environment():
    # Pillow's own limit is 89,478,485 pixels.
    assert in_a_fresh_process(LIMITS) == ["20971520", "40000000", "40000000"]
    assert in_a_fresh_process(LIMITS, IMAGE_MAX_BYTES="5000000", IMAGE_MAX_PIXELS="1000000") == [
        "5000000",
        "1000000",
        "1000000",
    ]


def stored_without_checks(data, width, height):
    """A picture that reached the library some other way (an old upload, a script that wrote
    the row itself, without Image.save and its display copy)."""
    name = Image._meta.get_field("file").storage.save("originals/legacy.png", io.BytesIO(data))
    (image,) = Image.objects.bulk_create([Image(file=name, width=width, height=height, **DETAILS)])
    return image


def test_saving_a_bomb_that_skipped_the_form_stores_no_row_and_no_copy():
    name = Image._meta.get_field("file").storage.save(
        "originals/legacy.png", io.BytesIO(blank_png(10_000, 10_000))
    )

    with pytest.raises(PIL.Image.DecompressionBombError):
        Image.objects.create(file=name, width=10_000, height=10_000, **DETAILS)

    assert not Image.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists()


def test_renditions_refuse_a_bomb_that_skipped_the_form():
    image = stored_without_checks(blank_png(10_000, 10_000), 10_000, 10_000)

    with pytest.raises(PIL.Image.DecompressionBombError):
        make_renditions(image)
    assert not Rendition.objects.exists()


def test_renditions_refuse_a_picture_just_over_the_limit_even_where_warnings_are_ignored():
    # 7000 × 7000 is 49 megapixels: over the limit but under twice it, where Pillow only warns.
    image = stored_without_checks(blank_png(7_000, 7_000), 7_000, 7_000)

    with warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.simplefilter("ignore")
        guard_pillow()
        with pytest.raises(PIL.Image.DecompressionBombWarning):
            make_renditions(image)
    assert not Rendition.objects.exists()
