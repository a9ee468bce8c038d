import io
import subprocess
import sys
from io import StringIO
from pathlib import PurePosixPath

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags, ImageCms
from PIL import Image as PILImage

from articles import tasks
from articles.images import renditions
from articles.models import Article, Image, Rendition
from articles.tasks import make_renditions_later
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    RelatedStoryFactory,
    SectionFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db

PILLOW_FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}
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


def camera_exif(orientation=None):
    """EXIF as a phone writes it: maker, and where the photo was taken."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Phone maker"
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


class TestDeleting:
    def test_deleting_an_image_deletes_its_rendition_files(
        self, django_capture_on_commit_callbacks
    ):
        image = image_of(700, 350)
        names = [rendition.file.name for rendition in renditions.make_renditions(image)]
        assert all(default_storage.exists(name) for name in names)

        with django_capture_on_commit_callbacks(execute=True):
            image.delete()

        assert not Rendition.objects.exists()
        assert not any(default_storage.exists(name) for name in names)

    def test_files_stay_when_the_deletion_is_rolled_back(self, django_capture_on_commit_callbacks):
        image = image_of(700, 350)
        names = [rendition.file.name for rendition in renditions.make_renditions(image)]

        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            image.delete()
            transaction.set_rollback(True)

        assert Rendition.objects.count() == len(names)
        assert all(default_storage.exists(name) for name in names)


class TestTask:
    def test_task_makes_the_renditions_and_says_how_many(self):
        image = image_of(700, 350)

        result = tasks.make_renditions.enqueue(image.pk)

        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == image.renditions.count() == 3 * len(renditions.formats())

    def test_task_for_a_deleted_image_does_nothing(self):
        result = tasks.make_renditions.enqueue(987654)

        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 0

    def test_later_means_after_the_commit(self, django_capture_on_commit_callbacks):
        image = image_of(700, 350)

        with django_capture_on_commit_callbacks() as callbacks:
            tasks.make_renditions_later(image)
            assert not image.renditions.exists()

        assert len(callbacks) == 1
        callbacks[0]()
        assert widths(image) == [320, 640, 700]

    def test_a_new_file_replaces_the_old_renditions(self, django_capture_on_commit_callbacks):
        image = image_of(700, 350)
        old = [rendition.file.name for rendition in renditions.make_renditions(image)]
        image.file = picture_file(500, 500)
        image.save()

        with django_capture_on_commit_callbacks(execute=True):
            tasks.make_renditions_later(image, replace=True)

        assert widths(image) == [320, 500]
        assert image.renditions.get(format="jpeg", width=500).height == 500
        assert not any(default_storage.exists(name) for name in old)


class TestCommand:
    def run(self, *args):
        out, err = StringIO(), StringIO()
        call_command("make_renditions", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_makes_what_is_missing_and_counts(self):
        image_of(700, 350)
        image_of(40, 20)
        per_format = len(renditions.formats())

        out, _ = self.run()
        assert f"Made {4 * per_format} rendition(s) for 2 image(s)" in out

        out, _ = self.run()
        assert "Made 0 rendition(s) for 0 image(s); 2 image(s) already had all theirs" in out

    def test_missing_skips_images_that_have_renditions(self):
        done = image_of(700, 350)
        renditions.make_renditions(done)
        done.renditions.filter(width=640).delete()
        image_of(40, 20)

        out, _ = self.run("--missing")

        assert f"Made {len(renditions.formats())} rendition(s) for 1 image(s)" in out
        assert not done.renditions.filter(width=640).exists()

    def test_remake_starts_afresh(self, django_capture_on_commit_callbacks):
        image = image_of(40, 20)
        old = [rendition.file.name for rendition in renditions.make_renditions(image)]

        with django_capture_on_commit_callbacks(execute=True):
            out, _ = self.run("--remake")

        assert f"Deleted {len(old)} rendition(s)" in out
        assert f"Made {len(old)} rendition(s) for 1 image(s)" in out
        assert not any(default_storage.exists(name) for name in old)

    def test_an_unreadable_file_is_reported_and_the_rest_go_on(self):
        image_of(40, 20)
        broken = image_of(40, 20)
        broken.file.storage.delete(broken.file.name)

        out, err = self.run()

        assert f"Image {broken.pk}" in err
        assert "for 1 image(s); 0 image(s) already had all theirs; 1 failed" in out


def render(source, **context):
    return Template("{% load images %}" + source).render(Context(context))


def soup(html):
    return BeautifulSoup(html, "html.parser")


def srcset_widths(value):
    return [int(candidate.split()[-1].rstrip("w")) for candidate in value.split(", ")]


def with_renditions(image):
    """The image as a page gets it: renditions prefetched."""
    return Image.objects.prefetch_related("renditions").get(pk=image.pk)


class TestPictureTag:
    def test_sources_and_img_from_the_renditions(self):
        image = image_of(800, 400)
        renditions.make_renditions(image)

        html = render(
            '{% picture image sizes="(min-width: 50em) 50vw, 100vw" %}',
            image=with_renditions(image),
        )

        picture = soup(html).picture
        sources = picture.find_all("source")
        mime_types = {"avif": "image/avif", "webp": "image/webp"}
        expected = [mime_types[format] for format in renditions.formats() if format != "jpeg"]
        assert [source["type"] for source in sources] == expected
        for source in sources:
            assert srcset_widths(source["srcset"]) == [320, 640, 800]
            assert source["sizes"] == "(min-width: 50em) 50vw, 100vw"
        img = picture.img
        assert srcset_widths(img["srcset"]) == [320, 640, 800]
        assert img["src"] == image.renditions.get(format="jpeg", width=800).file.url
        assert img["src"].endswith(".jpg")
        assert img["sizes"] == "(min-width: 50em) 50vw, 100vw"
        assert (img["width"], img["height"]) == ("800", "400")
        assert img["alt"] == image.alt_text
        assert img["loading"] == "lazy"
        assert img["decoding"] == "async"
        assert not img.has_attr("fetchpriority")

    def test_img_src_is_a_middling_width(self):
        image = image_of(2000, 1000)
        renditions.make_renditions(image)

        img = soup(render("{% picture image %}", image=with_renditions(image))).img

        assert img["src"] == image.renditions.get(format="jpeg", width=1280).file.url

    def test_eager_high_priority_decorative_with_a_class(self):
        image = image_of(400, 200)
        renditions.make_renditions(image)

        img = soup(
            render(
                '{% picture image loading="eager" fetchpriority="high" alt="" class="lead" %}',
                image=with_renditions(image),
            )
        ).img

        assert not img.has_attr("loading")
        assert img["fetchpriority"] == "high"
        assert img["alt"] == ""
        assert img["class"] == ["lead"]

    def test_alt_text_is_escaped(self):
        image = ImageFactory(alt_text='Crowd "outside" <the> embassy')

        html = render("{% picture image %}", image=image)

        assert 'alt="Crowd &quot;outside&quot; &lt;the&gt; embassy"' in html

    def test_size_is_as_shown_for_a_photo_stored_on_its_side(self):
        image = ImageFactory(file=picture_file(400, 200, exif=camera_exif(orientation=6)))
        renditions.make_renditions(image)

        img = soup(render("{% picture image %}", image=with_renditions(image))).img

        assert (img["width"], img["height"]) == ("200", "400")

    def test_missing_renditions_show_the_display_copy_and_ask_for_nothing(
        self, django_capture_on_commit_callbacks
    ):
        image = with_renditions(image_of(700, 350))

        with django_capture_on_commit_callbacks() as callbacks:
            html = render("{% picture image %}{% picture image %}", image=image)

        imgs = soup(html).find_all("img")
        assert len(imgs) == 2
        for img in imgs:
            assert img["src"] == image.display_file.url
            assert img["src"].startswith(settings.MEDIA_URL + "images/")
            assert not img.has_attr("srcset")
            assert (img["width"], img["height"]) == ("700", "350")
        assert not soup(html).find("source")
        assert callbacks == []
        assert not image.renditions.exists()

    def test_without_renditions_or_a_display_copy_there_is_no_picture(self):
        image = image_of(700, 350)
        image.display_file = ""

        assert render("{% picture image %}", image=image) == ""

    def test_the_renditions_come_with_the_image_without_a_query(
        self, django_assert_num_queries, django_capture_on_commit_callbacks
    ):
        image = image_of(700, 350)
        renditions.make_renditions(image)
        image = Image.objects.get(pk=image.pk)

        with django_assert_num_queries(0), django_capture_on_commit_callbacks() as callbacks:
            picture = soup(render("{% picture image %}", image=image))

        jpegs = image.renditions.filter(format=Rendition.Format.JPEG).order_by("width")
        assert picture.img["srcset"] == ", ".join(f"{r.file.url} {r.width}w" for r in jpegs)
        assert callbacks == []

    def test_no_image_renders_nothing(self):
        assert render("{% picture image %}", image=None) == ""

    def test_unknown_arguments_are_refused(self):
        with pytest.raises(TemplateSyntaxError, match="style"):
            render('{% picture image style="x" %}', image=ImageFactory())


TEASERS = Template(
    '{% for article in articles %}{% include "includes/teaser.html" with article=article only %}'
    "{% endfor %}"
)


class TestTeasers:
    def listing(self):
        return Article.objects.published().for_listing().prefetch_related("top_image__renditions")

    def add_articles(self, count, section):
        for _ in range(count):
            image = ImageFactory()
            renditions.make_renditions(image)
            ArticleFactory(section=section, top_image=image, authors=[AuthorFactory()])

    def test_teasers_show_decorative_pictures_from_the_renditions(self):
        self.add_articles(2, SectionFactory())

        page = soup(TEASERS.render(Context({"articles": self.listing()})))

        for img in page.select(".teaser__image img"):
            assert img["alt"] == ""
            assert img["loading"] == "lazy"
            assert srcset_widths(img["srcset"]) == [32]

    def test_queries_do_not_grow_with_the_number_of_images(self):
        section = SectionFactory()

        def count():
            with CaptureQueriesContext(connection) as queries:
                TEASERS.render(Context({"articles": self.listing()}))
            return len(queries)

        self.add_articles(2, section)
        few = count()
        self.add_articles(6, section)
        assert count() == few


def rendition_ready(**fields):
    image = ImageFactory(**fields)
    renditions.make_renditions(image)
    return image


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return soup(response.content.decode())


# These wait for changes outside this feature's files (see the rendition report); each XPASS
# says the change is in: remove its marker.
class TestPagesUseRenditions:
    def test_listings_and_home_page(self, client):
        section = SectionFactory(slug="europe")
        ArticleFactory(section=section, top_image=rendition_ready())

        for url in ["/", "/europe/"]:
            assert page_of(client, url).select_one(".teaser__image img[srcset]")

    def test_article_top_image(self, client):
        article = ArticleFactory(top_image=rendition_ready())

        img = page_of(client, article.get_absolute_url()).select_one(".article__top-image img")

        assert img.has_attr("srcset")
        assert img["fetchpriority"] == "high"
        assert not img.has_attr("loading")

    def test_related_stories(self, client):
        article = ArticleFactory()
        RelatedStoryFactory(article=article, related=ArticleFactory(top_image=rendition_ready()))

        page = page_of(client, article.get_absolute_url())

        assert page.select_one(".related-story__figure img[srcset]")["loading"] == "lazy"

    def test_author_photo(self, client):
        author = AuthorFactory(slug="mina", photo=rendition_ready())
        ArticleFactory(authors=[author])

        img = page_of(client, "/author/mina/").select_one(".author-card img")

        assert img.has_attr("srcset")
        assert img["class"] == ["author-card__photo"]

    def test_an_upload_in_the_admin_queues_its_renditions(
        self, editor_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(
                reverse("admin:articles_image_add"),
                {
                    "file": SimpleUploadedFile("harbour.jpg", jpeg_bytes(64, 48), "image/jpeg"),
                    "alt_text": "Cranes over the harbour at dusk",
                    "credit": "Photo: R. Amari / Agency",
                },
            )

        assert response.status_code == 302
        assert widths(Image.objects.get()) == [64]

    def test_file_clean_up_is_connected_when_django_starts(self):
        # A fresh process: here, the tests' own imports have connected it already.
        check = (
            "import sys, django; django.setup(); print('articles.images.renditions' in sys.modules)"
        )
        result = subprocess.run(
            [sys.executable, "-c", check],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
        assert result.stdout.strip() == "True"


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


class TestStoredRenditionList:
    """Image.rendition_files: the rows, kept on the image by Rendition's signals."""

    def rows(self, image):
        return [
            [r.format, r.width, r.height, r.file.name]
            for r in image.renditions.order_by("format", "width")
        ]

    def stored(self, image):
        return Image.objects.get(pk=image.pk).rendition_files

    def test_follows_the_renditions_made_and_deleted(self):
        image = image_of(700, 350)
        renditions.make_renditions(image)
        assert self.stored(image) == self.rows(image) != []
        image.renditions.filter(width=320).delete()
        assert self.stored(image) == self.rows(image)
        assert 320 not in [width for _, width, _, _ in self.stored(image)]

    def test_a_replaced_file_empties_it_until_the_new_renditions_exist(
        self, django_capture_on_commit_callbacks
    ):
        image = image_of(700, 350)
        renditions.make_renditions(image)
        with django_capture_on_commit_callbacks() as callbacks:
            make_renditions_later(image, replace=True)
        assert self.stored(image) == []
        for callback in callbacks:
            callback()
        assert self.stored(image) == self.rows(image) != []

    def test_saving_an_older_copy_of_the_image_keeps_the_list(self):
        image = image_of(700, 350)
        older = Image.objects.get(pk=image.pk)
        renditions.make_renditions(image)
        older.caption = "A new caption"
        older.save()
        assert self.stored(image) == self.rows(image) != []
        assert Image.objects.get(pk=image.pk).caption == "A new caption"


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
