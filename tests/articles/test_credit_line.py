"""One credit line, everywhere a picture shows: Image.credit_line (the picture's credit, or the
magazine's name for its own graphics), under the top image, in the "Top image credit" line, on
a related story's teaser and in the page's structured data."""

import json

import pytest
from django.conf import settings

from tests.factories import ArticleFactory, ImageFactory, RelatedStoryFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


def credits_shown(client, article):
    page = soup_of(client.get(article.get_absolute_url()))
    [block] = page.find_all("script", type="application/ld+json")
    data = json.loads(block.string)
    images = data["image"] if isinstance(data["image"], list) else [data["image"]]
    return {
        "under the photo": page.select_one(".article__top-image figcaption .credit").get_text(),
        "top image credit": page.select_one(".article__image-credit").get_text(),
        "related teaser": page.select_one(".related-story__figure figcaption").get_text(),
        "structured data": {image["creditText"] for image in images},
    }


@pytest.mark.parametrize(
    ("credit", "expected"),
    [("Photo: R. Amari / Agency", "Photo: R. Amari / Agency"), ("", settings.SITE_NAME)],
    ids=["credited", "own graphic"],
)
def test_every_place_shows_the_same_credit(client, credit, expected):
    picture = ImageFactory(caption="", credit=credit, no_credit_needed=not credit)
    article = ArticleFactory(top_image=picture)
    RelatedStoryFactory(article=article, related=ArticleFactory(top_image=picture))

    shown = credits_shown(client, article)

    assert picture.credit_line == expected
    assert shown == {
        "under the photo": expected,
        "top image credit": f"Top image credit: {expected}",
        "related teaser": f"Top photo credit: {expected}",
        "structured data": {expected},
    }
