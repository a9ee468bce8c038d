"""Pictures made fit to publish with Pillow: the display copy of an upload, and the pieces its
renditions (renditions.py) are made with.

Each picture is turned upright (EXIF orientation), converted to sRGB, and saved with no metadata
at all: no EXIF (camera, GPS position), no XMP, no colour profile, no comments."""

import io
import math
from typing import NamedTuple

from django.conf import settings
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps

# Pillow's name for each format we write, and settings tuned for photographs on the web. The
# keys are Rendition.Format's values; PNG is only for display copies that need transparency.
ENCODERS = {
    "avif": ("AVIF", {"quality": 60, "speed": 7}),
    "webp": ("WEBP", {"quality": 78, "method": 5}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    "png": ("PNG", {}),
}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}

SRGB = ImageCms.createProfile("sRGB")

# EXIF orientations that turn the picture on its side (width and height swap).
SIDEWAYS = {5, 6, 7, 8}
ORIENTATION_TAG = 0x0112


class DisplayCopy(NamedTuple):
    data: bytes
    extension: str
    width: int
    height: int


def is_sideways(picture):
    """Whether EXIF turns the picture on its side, swapping width and height (no decoding)."""
    return picture.getexif().get(ORIENTATION_TAG) in SIDEWAYS


def prepare(picture):
    """The picture upright, in sRGB, as RGB (or RGBA when it has transparency), with no metadata."""
    picture = ImageOps.exif_transpose(picture)
    has_alpha = picture.has_transparency_data
    mode = "RGBA" if has_alpha else "RGB"
    if picture.mode not in ("RGB", "RGBA", "CMYK"):
        picture = picture.convert(mode)
    icc_profile = picture.info.get("icc_profile")
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            picture = ImageCms.profileToProfile(picture, source, SRGB, outputMode=mode)
        except (OSError, ImageCms.PyCMSError):
            # A damaged or unusable profile: keep the pixels as they are.
            pass
    if picture.mode != mode:
        picture = picture.convert(mode)
    # Everything Pillow read from the file (EXIF, XMP, ICC, comments) stays behind.
    picture.info = {}
    return picture


def resize(picture, width):
    if width == picture.width:
        return picture
    height = max(1, round(picture.height * width / picture.width))
    return picture.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)


def flatten(picture):
    """JPEG has no transparency: put the picture on white."""
    if picture.mode != "RGBA":
        return picture
    background = PILImage.new("RGB", picture.size, (255, 255, 255))
    background.paste(picture, mask=picture.getchannel("A"))
    return background


def encode(picture, format):
    name, options = ENCODERS[format]
    if format == "jpeg":
        picture = flatten(picture)
    buffer = io.BytesIO()
    picture.save(buffer, name, **options)
    return buffer.getvalue()


def display_copy(file):
    """The picture in `file` as pages and emails may show it before its renditions exist:
    prepared, its longer side at most IMAGE_DISPLAY_MAX, a JPEG (a PNG if it has transparency)."""
    longest = settings.IMAGE_DISPLAY_MAX
    with PILImage.open(file) as original:
        if original.format == "JPEG":
            # Decode no more pixels than the copy needs (JPEG scales by 1/2, 1/4, 1/8).
            scale = min(1, longest / max(original.size))
            original.draft(None, tuple(math.ceil(side * scale) for side in original.size))
        picture = prepare(original)
    if max(picture.size) > longest:
        picture = resize(picture, max(1, round(picture.width * longest / max(picture.size))))
    format = "png" if picture.mode == "RGBA" else "jpeg"
    return DisplayCopy(encode(picture, format), EXTENSIONS[format], *picture.size)
