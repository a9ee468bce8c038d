"""A camera's photo under a name that says who is in it, uploaded; and how to tell what
leaks of it."""

import io
from pathlib import PurePosixPath

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PILImage

from articles.models import Image
from tests.articles.images.photos import camera_exif

SITE = "https://review.example.org"
# A name that says who is in the picture: it must not reach any public address.
ORIGINAL_NAME = "sources-face-DSC_4411.jpg"
STEM = PurePosixPath(ORIGINAL_NAME).stem
CAMERA = ("NIKON CORPORATION", "NIKON D750")
DETAILS = {"alt_text": "A source, face turned away", "credit": "Photo: A. Name / Agency"}


def camera_jpeg(width=1300, height=866, orientation=None):
    """A photo as a camera writes it: maker and model, and where it was taken."""
    exif = camera_exif(orientation, *CAMERA)
    picture = PILImage.new("RGB", (width, height), (180, 40, 40))
    picture.paste((40, 40, 180), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def metadata_of(data):
    """(camera make and model, GPS entries, metadata blocks) that `data` carries."""
    with PILImage.open(io.BytesIO(data)) as picture:
        exif = picture.getexif()
        camera = {exif.get(ExifTags.Base.Make), exif.get(ExifTags.Base.Model)} - {None}
        blocks = {"exif", "xmp", "icc_profile", "comment"} & set(picture.info)
        return camera, dict(exif.get_ifd(ExifTags.IFD.GPSInfo)), blocks


def assert_stripped(data):
    assert metadata_of(data) == (set(), {}, set())
    assert CAMERA[0].encode() not in data


def upload_through_the_admin(client, data=None, name=ORIGINAL_NAME):
    sent = SimpleUploadedFile(name, data or camera_jpeg(), content_type="image/jpeg")
    response = client.post(reverse("admin:articles_image_add"), {**DETAILS, "file": sent})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get(alt_text=DETAILS["alt_text"])
