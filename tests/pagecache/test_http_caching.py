"""HTTP caching: headers and 304s."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from tests.pagecache.pages import (
    PUBLIC_CACHE_CONTROL,
    cache_control,
    count_queries,
    every_public_page,
    text,
)

pytestmark = pytest.mark.django_db


class TestHttpCaching:
    def test_anonymous_pages_let_a_cdn_hold_them_briefly(self, reader, newsroom, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        for url in every_public_page(newsroom):
            for response in (reader.get(url), reader.get(url)):
                assert cache_control(response) == PUBLIC_CACHE_CONTROL, url
                assert "Cookie" in response["Vary"], url

    def test_a_cdn_is_told_only_what_is_left_of_the_page_lifetime(
        self, reader, newsroom, time_machine
    ):
        time_machine.move_to(timezone.now(), tick=False)
        url = newsroom.story.get_absolute_url()
        reader.get(url)
        time_machine.shift(timedelta(seconds=20))
        response = reader.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert "s-maxage=40" in cache_control(response)

    def test_if_none_match_answers_304_from_the_cache(self, reader, newsroom, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        response, queries = count_queries(lambda: reader.get(url, headers={"if-none-match": etag}))
        assert (response.status_code, queries) == (304, 0)
        assert response["ETag"] == etag
        assert cache_control(response) == PUBLIC_CACHE_CONTROL
        assert response.content == b""

    # Last-Modified is in whole seconds, and a page can change twice in one: only the ETag,
    # a hash of the page itself, says whether the reader's copy is current (issue 13, defect 7).

    def test_two_versions_in_one_second_never_validate_each_other(
        self, reader, newsroom, time_machine
    ):
        time_machine.move_to(timezone.now(), tick=False)
        url = newsroom.story.get_absolute_url()
        first = reader.get(url)
        newsroom.story.headline = "Shipping lanes reopen"
        newsroom.story.save()
        since = first.get("Last-Modified", http_date(time.time()))
        response = reader.get(url, headers={"if-modified-since": since})
        assert response.status_code == 200
        assert "Shipping lanes reopen" in text(response)

    def test_a_date_in_the_future_never_validates_a_changed_page(self, reader, newsroom):
        url = newsroom.host.get_absolute_url()
        reader.get(url)
        newsroom.host.headline = "Ports and power, revisited"
        newsroom.host.save()
        tomorrow = http_date(time.time() + 86400)
        response = reader.get(url, headers={"if-modified-since": tomorrow})
        assert response.status_code == 200
        assert "Ports and power, revisited" in text(response)

    def test_an_old_etag_is_not_excused_by_a_current_date(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        newsroom.story.headline = "Shipping lanes reopen"
        newsroom.story.save()
        tomorrow = http_date(time.time() + 86400)
        response = reader.get(url, headers={"if-none-match": etag, "if-modified-since": tomorrow})
        assert response.status_code == 200

    @pytest.mark.parametrize("days", [-1000, 1, 1000])
    def test_if_unmodified_since_is_ignored_as_the_page_has_no_date(self, reader, newsroom, days):
        url = newsroom.story.get_absolute_url()
        reader.get(url)
        when = http_date(time.time() + days * 86400)
        response = reader.get(url, headers={"if-unmodified-since": when})
        assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")

    @pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
    def test_every_form_of_a_current_etag_answers_304(self, reader, newsroom, header):
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        response = reader.get(url, headers={"if-none-match": header.format(etag=etag)})
        assert response.status_code == 304

    def test_no_stored_page_claims_a_last_modified_date(self, reader, newsroom):
        # Feeds and sitemaps set their own, from their newest item: a credit change would
        # not move it either.
        for url in every_public_page(newsroom):
            for response in (reader.get(url), reader.get(url)):
                assert "Last-Modified" not in response, url

    def test_a_feed_validates_on_its_etag(self, reader, newsroom, time_machine):
        time_machine.move_to(timezone.now() + timedelta(minutes=5), tick=False)
        url = reverse("feeds:site-rss")
        etag = reader.get(url)["ETag"]
        assert reader.get(url, headers={"if-none-match": etag}).status_code == 304
        newsroom.image.credit = "Photo: R. Amari / New Agency"
        newsroom.image.save()
        response = reader.get(url, headers={"if-none-match": etag})
        assert response.status_code == 200
        assert "New Agency" in text(response)

    def test_an_old_etag_gets_the_new_page_after_a_change(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        newsroom.story.headline = "Shipping lanes reopen"
        newsroom.story.save()
        response = reader.get(url, headers={"if-none-match": etag})
        assert response.status_code == 200
        assert response["ETag"] != etag
        assert "Shipping lanes reopen" in text(response)

    def test_a_readers_copy_stays_good_when_the_page_is_rendered_again(
        self, reader, newsroom, time_machine
    ):
        time_machine.move_to(timezone.now(), tick=False)
        url = newsroom.story.get_absolute_url()
        etag = reader.get(url)["ETag"]
        time_machine.shift(timedelta(seconds=61))
        response, queries = count_queries(lambda: reader.get(url, headers={"if-none-match": etag}))
        assert response.status_code == 304
        assert queries > 0  # rendered again, found the same
