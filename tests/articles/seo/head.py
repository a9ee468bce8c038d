"""The site's address, and reading what an article page's head tells machines."""

import json
from datetime import UTC, datetime

from django.core.files.base import ContentFile

from articles.models import Rendition
from tests.factories import jpeg_bytes
from tests.forms import soup_of

SITE = "https://review.example.org"
PUBLISHED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def add_rendition(image, format, width):
    height = round(width * 9 / 16)
    return Rendition.objects.create(
        image=image,
        format=format,
        width=width,
        height=height,
        file=ContentFile(jpeg_bytes(width // 10, height // 10), name=f"r{width}.{format}"),
    )


def json_ld(response):
    """The page's one JSON-LD block, decoded."""
    assert response.status_code == 200
    blocks = soup_of(response).find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def meta(soup, name):
    """The content of every <meta property|name=…> with that name, in order."""
    tags = soup.find_all("meta", attrs={"property": name}) + soup.find_all(
        "meta", attrs={"name": name}
    )
    return [tag["content"] for tag in tags]


def page(client, article):
    return client.get(article.get_absolute_url())
