"""Hostile picture uploads: each is a form error, and nothing reaches the disk or the database."""

import io
import struct
from pathlib import PurePath

import boto3
import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from moto import mock_aws
from PIL import features

from articles.images.uploads import ImageForm
from articles.models import Image
from rs_cms.environment import media_storage_from_env, originals_storage_from_env
from tests.articles.images.uploading import (
    DETAILS,
    IMAGE_ADD,
    blank_png,
    file_errors,
    media_files,
    picture,
    upload,
)
from tests.factories import ImageFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db

FORMATS = ["JPEG", "PNG", "WEBP", "GIF"] + (["AVIF"] if features.check("avif") else [])
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
REGION = "us-east-1"
ERROR_CODES = {"too_big", "svg", "heif", "too_many_pixels", "not_a_picture", "damaged", "empty"}


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


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Every upload goes through a temporary file here, however small."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return settings.FILE_UPLOAD_TEMP_DIR


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
