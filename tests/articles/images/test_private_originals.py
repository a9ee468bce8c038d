"""Uploaded originals are private: every public address and every newsletter export points at a
stripped copy (no camera EXIF, no GPS, not the original's name), staff download the original
from the admin, and a reader's request never runs an encoder."""

from pathlib import Path

import PIL.Image
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles.images import pictures, renditions
from articles.models import Rendition
from tests.articles.images.originals import (
    CAMERA,
    ORIGINAL_NAME,
    STEM,
    assert_stripped,
    camera_jpeg,
    metadata_of,
    upload_through_the_admin,
)
from tests.articles.images.public_addresses import every_public_url, fetched, magazine, media_path
from tests.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deployed_site")]


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
