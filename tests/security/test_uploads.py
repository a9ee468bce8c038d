"""Hostile picture uploads: each is a form error, and nothing reaches the disk or the database."""

import io
import os
import struct
import subprocess
import sys
import warnings
import zlib
from pathlib import Path, PurePath

import boto3
import PIL.Image
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from moto import mock_aws
from PIL import PngImagePlugin, features

from articles.models import Image, Rendition
from articles.renditions import make_renditions
from articles.uploads import ImageForm, guard_pillow
from rs_cms.environment import media_storage_from_env, originals_storage_from_env
from tests.factories import ImageFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db

IMAGE_ADD = reverse("admin:articles_image_add")
DETAILS = {"alt_text": "Delegates leaving the summit hall", "credit": "Photo: S. Okafor / Agency"}
FORMATS = ["JPEG", "PNG", "WEBP", "GIF"] + (["AVIF"] if features.check("avif") else [])
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
REGION = "us-east-1"
ERROR_CODES = {"too_big", "svg", "heif", "too_many_pixels", "not_a_picture", "damaged", "empty"}


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(width, height):
    """A one-bit PNG of blank rows, written by hand: a 10000 × 10000 one packs into 12 KB."""
    row = b"\x00" + bytes((width + 7) // 8)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            png_chunk(b"IHDR", header),
            png_chunk(b"IDAT", zlib.compress(row * height, 9)),
            png_chunk(b"IEND", b""),
        ]
    )


def picture(format, size=(24, 16)):
    """A small photograph-like picture (noise, so it has data to damage) in `format`."""
    buffer = io.BytesIO()
    PIL.Image.effect_noise(size, 60).convert("RGB").save(buffer, format)
    return buffer.getvalue()


