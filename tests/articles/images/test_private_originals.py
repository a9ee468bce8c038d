"""Uploaded originals are private: every public address and every newsletter export points at a
stripped copy (no camera EXIF, no GPS, not the original's name), staff download the original
from the admin, and a reader's request never runs an encoder."""

import email
import email.policy
import io
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import PIL.Image
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import re_path, reverse
from django.views.static import serve
from PIL import ExifTags
from PIL import Image as PILImage

import rs_cms.urls
from articles.images import pictures, renditions
from articles.models import Article, Image, Rendition
from newsletter import export
from newsletter.models import Issue, IssueItem, Newsletter
from rs_cms.storage import NoAddress, PrivateStorage
from tests.conftest import STAFF_PASSWORD
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    RelatedStoryFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://review.example.org"
# A name that says who is in the picture: it must not reach any public address.
ORIGINAL_NAME = "sources-face-DSC_4411.jpg"
STEM = PurePosixPath(ORIGINAL_NAME).stem
CAMERA = ("NIKON CORPORATION", "NIKON D750")
DETAILS = {"alt_text": "A source, face turned away", "credit": "Photo: A. Name / Agency"}


def serve_media(request, path):
    """What the web server in front of the site does: serve MEDIA_ROOT (as it is now)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The site as deployed: the public media folder served at MEDIA_URL beside the app.
urlpatterns = [re_path(r"^media/(?P<path>.*)\Z", serve_media), *rs_cms.urls.urlpatterns]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ROOT_URLCONF = __name__
    settings.SITE_URL = SITE
    settings.MEDIA_URL = "/media/"


def camera_jpeg(width=1300, height=866, orientation=None):
    """A photo as a camera writes it: maker and model, and where it was taken."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = CAMERA
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (33.0, 18.0, 44.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (44.0, 23.0, 9.0)
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


def srcset_urls(value):
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def json_strings(value):
    if isinstance(value, dict):
        return [string for part in value.values() for string in json_strings(part)]
    if isinstance(value, list):
        return [string for part in value for string in json_strings(part)]
    return [value] if isinstance(value, str) else []


def html_urls(html):
    """Every address a page or an email gives for a picture, and every JSON-LD string."""
    soup = BeautifulSoup(html, "html.parser")
    urls = []
    for img in soup.find_all("img"):
        urls += [img["src"], *srcset_urls(img.get("srcset", ""))]
    for source in soup.find_all("source"):
        urls += srcset_urls(source["srcset"])
    for meta in soup.find_all("meta"):
        if meta.get("property", meta.get("name", "")) in {"og:image", "twitter:image"}:
            urls.append(meta["content"])
    for script in soup.find_all("script", type="application/ld+json"):
        urls += json_strings(json.loads(script.string))
    return urls


def text_urls(text):
    return re.findall(r"https?://\S+", text)


def xml_urls(content):
    """Every address in a feed or sitemap: in attributes (media:content url) and in text."""
    urls = []
    for element in ET.fromstring(content).iter():
        urls += [value for value in element.attrib.values() if "://" in value]
        if element.text and "://" in element.text:
            urls.append(element.text.strip())
    return urls


def eml_urls(data):
    message = email.message_from_bytes(data, policy=email.policy.default)
    urls = []
    for part in message.walk():
        if part.get_content_type() == "text/html":
            urls += html_urls(part.get_content())
        elif part.get_content_type() == "text/plain":
            urls += text_urls(part.get_content())
    return urls


def media_path(url):
    """The path under MEDIA_URL of a media address on our site; None for any other address."""
    parts = urlsplit(url)
    if parts.netloc not in {"", urlsplit(SITE).netloc}:
        return None
    if not parts.path.startswith(settings.MEDIA_URL):
        return None
    return parts.path


def fetched(client, url):
    response = client.get(media_path(url))
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def magazine(image):
    """A published story with `image` as its top image, its author's photo and a body
    picture; another story that shows it as a related story; a newsletter issue with it."""
    story = ArticleFactory(
        headline="Inside the border crossing",
        section=SectionFactory(name="Middle East", slug="middle-east"),
        kind=Article.Kind.REPORTING,
        top_image=image,
        authors=[AuthorFactory(name="Mina Ode", slug="mina-ode", photo=image)],
        tags=["Border crossings"],
    )
    # Straight to the database, as test_body_images does: the placeholder is the editor's.
    Article.objects.filter(pk=story.pk).update(
        body=f'<p>Opening.</p><figure data-image="{image.pk}"></figure><p>More.</p>'
    )
    RelatedStoryFactory(
        article=ArticleFactory(section=story.section, top_image=None), related=story
    )
    newsletter = Newsletter.objects.create(name="The Weekly Round-up", slug="weekly")
    issue = Issue.objects.create(
        newsletter=newsletter, number=1, subject="Crossings", status=Issue.Status.READY
    )
    IssueItem.objects.create(issue=issue, article=story, position=0)
    return story, issue


def public_pages(story):
    tag = story.tags.get()
    return [
        reverse("articles:home"),
        story.get_absolute_url(),
        story.related_picks.model.objects.get(related=story).article.get_absolute_url(),
        story.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": tag.slug}),
        reverse("articles:author", kwargs={"slug": "mina-ode"}),
        reverse("articles:kind", kwargs={"kind": story.kind}),
        reverse("articles:search") + "?q=border",
    ]


def feeds(story):
    tag = story.tags.get()
    return [
        reverse(f"feeds:{scope}-{kind}", kwargs=kwargs)
        for kind in ("rss", "atom")
        for scope, kwargs in [
            ("site", {}),
            ("section", {"slug": story.section.slug}),
            ("tag", {"slug": tag.slug}),
            ("author", {"slug": "mina-ode"}),
        ]
    ]


def sitemap_urls(client):
    index = client.get(reverse("sitemap-index"))
    assert index.status_code == 200
    urls = xml_urls(index.content)
    for url in list(urls):
        if url.startswith(SITE) and "sitemap" in url:
            response = client.get(urlsplit(url).path)
            assert response.status_code == 200, url
            urls += xml_urls(response.content)
    return urls


def exports(issue):
    """The issue in every export format, as bytes."""
    return {
        fmt: export.export_issue(issue, fmt, recipient="reader@example.org")[0]
        for fmt in export.FORMATS
    }


def every_public_url(client, story, issue):
    """{where: [address, …]} for every page, feed, sitemap and export that names pictures."""
    found = {}
    for page in public_pages(story) + [issue.get_absolute_url()]:
        response = client.get(page)
        assert response.status_code == 200, page
        found[page] = html_urls(response.content.decode())
    for feed in feeds(story):
        response = client.get(feed)
        assert response.status_code == 200, feed
        found[feed] = xml_urls(response.content)
    found["sitemap"] = sitemap_urls(client)
    exported = exports(issue)
    found["html export"] = html_urls(exported["html"].decode())
    found["text export"] = text_urls(exported["text"].decode())
    found["json export"] = json_strings(json.loads(exported["json"]))
    found["eml export"] = eml_urls(exported["eml"])
    return found


@pytest.mark.parametrize("renditions_made", [False, True], ids=["display copy", "renditions"])
def test_no_public_address_or_export_leaks_the_original_its_name_or_its_camera_data(
    editor_client, django_capture_on_commit_callbacks, renditions_made
):
    original = camera_jpeg()
    assert metadata_of(original)[0] == set(CAMERA)
    assert metadata_of(original)[1]
    # The upload queues its renditions; running the queued work makes them.
    with django_capture_on_commit_callbacks(execute=renditions_made):
        image = upload_through_the_admin(editor_client, original)
    assert image.renditions.exists() is renditions_made
    story, issue = magazine(image)
    reader = Client()

    found = every_public_url(reader, story, issue)

    for where, urls in found.items():
        for url in urls:
            assert STEM not in url, f"{where}: {url}"
    # The article page (img, srcset, OpenGraph, JSON-LD) and each export that can show a
    # picture name one; the text export has none to show.
    for where in [story.get_absolute_url(), "html export", "json export", "eml export"]:
        assert any(media_path(url) for url in found[where]), where
    media = {url for urls in found.values() for url in urls if media_path(url)}
    shown = {media_path(url) for url in media}
    if renditions_made:
        assert shown <= {rendition.file.url for rendition in image.renditions.all()}
        assert len(shown) > len(renditions.formats())
    else:
        assert shown == {image.display_file.url}
    for url in media:
        assert_stripped(fetched(reader, url))

    # The original is at no public address, under its own name or its stored one.
    year_month = image.created_at.strftime("%Y/%m")
    for name in [f"images/{year_month}/{ORIGINAL_NAME}", image.file.name]:
        assert reader.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    public_files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert public_files
    for public_file in public_files:
        assert STEM not in public_file.name
        assert_stripped(public_file.read_bytes())

    # Staff still have it, camera data and all.
    download = editor_client.get(reverse("admin:articles_image_original", args=[image.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == original
    assert download["Content-Disposition"] == f'attachment; filename="{ORIGINAL_NAME}"'
    assert {"private", "no-store"} <= {
        directive.strip() for directive in download["Cache-Control"].split(",")
    }


def test_the_original_download_is_refused_to_readers_and_to_staff_without_permission(
    editor_client, django_user_model
):
    image = upload_through_the_admin(editor_client)
    url = reverse("admin:articles_image_original", args=[image.pk])

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))

    intern = django_user_model.objects.create_user("intern", password=STAFF_PASSWORD, is_staff=True)
    staff = Client()
    staff.force_login(intern)
    assert staff.get(url).status_code == 403

    # Someone who may see the library (view_image) may have its originals.
    intern.user_permissions.add(Permission.objects.get(codename="view_image"))
    allowed = staff.get(url)
    assert allowed.status_code == 200
    assert metadata_of(b"".join(allowed.streaming_content))[0] == set(CAMERA)


@pytest.mark.parametrize("role", ["editor", "writer"])
def test_the_image_form_links_the_original_download_and_never_its_address(
    editor_client, make_staff, role
):
    image = upload_through_the_admin(editor_client)
    download = reverse("admin:articles_image_original", args=[image.pk])
    # Writers may see the library but not change it: Django shows their form read-only.
    staff = Client()
    staff.force_login(make_staff(f"{role}-2", {"editor": "Editors", "writer": "Writers"}[role]))

    response = staff.get(reverse("admin:articles_image_change", args=[image.pk]))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    downloads = [a["href"] for a in soup.find_all("a") if "Download original" in a.get_text()]
    assert downloads and set(downloads) == {download}
    assert (
        soup.select_one(".field-original .readonly")
        .get_text(" ", strip=True)
        .startswith(ORIGINAL_NAME)
    )
    addresses = [a["href"] for a in soup.find_all("a", href=True)]
    addresses += [img["src"] for img in soup.find_all("img")]
    assert not any(STEM in address for address in addresses)


def test_a_request_for_a_page_never_encodes_a_picture(
    editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    # Uploaded, with its display copy; its renditions not made yet (the queue never ran).
    with django_capture_on_commit_callbacks():
        image = upload_through_the_admin(editor_client)
    story, issue = magazine(image)
    reader = Client()

    def refuse(*args, **kwargs):
        raise AssertionError("a picture was encoded")

    monkeypatch.setattr(PIL.Image.Image, "save", refuse)
    monkeypatch.setattr(pictures, "encode", refuse)
    with django_capture_on_commit_callbacks() as queued:
        found = every_public_url(reader, story, issue)

    assert queued == []
    assert not Rendition.objects.exists()
    # The pages still show the picture: its display copy.
    article_urls = {media_path(url) for url in found[story.get_absolute_url()] if media_path(url)}
    assert article_urls == {image.display_file.url}


class TestDisplayCopy:
    def test_made_at_upload_upright_stripped_capped_and_under_a_random_name(self, settings):
        settings.IMAGE_DISPLAY_MAX = 300
        # Stored 600 × 400 on its side: shown 400 × 600, so 200 × 300 once capped.
        image = ImageFactory(
            file=ContentFile(camera_jpeg(600, 400, orientation=6), name=ORIGINAL_NAME)
        )

        assert (image.width, image.height) == (600, 400)
        assert (image.display_width, image.display_height) == (200, 300)
        name = PurePosixPath(image.display_file.name)
        assert str(name.parent) == f"images/{image.created_at:%Y/%m}"
        assert name.suffix == ".jpg"
        assert STEM not in str(name) and "DSC" not in str(name)
        with default_storage.open(image.display_file.name) as stored:
            data = stored.read()
        assert_stripped(data)
        with PILImage.open(io.BytesIO(data)) as picture:
            assert (picture.format, picture.size) == ("JPEG", (200, 300))
            # The stored left half (red) is now the top.
            assert picture.convert("RGB").getpixel((100, 20))[0] > 150

    def test_a_picture_with_transparency_gets_a_png(self):
        buffer = io.BytesIO()
        PILImage.new("RGBA", (40, 30), (0, 0, 0, 0)).save(buffer, "PNG")
        image = ImageFactory(file=ContentFile(buffer.getvalue(), name="logo.png"))

        with default_storage.open(image.display_file.name) as stored:
            picture = PILImage.open(stored)
            assert picture.format == "PNG"
            assert picture.mode == "RGBA"

    def test_two_uploads_of_one_file_get_different_unguessable_names(self):
        first = ImageFactory(file=ContentFile(camera_jpeg(80, 60), name=ORIGINAL_NAME))
        second = ImageFactory(file=ContentFile(camera_jpeg(80, 60), name=ORIGINAL_NAME))

        assert first.display_file.name != second.display_file.name

    def test_a_new_upload_replaces_the_display_copy_and_the_old_one_goes(
        self, editor_client, django_capture_on_commit_callbacks
    ):
        image = upload_through_the_admin(editor_client, camera_jpeg(200, 100))
        old = image.display_file.name
        change = reverse("admin:articles_image_change", args=[image.pk])
        sent = SimpleUploadedFile("second.jpg", camera_jpeg(100, 200), content_type="image/jpeg")

        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(change, {**DETAILS, "file": sent})

        assert response.status_code == 302
        image.refresh_from_db()
        assert image.display_file.name != old
        assert (image.display_width, image.display_height) == (100, 200)
        assert not default_storage.exists(old)
        assert default_storage.exists(image.display_file.name)

    def test_editing_the_caption_keeps_the_display_copy(self, editor_client):
        image = upload_through_the_admin(editor_client, camera_jpeg(200, 100))
        before = image.display_file.name
        change = reverse("admin:articles_image_change", args=[image.pk])

        response = editor_client.post(change, {**DETAILS, "caption": "At the crossing."})

        assert response.status_code == 302
        image.refresh_from_db()
        assert (image.caption, image.display_file.name) == ("At the crossing.", before)

    def test_deleting_the_image_deletes_its_copy_and_its_original(
        self, django_capture_on_commit_callbacks
    ):
        image = ImageFactory(file=ContentFile(camera_jpeg(80, 60), name=ORIGINAL_NAME))
        copy, original = image.display_file.name, image.file.name

        with django_capture_on_commit_callbacks(execute=True):
            image.delete()

        assert not default_storage.exists(copy)
        assert not image.file.storage.exists(original)


class TestPrivateStorage:
    def test_originals_go_to_the_private_folder_which_has_no_address(self, settings):
        image = ImageFactory(file=ContentFile(camera_jpeg(80, 60), name=ORIGINAL_NAME))

        stored = Path(settings.PRIVATE_MEDIA_ROOT) / image.file.name
        assert stored.read_bytes()[:2] == b"\xff\xd8"
        assert not (Path(settings.MEDIA_ROOT) / image.file.name).exists()
        assert PurePosixPath(image.file.name).parent == PurePosixPath(
            f"originals/{image.created_at:%Y/%m}"
        )
        # Not readable by other accounts on the machine.
        assert not stat.S_IMODE(os.stat(stored).st_mode) & stat.S_IROTH
        with pytest.raises(NoAddress):
            image.file.url  # noqa: B018

    def test_the_private_folder_follows_the_setting(self, settings, tmp_path):
        storage = PrivateStorage()
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "first"
        storage.save("a.txt", ContentFile(b"one"))
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "second"
        storage.save("a.txt", ContentFile(b"two"))

        assert (tmp_path / "first" / "a.txt").read_bytes() == b"one"
        assert (tmp_path / "second" / "a.txt").read_bytes() == b"two"
        with pytest.raises(NoAddress):
            storage.url("a.txt")

    def test_rendition_names_say_nothing_of_the_original(self):
        image = ImageFactory(file=ContentFile(camera_jpeg(700, 400), name=ORIGINAL_NAME))

        made = renditions.make_renditions(image)

        assert made
        for rendition in made:
            name = PurePosixPath(rendition.file.name).name
            assert re.fullmatch(rf"{image.pk}-{rendition.width}w-[0-9a-f]{{10}}\.\w+", name)


class TestSecureOriginals:
    """manage.py secure_originals: the pictures uploaded before originals were private."""

    def legacy_image(self):
        """An image as the site stored it before: its original on the public storage, no
        display copy, and renditions named after the original."""
        original = camera_jpeg(400, 300)
        name = default_storage.save(f"images/2026/05/{ORIGINAL_NAME}", ContentFile(original))
        (image,) = Image.objects.bulk_create([Image(file=name, width=400, height=300, **DETAILS)])
        rendition_name = default_storage.save(
            f"renditions/2026/05/{image.pk}-{STEM}-320w-0123456789.jpg",
            ContentFile(pictures.encode(PILImage.new("RGB", (320, 240)), "jpeg")),
        )
        Rendition.objects.create(
            image=image, format="jpeg", width=320, height=240, file=rendition_name
        )
        return image, original, rendition_name

    def run(self):
        out, err = StringIO(), StringIO()
        call_command("secure_originals", stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def public_files(self):
        return sorted(str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())

    def test_moves_the_original_to_private_storage_and_is_idempotent(
        self, django_capture_on_commit_callbacks
    ):
        image, original, old_rendition = self.legacy_image()
        legacy_name = image.file.name

        with django_capture_on_commit_callbacks(execute=True):
            out, err = self.run()

        assert err == ""
        assert f"Image {image.pk}: moved its original {legacy_name}" in out
        assert "1 picture(s) made private" in out
        image.refresh_from_db()
        assert image.file.name == legacy_name
        with image.file.storage.open(image.file.name) as stored:
            assert stored.read() == original
        assert not default_storage.exists(legacy_name)
        with default_storage.open(image.display_file.name) as copy:
            assert_stripped(copy.read())
        # The renditions named after the original are gone, made again under new names.
        assert not default_storage.exists(old_rendition)
        assert image.renditions.exists()
        assert not any(STEM in r.file.name for r in image.renditions.all())
        assert not any(STEM in name for name in self.public_files())

        files, rows = self.public_files(), list(Image.objects.values())
        with django_capture_on_commit_callbacks(execute=True):
            out, err = self.run()

        assert "every picture's original is private already" in out
        assert (err, self.public_files(), list(Image.objects.values())) == ("", files, rows)

    def test_a_run_stopped_after_the_copy_finishes_the_move(self):
        image, original, _ = self.legacy_image()
        image.file.storage.save(image.file.name, ContentFile(original))

        out, _ = self.run()

        assert "1 picture(s) made private" in out
        assert not default_storage.exists(image.file.name)
        image.refresh_from_db()
        with image.file.storage.open(image.file.name) as stored:
            assert stored.read() == original
        assert image.display_file

    def test_an_image_whose_original_is_lost_is_reported(self):
        image, _, _ = self.legacy_image()
        default_storage.delete(image.file.name)

        out, err = self.run()

        assert f"Image {image.pk}: its original {image.file.name} is missing" in err
        assert "0 picture(s) made private" in out
        assert "1 with no original" in out
