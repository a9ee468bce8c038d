"""Renditions: every width in every format Pillow can write, upright, stripped and made once."""

import io
from pathlib import PurePosixPath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, ImageCms
from PIL import Image as PILImage

from articles.images import renditions
from articles.models import Rendition
from tests.articles.images.photos import (
    BLUE,
    RED,
    camera_exif,
    close_to,
    image_of,
    opened,
    picture_file,
    widths,
)
from tests.factories import ImageFactory, jpeg_bytes

pytestmark = pytest.mark.django_db

PILLOW_FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}


class TestMakingRenditions:
    def test_every_width_in_every_format(self):
        image = image_of(2000, 1000)

        made = renditions.make_renditions(image)

        formats = renditions.formats()
        assert set(formats) >= {"webp", "jpeg"}
        assert len(made) == 5 * len(formats)
        for rendition in made:
            picture = opened(rendition)
            assert picture.format == PILLOW_FORMATS[rendition.format]
            assert picture.size == (rendition.width, rendition.height)
            assert rendition.height == round(rendition.width / 2)
            assert rendition.file.name.startswith("renditions/")
        for format in formats:
            assert widths(image, format) == [320, 640, 960, 1280, 1920]

    def test_avif_when_pillow_can_write_it(self):
        if not renditions.features.check("avif"):
            pytest.skip("this Pillow cannot encode AVIF")
        image = image_of(400, 300)

        renditions.make_renditions(image)

        assert widths(image, "avif") == [320, 400]

    def test_without_avif_the_other_formats_are_made(self, monkeypatch):
        checks = renditions.features.check
        monkeypatch.setattr(
            renditions.features, "check", lambda feature: feature != "avif" and checks(feature)
        )
        image = image_of(400, 300)

        renditions.make_renditions(image)

        assert set(image.renditions.values_list("format", flat=True)) == {"webp", "jpeg"}

    @pytest.mark.parametrize(
        ("size", "expected"),
        [
            ((800, 600), [320, 640, 800]),
            ((1920, 1080), [320, 640, 960, 1280, 1920]),
            ((4000, 3000), [320, 640, 960, 1280, 1920]),
            ((200, 100), [200]),
            ((320, 200), [320]),
        ],
    )
    def test_never_wider_than_the_original(self, size, expected):
        image = image_of(*size)

        renditions.make_renditions(image)

        assert widths(image) == expected
        widest = image.renditions.get(format="jpeg", width=expected[-1])
        assert opened(widest).width == expected[-1] <= size[0]

    @pytest.mark.parametrize(
        ("orientation", "expected"),
        [(1, [(320, 240), (1920, 1440)]), (6, [(320, 427), (1920, 2560)])],
    )
    def test_a_large_photo_keeps_its_shape(self, orientation, expected):
        # Big enough for the JPEG decoder to be asked for fewer pixels.
        image = ImageFactory(file=picture_file(4000, 3000, exif=camera_exif(orientation)))

        renditions.make_renditions(image)

        jpegs = image.renditions.filter(format="jpeg")
        sizes = [(rendition.width, rendition.height) for rendition in jpegs]
        assert [sizes[0], sizes[-1]] == expected
        assert opened(jpegs.last()).size == expected[-1]

    def test_exif_orientation_is_applied(self):
        # Stored on its side (400 × 200): orientation 6 turns it a quarter clockwise.
        image = ImageFactory(file=picture_file(400, 200, exif=camera_exif(orientation=6)))
        assert (image.width, image.height) == (400, 200)

        renditions.make_renditions(image)

        assert widths(image) == [200]
        for rendition in image.renditions.all():
            picture = opened(rendition).convert("RGB")
            assert picture.size == (200, 400)
            # The stored left half (red) is now the top half.
            assert close_to(picture.getpixel((100, 50)), RED)
            assert close_to(picture.getpixel((100, 350)), BLUE)

    def test_no_metadata_survives(self):
        source = picture_file(
            640, 480, exif=camera_exif(orientation=1), xmp=b"<x:xmpmeta>Private</x:xmpmeta>"
        )
        assert PILImage.open(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)
        image = ImageFactory(file=source)

        renditions.make_renditions(image)

        for rendition in image.renditions.all():
            picture = opened(rendition)
            assert dict(picture.getexif()) == {}
            assert picture.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
            assert not {"exif", "xmp", "icc_profile"} & set(picture.info)
            with rendition.file.open("rb") as file:
                data = file.read()
            assert b"Phone maker" not in data
            assert b"Private" not in data

    def test_colour_profile_is_converted_to_srgb_and_dropped(self):
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        image = ImageFactory(file=picture_file(64, 32, icc_profile=srgb))

        renditions.make_renditions(image)

        for rendition in image.renditions.all():
            picture = opened(rendition)
            assert "icc_profile" not in picture.info
            assert close_to(picture.convert("RGB").getpixel((8, 16)), RED)

    def test_a_broken_colour_profile_is_ignored(self):
        image = ImageFactory(file=picture_file(64, 32, icc_profile=b"not a profile"))

        assert len(renditions.make_renditions(image)) == len(renditions.formats())

    def test_transparency_is_kept_where_the_format_has_it_and_white_in_jpeg(self):
        picture = PILImage.new("RGBA", (40, 20), (0, 0, 0, 0))
        picture.paste((20, 20, 220, 255), (20, 0, 40, 20))
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        image = ImageFactory(file=ContentFile(buffer.getvalue(), name="map.png"))

        renditions.make_renditions(image)

        for rendition in image.renditions.all():
            result = opened(rendition)
            if rendition.format == "jpeg":
                assert result.mode == "RGB"
                assert close_to(result.getpixel((5, 10)), (255, 255, 255))
            else:
                assert result.mode == "RGBA"
                assert result.getpixel((5, 10))[3] == 0
            assert close_to(result.convert("RGB").getpixel((35, 10)), BLUE)

    @pytest.mark.parametrize(
        ("format", "mode"),
        [("JPEG", "L"), ("JPEG", "CMYK"), ("PNG", "P"), ("PNG", "LA"), ("PNG", "I;16")],
    )
    def test_other_colour_modes_become_web_ready(self, format, mode):
        image = ImageFactory(file=picture_file(48, 24, format=format, mode=mode))

        renditions.make_renditions(image)

        modes = {rendition.format: opened(rendition).mode for rendition in image.renditions.all()}
        assert modes["jpeg"] in {"RGB", "L"}
        assert set(modes.values()) <= {"RGB", "RGBA", "L"}

    def test_renditions_are_made_once(self):
        image = image_of(700, 350)
        first = renditions.make_renditions(image)
        names = set(Rendition.objects.values_list("file", flat=True))

        assert renditions.make_renditions(image) == []
        assert set(Rendition.objects.values_list("file", flat=True)) == names
        assert len(first) == len(names)

    def test_only_the_missing_ones_are_made_again(self):
        image = image_of(700, 350)
        renditions.make_renditions(image)
        image.renditions.get(format="webp", width=640).delete()

        [remade] = renditions.make_renditions(image)

        assert (remade.format, remade.width) == ("webp", 640)

    def test_losing_a_race_to_another_worker_leaves_no_stray_file(self):
        image = image_of(40, 20)
        renditions.make_renditions(image)
        folder = str(PurePosixPath(image.renditions.first().file.name).parent)
        before = default_storage.listdir(folder)
        with image.file.open("rb") as file:
            picture = renditions.prepare(PILImage.open(file))

        assert renditions.save_rendition(image, Rendition.Format.JPEG, picture) is None
        assert default_storage.listdir(folder) == before


