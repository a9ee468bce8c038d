import pytest

from newsletter.models import Newsletter
from tests.newsletter.export.helpers import SITE


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Meridian Review"
    settings.DEFAULT_FROM_EMAIL = "The Review <newsletter@review.example.org>"


@pytest.fixture
def newsletter(db):
    return Newsletter.objects.create(name="The Weekly Round-up", slug="weekly-round-up")
