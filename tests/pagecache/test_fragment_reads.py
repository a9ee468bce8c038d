"""A page rebuilt from its fragments reads them all in one trip to the shared cache."""

import pytest
from django.core.cache import cache

from articles.views import ARTICLE_FRAGMENTS
from rs_cms.pagecache import tags
from rs_cms.pagecache.fragments import FRAGMENT_KEY_PREFIX, fragment_key
from tests.factories import ArticleFactory
from tests.pagecache.pages import forget_page, read

pytestmark = pytest.mark.django_db


def test_a_rebuilt_page_reads_its_fragments_in_one_trip(reader, newsroom, monkeypatch):
    tags.local_versions.clear()
    bystander = ArticleFactory(headline="Arms fairs and their guests")
    url = bystander.get_absolute_url()
    read(reader, url)
    forget_page(url)
    reads = []
    get_many = cache.get_many

    def counted(keys, *args, **kwargs):
        reads.append([key for key in keys if key.startswith(FRAGMENT_KEY_PREFIX)])
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    rebuilt, _ = read(reader, url)

    assert rebuilt["X-Page-Cache"] == "miss"
    assert [keys for keys in reads if keys] == [
        [fragment_key(name, (bystander.pk,)) for name in ARTICLE_FRAGMENTS]
    ]
