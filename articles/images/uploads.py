"""Checks on uploaded pictures, made before anything is stored.

An upload is a whole JPEG, PNG, WebP, AVIF or GIF picture within the byte and pixel limits, or a
form error that says what to do. The size comes from the header, so a decompression bomb is
refused before a single pixel is decoded; only then is the picture decoded once, to refuse one
that was cut short."""

import struct
import warnings
from math import isqrt
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage

from articles.images.models import Image

# Pillow's name for each accepted format: the file name's extension and the content type the
# stored file is served with come from here, never from what the browser said.
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "AVIF": ("avif", "image/avif"),
    "GIF": ("gif", "image/gif"),
}
ACCEPTED = "JPEG, PNG, WebP, AVIF or GIF"

# What Pillow's decoders raise on a damaged file.
DAMAGED = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    RuntimeError,
    struct.error,
)
BOMB = (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning)

HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis")


def guard_pillow():
    """Make every Pillow decode in this process refuse pictures over the pixel limit, not only
    uploads: renditions, and Django's own image checks."""
    PILImage.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
    # Between the limit and twice the limit Pillow only warns, and then decodes.
    warnings.simplefilter("error", PILImage.DecompressionBombWarning)


def amount(pixels):
    """A pixel count the way a photographer says it: "45.7 megapixels"."""
    if pixels < 100_000:
        return f"{pixels:,} pixels"
    return f"{pixels / 1_000_000:,.1f}".removesuffix(".0") + " megapixels"


def too_many_pixels(size=None):
    limit = settings.IMAGE_MAX_PIXELS
    side = isqrt(limit)
    side = side // 500 * 500 or side
    advice = f"Make it smaller, at most {side:,} pixels on its longer side, and upload it again."
    if size is None:
        # Pillow's own guard stopped it, before telling us the size.
        message = f"This picture has more than {amount(limit)}, the most we accept. {advice}"
    else:
        width, height = size
        message = (
            f"This picture is {width:,} × {height:,} pixels ({amount(width * height)}); "
            f"the most we accept is {amount(limit)}. {advice}"
        )
    return ValidationError(message, code="too_many_pixels")


def looks_like_svg(name, head):
    if PurePath(name).suffix.lower() in {".svg", ".svgz"}:
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<") and b"<svg" in text


def looks_like_heif(head):
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def check_picture(upload):
    """Refuse `upload` unless it is a whole picture in an accepted format within the limits;
    then give it the name and content type of what it really is."""
    if upload.size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            f"This file is {filesizeformat(upload.size)}; the most we accept is "
            f"{filesizeformat(settings.IMAGE_MAX_BYTES)}. Save it smaller and upload it again.",
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(1024)
    if looks_like_svg(upload.name, head):
        raise ValidationError(
            "SVG drawings are not accepted: they can carry scripts. "
            "Export the drawing as a PNG and upload that.",
            code="svg",
        )
    if looks_like_heif(head):
        raise ValidationError(
            "HEIC photos (the iPhone's own format) are not accepted. "
            "Export the photo as a JPEG and upload that.",
            code="heif",
        )
    upload.seek(0)
    try:
        with PILImage.open(upload, formats=list(FORMATS)) as picture:
            # Image.open read only the header: nothing has been decoded yet.
            if picture.width * picture.height > settings.IMAGE_MAX_PIXELS:
                raise too_many_pixels(picture.size)
            if picture.format == "JPEG":
                # Decode at an eighth of the size: the whole file is still read, so a picture
                # cut short is still found, with a sixty-fourth of the memory.
                picture.draft(None, (1, 1))
            picture.load()
            format = picture.format
    except BOMB:
        raise too_many_pixels() from None
    except PILImage.UnidentifiedImageError:
        raise ValidationError(
            f"This file is not a picture we can use. Upload a {ACCEPTED} file.",
            code="not_a_picture",
        ) from None
    except DAMAGED:
        raise ValidationError(
            "This picture is damaged or incomplete: it may have been cut short. "
            "Save it again and upload the new file.",
            code="damaged",
        ) from None
    finally:
        upload.seek(0)
    extension, content_type = FORMATS[format]
    upload.name = f"{PurePath(upload.name).stem or 'picture'}.{extension}"
    upload.content_type = content_type


class PictureField(forms.ImageField):
    """An image upload checked by `check_picture` instead of Django's open-and-verify, which
    opens any format Pillow knows."""

    # The stored name takes its extension from the content, so a misnamed photo is fine.
    default_validators = []

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is not None:
            check_picture(upload)
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = ",".join(content_type for _, content_type in FORMATS.values())
        return attrs


class OriginalFileInput(forms.ClearableFileInput):
    """The upload input without the link to the current file that ClearableFileInput adds:
    the original is private and has no address (the admin offers a download instead)."""

    def is_initial(self, value):
        return False


class ImageForm(forms.ModelForm):
    """The photo library's form: every way into the library (the admin, its pop-up from an
    article or an author) goes through it. Saving the image makes its display copy."""

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "no_credit_needed", "source_url"]
        field_classes = {"file": PictureField}
        widgets = {"file": OriginalFileInput}