def cut_short(data):
    return data[: len(data) * 2 // 3]


def avif_without_a_picture():
    """An AVIF container whose `meta` box holds only its handler: no picture item at all."""
    data = picture("AVIF")
    meta = data.index(b"meta") - 4
    handler = data.index(b"hdlr") - 4
    end = handler + struct.unpack(">I", data[handler : handler + 4])[0]
    return data[:meta] + struct.pack(">I", end - meta) + data[meta + 4 : end]


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="alert(document.cookie)">
  <script>fetch('/admin/')</script><rect width="40" height="40"/>
</svg>"""
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><title>x</title><script>alert(document.domain)</script>"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)

HOSTILE = {
    "svg": ("map.svg", SVG, "SVG drawings are not accepted"),
    "svg renamed": ("map.png", SVG, "SVG drawings are not accepted"),
    "pdf renamed": ("photo.jpg", PDF, "This file is not a picture we can use"),
    "html renamed": ("photo.jpg", HTML, "This file is not a picture we can use"),
    "tiff": ("scan.jpg", picture("TIFF"), "This file is not a picture we can use"),
    "heic": ("IMG_0042.HEIC", HEIC, "HEIC photos (the iPhone's own format) are not accepted"),
    "truncated jpeg": ("photo.jpg", cut_short(picture("JPEG", (320, 240))), "damaged"),
    "truncated png": ("chart.png", cut_short(picture("PNG", (320, 240))), "damaged"),
    "bomb": ("map.png", blank_png(10_000, 10_000), "This picture has more than 40 megapixels"),
}
if features.check("avif"):
    HOSTILE["avif without a picture"] = ("photo.avif", avif_without_a_picture(), "damaged")


def media_files():
    """Every file stored, public or private."""
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    return {path for root in roots for path in root.rglob("*") if path.is_file()}


def upload(client, name, data):
    return client.post(IMAGE_ADD, {**DETAILS, "file": SimpleUploadedFile(name, data)}, secure=True)


def file_errors(response):
    return [
        li.get_text(" ", strip=True) for li in soup_of(response).select(".field-file .errorlist li")
    ]


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Every upload goes through a temporary file here, however small."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return settings.FILE_UPLOAD_TEMP_DIR


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


def test_the_bomb_is_a_12_kb_png_of_100_megapixels():
    bomb = blank_png(10_000, 10_000)

    assert len(bomb) < 13_000
    assert bomb[12:16] == b"IHDR"
    assert struct.unpack(">II", bomb[16:24]) == (10_000, 10_000)


@pytest.mark.parametrize("case", HOSTILE)
def test_admin_refuses_a_hostile_upload_and_stores_nothing(case, editor_client, upload_dir):
    ImageFactory()
    before = media_files()
    name, data, message = HOSTILE[case]

    response = upload(editor_client, name, data)

    assert response.status_code == 200
    errors = file_errors(response)
    assert len(errors) == 1
    assert message in errors[0]
    assert Image.objects.count() == 1
    assert media_files() == before
    assert list(upload_dir.iterdir()) == []


@pytest.mark.parametrize("case", HOSTILE)
def test_model_form_refuses_a_hostile_upload(case):
    name, data, message = HOSTILE[case]
    form = ImageForm(DETAILS, {"file": SimpleUploadedFile(name, data)})

    assert not form.is_valid()
    assert message in form.errors["file"][0]
    assert list(form.errors) == ["file"]
    assert not Image.objects.exists()
    assert media_files() == set()


@pytest.mark.parametrize("format", FORMATS)
def test_admin_stores_a_whole_picture_in_each_accepted_format(format, editor_client, upload_dir):
    response = upload(editor_client, f"harbour.{EXTENSIONS[format]}", picture(format))

    assert response.status_code == 302, file_errors(response)
    image = Image.objects.get()
    assert (image.width, image.height) == (24, 16)
    assert PurePath(image.file.name).suffix == f".{EXTENSIONS[format]}"
    with image.file.open("rb") as stored, PIL.Image.open(stored) as reopened:
        assert reopened.format == format
    assert list(upload_dir.iterdir()) == []


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


@pytest.mark.parametrize(
    ("name", "stored_as"),
    [("holiday.jpg", "holiday.png"), ("holiday.html", "holiday.png"), ("holiday", "holiday.png")],
)
def test_the_name_and_content_type_come_from_the_content(name, stored_as):
    sent = SimpleUploadedFile(name, picture("PNG"), content_type="text/html")
    form = ImageForm(DETAILS, {"file": sent})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].name == stored_as
    assert form.cleaned_data["file"].content_type == "image/png"
    image = form.save()
    assert PurePath(image.file.name).name == stored_as


def test_media_storage_serves_the_picture_as_what_it_is(editor_client, settings):
    """S3 serves an object with the content type it was given, which Django takes from the
    browser: a picture sent as text/html would be served as a page."""
    environ = {
        "MEDIA_S3_BUCKET": "uploads",
        "MEDIA_S3_PRIVATE_BUCKET": "originals",
        "MEDIA_S3_REGION": REGION,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage_from_env(environ),
        "originals": originals_storage_from_env(environ),
    }
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="uploads")
        s3.create_bucket(Bucket="originals")
        sent = SimpleUploadedFile("notes.html", picture("GIF"), content_type="text/html")

        response = editor_client.post(IMAGE_ADD, {**DETAILS, "file": sent}, secure=True)

        assert response.status_code == 302
        (original,) = s3.list_objects_v2(Bucket="originals")["Contents"]
        assert PurePath(original["Key"]).suffix == ".gif"
        head = s3.head_object(Bucket="originals", Key=original["Key"])
        assert head["ContentType"] == "image/gif"
        # What readers get is the display copy, re-encoded, with its own type.
        (shown,) = s3.list_objects_v2(Bucket="uploads")["Contents"]
        assert PurePath(shown["Key"]).suffix == ".jpg"
        head = s3.head_object(Bucket="uploads", Key=shown["Key"])
        assert head["ContentType"] == "image/jpeg"


def test_the_file_input_offers_only_the_accepted_formats(editor_client):
    page = soup_of(editor_client.get(IMAGE_ADD, secure=True))

    accept = page.select_one("input[type=file][name=file]")["accept"]
    assert accept.split(",") == ["image/jpeg", "image/png", "image/webp", "image/avif", "image/gif"]


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


SAMPLES = [picture(format) for format in FORMATS] + [blank_png(40, 30)]


@st.composite
def damaged_pictures(draw):
    """A good picture with some bytes overwritten and perhaps cut short."""
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.just(len(data)) | st.integers(1, len(data)))])


@hypothesis_settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.sampled_from(["photo.jpg", "photo.png", "photo.svg", "photo", "photo.html"]),
    data=st.binary(max_size=600) | damaged_pictures(),
)
def test_any_bytes_are_a_whole_picture_or_a_form_error(name, data):
    with override_settings(IMAGE_MAX_PIXELS=250_000):
        form = ImageForm(DETAILS, {"file": SimpleUploadedFile(name, data)})
        accepted = form.is_valid()

    event("accepted" if accepted else form.errors.as_data()["file"][0].code)
    if accepted:
        with PIL.Image.open(io.BytesIO(data), formats=list(EXTENSIONS)) as reopened:
            reopened.load()
            assert form.cleaned_data["file"].name == f"photo.{EXTENSIONS[reopened.format]}"
    else:
        assert list(form.errors) == ["file"]
        assert {error.code for error in form.errors.as_data()["file"]} <= ERROR_CODES
