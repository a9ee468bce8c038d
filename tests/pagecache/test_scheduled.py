"""Time: pages expire, so scheduled stories appear without a worker."""

import math
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Section
from rs_cms.pagecache.generation import GENERATION_KEY, next_scheduled_change
from tests.factories import ArticleFactory, DonationAppealFactory
from tests.forms import soup_of
from tests.pagecache.pages import cache_control, feeds, listing_pages, text, warm

pytestmark = pytest.mark.django_db


class TestScheduled:
    def test_a_scheduled_story_appears_at_its_time_and_not_a_second_before(
        self, reader, newsroom, time_machine
    ):
        when = timezone.now().replace(microsecond=0) + timedelta(hours=1)
        ArticleFactory(
            headline="Embargoed until the hour",
            section=newsroom.section,
            authors=[newsroom.author],
            tags=["Taiwan Strait"],
            published_at=when,
        )
        pages = [*listing_pages(newsroom), *feeds(newsroom), reverse("sitemap-news")]

        time_machine.move_to(when - timedelta(seconds=1), tick=False)
        warm(reader, pages)
        for url in pages:
            response = reader.get(url)
            assert "Embargoed until the hour" not in text(response), url
            # A CDN is told to let the page go at the same moment.
            assert "s-maxage=1" in cache_control(response), url

        time_machine.move_to(when, tick=False)
        for url in pages:
            response = reader.get(url)
            assert response["X-Page-Cache"] == "miss", url
            assert "Embargoed until the hour" in text(response), url

    @pytest.mark.parametrize(
        ("url", "lifetime"),
        [
            # A page following the generation: PAGE_CACHE_SECONDS.
            (reverse("sitemap-section", kwargs={"section": "articles"}), 60),
            # A page naming its tags: retired by what it shows, else PAGE_CACHE_TAGGED_SECONDS.
            (reverse("articles:home"), 600),
        ],
    )
    def test_with_nothing_scheduled_a_page_lives_its_time(
        self, reader, newsroom, time_machine, settings, url, lifetime
    ):
        settings.PAGE_CACHE_TAGGED_SECONDS = 600
        time_machine.move_to(timezone.now(), tick=False)
        warm(reader, [url])
        # A change that tells nobody: only time brings it to the page.
        Section.objects.filter(pk=newsroom.section.pk).update(slug="indo-pacific")

        time_machine.shift(timedelta(seconds=lifetime - 1))
        response = reader.get(url)
        assert (response["X-Page-Cache"], "indo-pacific" in text(response)) == ("hit", False)
        # A CDN that is not told of changes keeps it no longer than PAGE_CACHE_SECONDS.
        assert f"s-maxage={max(0, 60 - (lifetime - 1))}" in cache_control(response)

        time_machine.shift(timedelta(seconds=1))
        response = reader.get(url)
        assert (response["X-Page-Cache"], "indo-pacific" in text(response)) == ("miss", True)

    def test_an_appeal_window_opens_and_closes_on_time(self, reader, newsroom, time_machine):
        newsroom.appeal.delete()
        opens = timezone.now().replace(microsecond=0) + timedelta(days=2)
        closes = opens + timedelta(days=1)
        DonationAppealFactory(title="Spring appeal", starts_at=opens, ends_at=closes)
        url = newsroom.story.get_absolute_url()

        def appeal_shown():
            return soup_of(reader.get(url)).select_one(".appeal") is not None

        for moment, shown in [
            (opens - timedelta(seconds=1), False),
            (opens, True),
            (closes - timedelta(seconds=1), True),
            (closes, False),
        ]:
            time_machine.move_to(moment, tick=False)
            assert appeal_shown() is shown, moment
            assert reader.get(url)["X-Page-Cache"] == "hit", moment

    def test_a_request_that_began_before_the_lookup_asks_again(self, newsroom):
        when = timezone.now() + timedelta(hours=1)
        ArticleFactory(published_at=when)
        generation = cache.get(GENERATION_KEY)

        after = (when + timedelta(seconds=1)).timestamp()
        # Then the running appeal's end is next.
        assert next_scheduled_change(generation, after) == newsroom.appeal.ends_at.timestamp()
        before = (when - timedelta(seconds=1)).timestamp()
        assert next_scheduled_change(generation, before) == when.timestamp()
        newsroom.appeal.delete()
        assert next_scheduled_change(cache.get(GENERATION_KEY), after) == math.inf

    def test_the_schedule_is_looked_up_once_per_generation(self, reader, newsroom):
        ArticleFactory(published_at=timezone.now() + timedelta(hours=1))

        def schedule_lookups(urls):
            with CaptureQueriesContext(connection) as queries:
                for url in urls:
                    assert reader.get(url)["X-Page-Cache"] == "miss"
            # The schedule is the site chrome's: read with the running and coming appeals.
            return sum('FROM "articles_donationappeal"' in q["sql"] for q in queries)

        assert schedule_lookups(listing_pages(newsroom)) == 1
        newsroom.section.save()
        assert schedule_lookups([reverse("articles:home")]) == 1
