"""Time: pages expire, so scheduled stories appear without a worker."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Section
from rs_cms.pagecache.generation import GENERATION_KEY
from rs_cms.pagecache.schedule import next_scheduled_change
from tests.factories import ArticleFactory, DonationAppealFactory, SectionFactory
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

    def test_the_next_change_is_worked_out_again_for_each_generation(self, newsroom):
        when = timezone.now() + timedelta(hours=1)
        now = timezone.now().timestamp()
        assert next_scheduled_change(cache.get(GENERATION_KEY), now) == (
            newsroom.appeal.ends_at.timestamp()
        )
        ArticleFactory(published_at=when)
        assert next_scheduled_change(cache.get(GENERATION_KEY), now) == when.timestamp()
        newsroom.appeal.delete()
        assert next_scheduled_change(cache.get(GENERATION_KEY), now) == when.timestamp()

    def test_a_story_going_out_on_time_leaves_unrelated_pages_stored(
        self, reader, newsroom, time_machine
    ):
        """The first request after its time moves the tags of the lists it joins (schedule.py):
        not every page expires when a scheduled story goes out."""
        when = timezone.now().replace(microsecond=0) + timedelta(hours=1)
        ArticleFactory(
            headline="Embargoed until the hour",
            section=newsroom.section,
            tags=["Taiwan Strait"],
            published_at=when,
        )
        elsewhere = ArticleFactory(section=SectionFactory(slug="polar"), tags=["Ice"])
        pages = [newsroom.host.get_absolute_url(), elsewhere.get_absolute_url()]
        time_machine.move_to(when - timedelta(seconds=1), tick=False)
        warm(reader, pages)

        time_machine.move_to(when + timedelta(minutes=5), tick=False)
        host = reader.get(newsroom.host.get_absolute_url())
        other = reader.get(elsewhere.get_absolute_url())

        # The host's teasers come from the section and topic the story joins; LATEST everywhere.
        assert host["X-Page-Cache"] == "miss"
        assert "Embargoed until the hour" in text(host)
        assert other["X-Page-Cache"] == "hit"
        assert (
            soup_of(other).select_one("section.latest").find("a", string="Embargoed until the hour")
        )

    def test_a_story_due_before_an_edit_is_not_skipped(self, reader, newsroom, time_machine):
        """An edit after a story's time, before any reader came: the new generation's schedule
        starts from what was applied, so the story's lists still move."""
        when = timezone.now().replace(microsecond=0) + timedelta(hours=1)
        ArticleFactory(
            headline="Embargoed until the hour", section=newsroom.section, published_at=when
        )
        elsewhere = ArticleFactory(section=SectionFactory(slug="polar"))
        url = newsroom.section.get_absolute_url()
        time_machine.move_to(when - timedelta(seconds=1), tick=False)
        warm(reader, [url])

        time_machine.move_to(when + timedelta(minutes=5), tick=False)
        elsewhere.dek = "Edited after the hour, before any reader came."
        services.save_article(elsewhere)

        assert "Embargoed until the hour" in text(reader.get(url))

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
