"""What an article page tells search engines and social networks: JSON-LD, OpenGraph, Twitter
cards, canonical and feed links."""

import pytest

from articles.models import Article
from tests.articles.seo.head import PUBLISHED, SITE
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Meridian Review"


@pytest.fixture
def article():
    return ArticleFactory(
        headline="Shipping lanes under strain",
        dek="Why the strait matters more than ever.",
        seo_description="The strait, the ships and the navies: a briefing.",
        kind=Article.Kind.ANALYSIS,
        section=SectionFactory(name="Asia-Pacific", slug="asia-pacific"),
        top_image=ImageFactory(caption="A tanker at anchor.", credit="Photo: R. Amari / Agency"),
        authors=[
            AuthorFactory(name="Mina Ode", slug="mina-ode"),
            AuthorFactory(name="Tom Reyes", slug="tom-reyes"),
        ],
        tags=["Taiwan Strait", "Shipping"],
        published_at=PUBLISHED,
    )