def test_a_remade_rendition_gets_a_new_address(django_capture_on_commit_callbacks, monkeypatch):
    """Media are served as immutable: when the bytes change (new encoder settings, --remake),
    the address must change too."""
    image = ImageFactory(file=ContentFile(jpeg_bytes(400, 300, (10, 20, 30)), name="a.jpg"))
    renditions.make_renditions(image)
    before = {r.file.name for r in image.renditions.all()}
    with django_capture_on_commit_callbacks(execute=True):
        image.renditions.all().delete()  # and their files, once committed
    assert not any(default_storage.exists(name) for name in before)
    encode = renditions.encode
    monkeypatch.setattr(
        renditions,
        "encode",
        lambda picture, format: encode(picture.point(lambda v: 255 - v), format),
    )
    renditions.make_renditions(image)
    after = {r.file.name for r in image.renditions.all()}
    assert before and after and not before & after


class TestCachedPages:
    def test_a_pictures_renditions_are_saved_together_after_all_the_encoding(self, monkeypatch):
        """Each saved row makes cached pages stale: in one burst, not over seconds of encoding."""
        events = []
        encode, save = renditions.encode, Rendition.save
        monkeypatch.setattr(
            renditions, "encode", lambda *args: events.append("encode") or encode(*args)
        )
        monkeypatch.setattr(
            Rendition, "save", lambda self, *a, **k: events.append("save") or save(self, *a, **k)
        )
        image = image_of(2000, 1000)

        made = renditions.make_renditions(image)

        count = len(renditions.formats()) * len(renditions.target_widths(2000))
        assert len(made) == count == 15
        assert events == ["encode"] * count + ["save"] * count
