"""The admin served at another path for one test: rs_cms/urls.py reads ADMIN_PATH on import."""

from contextlib import contextmanager
from importlib import import_module, reload

from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches


def reload_urlconf():
    clear_url_caches()
    reload(import_module(settings.ROOT_URLCONF))


@contextmanager
def admin_moved_to(path):
    """Within the block, the admin answers at /<path>; afterwards where it was before."""
    try:
        with override_settings(ADMIN_PATH=path):
            reload_urlconf()
            yield
    finally:
        reload_urlconf()
