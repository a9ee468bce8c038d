"""The site as deployed, for the tests of what readers can reach of a picture."""

import pytest

from tests.articles.images.originals import SITE


@pytest.fixture
def deployed_site(settings):
    """Its own address, and the public media folder served at MEDIA_URL beside the app."""
    settings.ROOT_URLCONF = "tests.articles.images.deployed_urls"
    settings.SITE_URL = SITE
    settings.MEDIA_URL = "/media/"
