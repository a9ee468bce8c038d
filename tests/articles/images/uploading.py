"""Pictures made byte by byte, and their upload through the admin's form."""

import io
import struct
import zlib
from pathlib import Path

import PIL.Image
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.forms import soup_of

IMAGE_ADD = reverse("admin:articles_image_add")
DETAILS = {"alt_text": "Delegates leaving the summit hall", "credit": "Photo: S. Okafor / Agency"}


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
