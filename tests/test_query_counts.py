"""What each public page and the newsroom's article list cost in queries, pinned.

A count here is for a page rendered afresh (conftest turns the page cache off), once the
per-process caches (content types) and the cached site chrome (navigation and donation appeal)
are warm; and it stays the same however many articles, authors, tags and related stories there
are. Feeds, sitemaps, search, share previews and the feed directory pin theirs in their own
tests; an article page rebuilt from its cached fragments (one query) and one after an edit, in
tests/pagecache/test_fragments.py."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.chrome import SiteChrome, site_chrome
from articles.models import Article, Correction, DonationAppeal, Section
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    RelatedStoryFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    """The SQL of one render of `url`, after a first render has warmed the caches."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def assert_queries(client, url, expected):
    found = queries_for(client, url)
    assert len(found) == expected, "\n\n".join(found)


@pytest.fixture
def magazine():
    """Two sections of illustrated stories with bylines and tags, QIOSK items and an appeal."""
    asia = SectionFactory(name="Asia-Pacific", slug="asia-pacific", position=0)
    gulf = SectionFactory(name="Middle East", slug="middle-east", position=1)
    writer = AuthorFactory(name="Mina Ode", slug="mina-ode", photo=ImageFactory())
    now = timezone.now()
    stories = [
        ArticleFactory(
            section=section,
            kind=Article.Kind.ANALYSIS,
            authors=[writer],
            tags=["Shipping"],
            top_image=ImageFactory(),
            published_at=now - timedelta(hours=n),
        )
        for n, section in enumerate([asia, gulf] * 9, start=1)
    ]
    ArticleFactory.create_batch(2, kind=Article.Kind.QIOSK, section=asia)
    DonationAppealFactory()
    return stories


def grow(magazine):
    """Many more authors, tags, pictures and articles in the same sections."""
    asia, gulf = magazine[0].section, magazine[1].section
    writer = magazine[0].bylines.get().author
    for n in range(6):
        ArticleFactory(
            section=[asia, gulf][n % 2],
            authors=[writer, AuthorFactory(), AuthorFactory()],
            tags=["Shipping", f"Topic {n}", f"Theme {n}"],
            top_image=ImageFactory(),
        )


LISTINGS = [
    # The front seven with each section's newest four, in one query; their bylines. The
    # sections and the QIOSK strip come with the cached site chrome, and every picture with
    # its renditions (Image.rendition_files).
    ("/", 2),
    # The section (tag, author); the count for the paginator; the page; bylines.
    ("/asia-pacific/", 4),
    ("/tag/shipping/", 4),
    ("/author/mina-ode/", 4),
    ("/kind/analysis/", 3),
]


@pytest.mark.parametrize(("url", "expected"), LISTINGS)
def test_a_listing_costs_the_same_however_many_articles_authors_and_tags(
    client, magazine, url, expected
):
    assert_queries(client, url, expected)
    grow(magazine)
    assert_queries(client, url, expected)


class TestArticlePage:
    @pytest.fixture
    def article(self, magazine):
        """The newest story, with every part the page can show: many of each."""
        article = magazine[0]
        article.bylines.all().delete()
        for position in range(4):
            article.bylines.create(author=AuthorFactory(), position=position)
        article.tags.add(*[f"Tag {n}" for n in range(6)])
        article.topic = article.tags.get(name="Shipping")
        article.save()
        for position, related in enumerate(magazine[3:6]):
            RelatedStoryFactory(article=article, related=related, position=position)
        Correction.objects.create(article=article, note="A date was wrong.")
        return article

    def test_costs_five_queries_with_the_chrome_cached(self, client, article):
        # The article with its section, picture and topic; bylines; tags; corrections; related
        # stories. LATEST and QIOSK come with the cached site chrome, and every picture with
        # its renditions.
        assert_queries(client, article.get_absolute_url(), 5)

    def test_costs_four_more_once_the_shared_cache_is_emptied(self, client, article):
        url = article.get_absolute_url()
        warm = len(queries_for(client, url))
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(url)
        # The sections for the navigation; the running appeal; LATEST, QIOSK and the next
        # story due to go out; the newest stories of the article's section and topic.
        assert len(cold) == warm + 4 <= 10

    def test_a_plain_article_costs_no_fewer(self, client, magazine):
        """Fewer authors, tags and no picks: the same queries (so a change shows in both)."""
        plain = ArticleFactory(section=magazine[0].section, top_image=ImageFactory())
        assert_queries(client, plain.get_absolute_url(), 5)


