import pytest
from django.conf import settings
from django.core.cache import cache


def pytest_configure(config):
    # Session-wide, so the live server (started once) sees them too: plain static storage
    # served from the finders (no collectstatic, no manifest) and a fast password hasher.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate-limit windows, cached pages)."""
    cache.clear()
    yield
    cache.clear()
