"""Pictures made for the tests, some with a camera's metadata, and what their renditions hold."""

import io

from django.core.files.base import ContentFile
from PIL import ExifTags
from PIL import Image as PILImage

from tests.factories import ImageFactory

RED, BLUE = (220, 20, 20), (20, 20, 220)


def picture_file(width, height, format="JPEG", mode="RGB", colour=RED, **options):
    """An uploaded picture: `width` × `height`, left half `colour`, right half blue."""
    picture = PILImage.new("RGB", (width, height), colour)
    picture.paste(BLUE, (width // 2, 0, width, height))
    picture = picture.convert(mode)
    buffer = io.BytesIO()
    picture.save(buffer, format, **options)
    return ContentFile(buffer.getvalue(), name=f"photo.{format.lower()}")


def image_of(width, height, **options):
    return ImageFactory(file=picture_file(width, height, **options))


def opened(rendition):
    with rendition.file.open("rb") as file:
        picture = PILImage.open(io.BytesIO(file.read()))
        picture.load()
    return picture


def widths(image, format="jpeg"):
    return list(image.renditions.filter(format=format).values_list("width", flat=True))


def camera_exif(orientation=None, make="Phone maker", model=None):
    """EXIF as a phone or a camera writes it: maker (and model), and where the photo was taken."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = make
    if model:
        exif[ExifTags.Base.Model] = model
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 40.0)
    return exif


def close_to(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))
