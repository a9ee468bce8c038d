"""The generation that retires every page at once, and each process's copies of it."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from rs_cms.pagecache import generation as page_caching
from rs_cms.pagecache.generation import (
    GENERATION_KEY,
    LOCAL_GENERATION_SECONDS,
    LocalCopies,
    content_changed,
    local,
)
from tests.pagecache.pages import count_queries, warm

pytestmark = pytest.mark.django_db


class TestLocalCopies:
    """Each process keeps the generation briefly, and its hottest pages beside it."""

    @pytest.fixture
    def shared_cache_reads(self, monkeypatch):
        reads = []
        for method in ("get", "get_many"):
            original = getattr(cache, method)

            def spy(*args, original=original, **kwargs):
                reads.append(args)
                return original(*args, **kwargs)

            monkeypatch.setattr(cache, method, spy)
        return reads

    @pytest.fixture
    def later(self, monkeypatch):
        """later(seconds): this process's clock moves on."""
        offset = [0.0]
        monotonic = page_caching.time.monotonic
        monkeypatch.setattr(page_caching.time, "monotonic", lambda: monotonic() + offset[0])

        def move(seconds):
            offset[0] += seconds

        return move

    def test_a_hit_from_this_process_asks_nothing_of_the_shared_cache(
        self, reader, newsroom, shared_cache_reads
    ):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        shared_cache_reads.clear()
        response = reader.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert shared_cache_reads == []

    def test_another_servers_change_is_seen_within_the_local_window(self, reader, newsroom, later):
        # A sitemap follows the generation (article, list and feed pages, their tags:
        # tests/pagecache/test_tags.py).
        url = reverse("sitemap-index")
        warm(reader, [url])
        # Another server's change: the shared generation moves, this process is not told.
        cache.incr(GENERATION_KEY)
        assert reader.get(url)["X-Page-Cache"] == "hit"
        later(LOCAL_GENERATION_SECONDS)
        assert reader.get(url)["X-Page-Cache"] == "miss"
        assert LOCAL_GENERATION_SECONDS <= 1

    def test_a_change_made_in_this_process_is_seen_at_once(self, reader, newsroom):
        url = reverse("sitemap-index")
        warm(reader, [url])
        content_changed()
        assert reader.get(url)["X-Page-Cache"] == "miss"

    def test_a_page_evicted_here_comes_back_from_the_shared_cache(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        local.pages.clear()
        response, queries = count_queries(lambda: reader.get(url))
        assert (response["X-Page-Cache"], queries) == ("hit", 0)
        assert local.page(next(iter(local.pages))) is not None

    def test_only_the_most_recently_used_pages_are_kept(self):
        copies = LocalCopies(size=2)
        for key in ("a", "b"):
            copies.keep(key, key.upper())
        copies.page("a")
        copies.keep("c", "C")
        assert list(copies.pages) == ["a", "c"]
