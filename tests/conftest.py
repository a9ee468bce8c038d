import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Plain static storage (no manifest to build) and uploads in a throwaway folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
