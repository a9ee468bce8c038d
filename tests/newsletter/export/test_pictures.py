"""Pictures in the email: the copy sent, its size, its absence."""

import json
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile

from articles.images import renditions
from articles.models import Image, Rendition
from newsletter import export
from newsletter.export import ExportError
from tests.factories import ImageFactory, jpeg_bytes
from tests.newsletter.export.helpers import SITE, add_item, make_issue, soup_of


def test_every_image_is_sized_to_the_column_with_alt_and_absolute_https_src(newsletter):
    issue = make_issue(newsletter, items=1)
    wide = ImageFactory(
        file=ContentFile(jpeg_bytes(800, 400), name="wide.jpg"), alt_text="A wide harbour"
    )
    add_item(issue, position=1, image=wide)
    soup = soup_of(issue)

    images = soup.find_all("img")
    assert len(images) == 2
    for image in images:
        assert image["alt"]
        assert urlsplit(image["src"]).scheme == "https"
        assert image["src"].startswith(f"{SITE}/media/images/")
        assert image["width"] == "600"
    # 32×18 from the factory, 800×400 above: each scaled to 600 wide, keeping its shape.
    assert [image["height"] for image in images] == ["338", "300"]
    assert images[1]["alt"] == "A wide harbour"


def test_pictures_are_email_sized_jpeg_renditions_with_a_2x_one(newsletter):
    issue = make_issue(newsletter, items=0)
    photo = ImageFactory(file=ContentFile(jpeg_bytes(2400, 1600), name="camera.jpg"))
    renditions.make_renditions(photo)
    add_item(issue, position=0, image=photo)
    jpegs = {
        rendition.width: f"{SITE}{rendition.file.url}"
        for rendition in photo.renditions.filter(format=Rendition.Format.JPEG)
    }

    [image] = soup_of(issue).find_all("img")
    entry = json.loads(export.issue_json(issue))["items"][0]["image"]

    # The 640 for the 600-pixel column, the 1280 for 2× screens; not the 2400 original.
    assert image["src"] == jpegs[640]
    assert image["srcset"] == f"{jpegs[640]} 1x, {jpegs[1280]} 2x"
    assert (image["width"], image["height"]) == ("600", "400")
    assert (entry["url"], entry["width"], entry["height"]) == (jpegs[640], 640, 427)
    assert entry["url_2x"] == jpegs[1280]


def test_a_picture_with_no_copy_to_send_is_refused(newsletter):
    issue = make_issue(newsletter, items=1)
    Image.objects.update(display_file="")

    with pytest.raises(ExportError, match="has no copy fit to send"):
        export.render_html(issue)
