"""Redirects served by the fallback middleware, and a published article to move."""

import pytest

from tests.articles.redirects.helpers import MIDDLEWARE
from tests.factories import ArticleFactory, SectionFactory


@pytest.fixture(autouse=True)
def serving_redirects(settings):
    """The fallback middleware, last, as settings.MIDDLEWARE has it."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


@pytest.fixture
def asia():
    return SectionFactory(name="Asia-Pacific", slug="asia-pacific")


@pytest.fixture
def article(asia):
    return ArticleFactory(section=asia, slug="shipping-lanes")
