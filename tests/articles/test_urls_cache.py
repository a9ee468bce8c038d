"""cached_reverse(): reverse(), remembered, never across a change of URLconf or prefix."""

import pytest
from django.urls import clear_url_caches, reverse, set_script_prefix
from django.urls.base import get_script_prefix

from articles.urls_cache import cached_reverse


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("articles:section", {"slug": "asia-pacific"}),
        ("articles:author", {"slug": "mina-ode"}),
        ("articles:article", {"section": "middle-east", "slug": "gulf-talks"}),
        ("articles:kind", {"kind": "analysis"}),
    ],
)
def test_it_is_what_reverse_says(name, kwargs):
    assert cached_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)
    assert cached_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_a_script_prefix_is_part_of_the_answer():
    before = get_script_prefix()
    assert cached_reverse("articles:section", slug="europe") == "/europe/"
    try:
        set_script_prefix("/magazine/")
        assert cached_reverse("articles:section", slug="europe") == "/magazine/europe/"
    finally:
        set_script_prefix(before)
    assert cached_reverse("articles:section", slug="europe") == "/europe/"


def test_another_urlconf_is_never_answered_from_the_old_one(settings):
    assert cached_reverse("articles:section", slug="europe") == "/europe/"
    settings.ROOT_URLCONF = "tests.articles.test_urls_cache_conf"
    clear_url_caches()
    try:
        assert cached_reverse("articles:section", slug="europe") == "/moved/europe/"
    finally:
        settings.ROOT_URLCONF = "rs_cms.urls"
        clear_url_caches()
    assert cached_reverse("articles:section", slug="europe") == "/europe/"