class TestSiteChrome:
    def test_is_read_from_the_cache(self, magazine, django_assert_num_queries):
        first = site_chrome()
        with django_assert_num_queries(0):
            assert site_chrome() == first
        assert isinstance(first, SiteChrome)
        assert [section.slug for section in first.sections] == ["asia-pacific", "middle-east"]

    def test_a_section_saved_or_deleted_shows_at_once(self, client, magazine):
        client.get("/")
        section = magazine[0].section
        section.name = "Indo-Pacific"
        section.save()
        assert "Indo-Pacific" in [section.name for section in site_chrome().sections]
        SectionFactory(name="Europe", slug="europe")
        assert "Europe" in client.get("/").content.decode()
        Section.objects.filter(slug="europe").delete()
        assert "europe" not in [section.slug for section in site_chrome().sections]

    def test_an_appeal_saved_or_deleted_shows_at_once(self, magazine):
        appeal = site_chrome().appeal
        appeal.title = "Spring drive"
        appeal.save()
        assert site_chrome().appeal.title == "Spring drive"
        DonationAppeal.objects.all().delete()
        assert site_chrome().appeal is None

    def test_an_appeal_shows_from_its_start_to_its_end(self, magazine, time_machine):
        DonationAppeal.objects.all().delete()
        starts = timezone.now().replace(microsecond=0) + timedelta(hours=1)
        DonationAppealFactory(starts_at=starts, ends_at=starts + timedelta(hours=1))
        for moment, shown in [
            (starts - timedelta(seconds=1), False),
            (starts, True),
            (starts + timedelta(minutes=59, seconds=59), True),
            (starts + timedelta(hours=1), False),
        ]:
            time_machine.move_to(moment, tick=False)
            assert (site_chrome().appeal is not None) is shown, moment

    def test_latest_and_qiosk_are_the_newest_public_stories(self, magazine):
        chrome = site_chrome()
        public = Article.objects.published().order_by("-published_at", "-pk")
        stories = list(public.exclude(kind=Article.Kind.QIOSK)[:6])
        assert chrome.latest == stories
        assert chrome.latest_except(stories[0].pk) == stories[1:6]
        assert chrome.qiosk == list(public.filter(kind=Article.Kind.QIOSK)[:5])

    def test_a_scheduled_story_enters_latest_at_its_time(self, magazine, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        due = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
        story = ArticleFactory(section=magazine[0].section, published_at=due)
        assert story not in site_chrome().latest
        time_machine.move_to(due - timedelta(seconds=1), tick=False)
        assert story not in site_chrome().latest
        time_machine.move_to(due, tick=False)
        assert site_chrome().latest[0] == story

    @pytest.mark.parametrize(
        "appeals",
        [
            [],
            [{"is_active": False}],
            [{"starts_at": timedelta(days=-2), "ends_at": timedelta(days=-1)}],
            [{"starts_at": timedelta(days=1), "ends_at": None}],
            [
                {"starts_at": timedelta(days=-9), "ends_at": timedelta(days=-8)},
                {"starts_at": timedelta(days=-1), "ends_at": None},
            ],
        ],
    )
    def test_the_appeal_is_the_current_one(self, appeals):
        now = timezone.now()
        for appeal in appeals:
            moments = {
                field: now + value if value is not None else None
                for field, value in appeal.items()
                if field in ("starts_at", "ends_at")
            }
            DonationAppealFactory(is_active=appeal.get("is_active", True), **moments)
        assert site_chrome().appeal == DonationAppeal.objects.current().first()


class TestNewsroomList:
    def test_the_article_list_costs_the_same_however_many_articles(self, admin_client, magazine):
        url = "/admin/articles/article/"
        # Session and user; sections for the filter; the count (never the whole table's
        # again: show_full_result_count); the page with sections and pictures; the date
        # hierarchy's range, then its dates.
        assert_queries(admin_client, url, 7)
        grow(magazine)
        assert_queries(admin_client, url, 7)
