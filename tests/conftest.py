from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings

from rs_cms.pagecache import generation as page_cache


def pytest_configure(config):
    # Session-wide, so the live server (started once) sees them too: plain static storage
    # served from the finders (no collectstatic, no manifest) and a fast password hasher.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client and the live server speak plain http: no redirect to https.
    settings.SECURE_SSL_REDIRECT = False
    # Tests of a task's own logic run it at once; tests of the queue itself (tests/test_tasks*.py)
    # switch to the database backend and a real worker.
    # override_settings, not an assignment: the backend built when Django started (at the first
    # @task) must be replaced, and its setting_changed signal does that.
    override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    ).enable()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to throwaway folders: the public media, and the private originals."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Every request renders its page, so query counts measure the page itself.

    tests/pagecache/ turns the page cache back on."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate-limit windows, cached pages), and so does
    this process's own copy of the page cache."""
    cache.clear()
    page_cache.local.clear()
    yield
    cache.clear()
    page_cache.local.clear()


def newsroom_role(name):
    """A group made by a migration, re-made if a transactional test flushed it."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        roles = import_module("articles.migrations.0003_newsroom_roles")
        staff = import_module("newsletter.migrations.0002_newsletter_staff_group")
        roles.create_roles(django_apps, None)
        staff.create_group(django_apps, None)
        import_module("articles.migrations.0008_redirect_permissions").grant(django_apps, None)
        import_module("taskqueue.migrations.0002_queue_roles").grant(django_apps, None)
        group = Group.objects.get(name=name)
    return group


STAFF_PASSWORD = "correct horse battery"


@pytest.fixture
def make_staff(django_user_model):
    """make_staff("ana", "Writers"): a staff user in one newsroom role."""

    def make(username, role):
        user = django_user_model.objects.create_user(
            username=username, password=STAFF_PASSWORD, is_staff=True
        )
        user.groups.add(newsroom_role(role))
        return user

    return make


@pytest.fixture
def editor(make_staff):
    return make_staff("editor", "Editors")


@pytest.fixture
def writer(make_staff):
    return make_staff("writer", "Writers")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client
