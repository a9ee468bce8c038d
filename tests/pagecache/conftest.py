"""Whole public pages cached for anonymous readers: the cache switched on, and a story that
shows on many pages."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    RelatedStoryFactory,
    SectionFactory,
)

MIDDLEWARE = "rs_cms.pagecache.middleware.PageCacheMiddleware"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The middleware where settings.MIDDLEWARE has it: right after WhiteNoise."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        after = settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
        settings.MIDDLEWARE = [
            *settings.MIDDLEWARE[:after],
            MIDDLEWARE,
            *settings.MIDDLEWARE[after:],
        ]
    settings.PAGE_CACHE_SECONDS = 60
    # Pages are stored only when asked for on the canonical host, the test client's here.
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def reader():
    """An anonymous reader, apart from the `client` an editor may be signed in on."""
    return Client()


@pytest.fixture
def newsroom():
    """A story with everything that shows on other pages, and a page that links to it."""
    section = SectionFactory(name="Asia-Pacific", slug="asia-pacific")
    author = AuthorFactory(name="Mina Ode", slug="mina-ode")
    image = ImageFactory(caption="A tanker at anchor.", credit="Photo: R. Amari / Old Agency")
    story = ArticleFactory(
        headline="Shipping lanes under strain",
        section=section,
        top_image=image,
        authors=[author],
        tags=["Taiwan Strait", "Shipping"],
    )
    story.topic = story.tags.get(name="Taiwan Strait")
    story.save()
    host = ArticleFactory(
        headline="Ports and power",
        section=section,
        published_at=timezone.now() - timedelta(days=1),
    )
    RelatedStoryFactory(article=host, related=story, position=0)
    appeal = DonationAppealFactory(title="Year-end appeal")
    return SimpleNamespace(
        section=section, author=author, image=image, story=story, host=host, appeal=appeal
    )
