"""Each panel lists its articles in order, at most eight, with a link to all of them; the cost
does not grow with the articles."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.tasks import TaskResultStatus as TaskStatus
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.dashboard.panels import (
    ARTICLE_CHANGELIST,
    INDEX,
    PANELS,
    Status,
    article,
    changelist_headlines,
    headlines,
    panel,
    see_all,
    trash,
)
from tests.factories import SectionFactory
from tests.forms import soup_of
from tests.task_rows import task_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """Articles for every panel, and some that belong in none."""
    hour, day = timedelta(hours=1), timedelta(days=1)
    article("Scheduled later", Status.PUBLISHED, published_in=2 * day)
    article("Scheduled soon", Status.PUBLISHED, published_in=hour)
    trash(article("Scheduled but trashed", Status.PUBLISHED, published_in=hour))
    article("Draft with a future time", Status.DRAFT, published_in=hour)

    article("Review waiting long", Status.REVIEW, edited_days_ago=3, created_days_ago=9)
    article("Review just in", Status.REVIEW, edited_days_ago=0)
    trash(article("Review but trashed", Status.REVIEW, edited_days_ago=5))

    article("Published an hour ago", Status.PUBLISHED, published_in=-hour)
    article("Published six days ago", Status.PUBLISHED, published_in=-6 * day)
    article("Published eight days ago", Status.PUBLISHED, published_in=-8 * day)
    article("Unpublished yesterday", Status.UNPUBLISHED, published_in=-day)
    trash(article("Published but trashed", Status.PUBLISHED, published_in=-hour))

    article("Draft from last month", Status.DRAFT, created_days_ago=30, edited_days_ago=2)
    article("Draft from last week", Status.DRAFT, created_days_ago=8, edited_days_ago=8)
    article("Draft from yesterday", Status.DRAFT, created_days_ago=1)
    trash(article("Old draft but trashed", Status.DRAFT, created_days_ago=20))


class TestPanels:
    def test_each_panel_lists_its_articles_in_order(self, editor_client, newsroom):
        response = editor_client.get(INDEX)

        assert response.status_code == 200
        assert headlines(panel(response, "scheduled")) == ["Scheduled soon", "Scheduled later"]
        assert headlines(panel(response, "review")) == ["Review waiting long", "Review just in"]
        assert headlines(panel(response, "recent")) == [
            "Published an hour ago",
            "Published six days ago",
        ]
        assert headlines(panel(response, "old-drafts")) == [
            "Draft from last month",
            "Draft from last week",
        ]

    def test_review_waits_from_submission_not_from_the_last_edit(self, editor_client):
        now = timezone.now()
        edited_late = article("Submitted first, edited since", Status.REVIEW, edited_days_ago=0)
        edited_early = article("Submitted second", Status.REVIEW, edited_days_ago=4)
        Article.objects.filter(pk=edited_late.pk).update(submitted_at=now - timedelta(days=2))
        Article.objects.filter(pk=edited_early.pk).update(submitted_at=now - timedelta(days=1))

        review = panel(editor_client.get(INDEX), "review")

        assert headlines(review) == ["Submitted first, edited since", "Submitted second"]

    def test_panels_come_before_the_app_list(self, editor_client, newsroom):
        soup = soup_of(editor_client.get(INDEX))
        order = [
            element.get("id") for element in soup.select("#newsroom-dashboard-title, #content-main")
        ]
        assert order == ["newsroom-dashboard-title", "content-main"]
        titles = [h3.get_text(strip=True) for h3 in soup.select(".newsroom-panel h3")]
        assert titles == [
            "Scheduled next",
            "In review",
            "Recently published",
            "Drafts older than a week",
        ]

    def test_a_row_links_to_the_article_and_shows_section_and_time(self, editor_client):
        section = SectionFactory(name="Asia-Pacific")
        draft = article(
            "Ports and power",
            Status.DRAFT,
            section=section,
            created_days_ago=10,
            edited_days_ago=4,
        )

        response = editor_client.get(INDEX)

        [row] = panel(response, "old-drafts").select("tbody tr")
        link = row.th.a
        assert link["href"] == reverse("admin:articles_article_change", args=[draft.pk])
        cells = row.find_all("td")
        assert cells[0].get_text(strip=True) == "Asia-Pacific"
        edited = timezone.localtime(draft.updated_at)
        assert cells[1].time["datetime"] == edited.isoformat(timespec="seconds")
        headers = [
            th.get_text(strip=True) for th in panel(response, "old-drafts").select("thead th")
        ]
        assert headers == ["Headline", "Section", "Last edited"]
        assert all(th["scope"] == "col" for th in panel(response, "old-drafts").select("thead th"))

    def test_a_scheduled_row_shows_when_it_goes_out(self, editor_client):
        scheduled = article("Going out", Status.PUBLISHED, published_in=timedelta(hours=3))

        response = editor_client.get(INDEX)

        soon = panel(response, "scheduled")
        assert soon.select_one("tbody time")["datetime"] == (
            timezone.localtime(scheduled.published_at).isoformat(timespec="seconds")
        )
        assert [th.get_text(strip=True) for th in soon.select("thead th")][-1] == "Publishes"

    def test_each_panel_shows_at_most_eight_and_links_to_all(self, editor_client):
        for number in range(10):
            article(f"Waiting {number}", Status.REVIEW, edited_days_ago=10 - number)

        response = editor_client.get(INDEX)

        review = panel(response, "review")
        assert headlines(review) == [f"Waiting {number}" for number in range(8)]
        assert see_all(review) == (ARTICLE_CHANGELIST, {"status__exact": ["review"]})
        link = review.select_one(".newsroom-panel__all a")["href"]
        assert changelist_headlines(editor_client, link) == sorted(
            f"Waiting {number}" for number in range(10)
        )

    @pytest.mark.parametrize("key", PANELS)
    def test_see_all_opens_the_changelist_on_the_same_articles(self, editor_client, newsroom, key):
        response = editor_client.get(INDEX)
        section = panel(response, key)
        path, _ = see_all(section)
        assert path == ARTICLE_CHANGELIST

        link = section.select_one(".newsroom-panel__all a")["href"]

        assert changelist_headlines(editor_client, link) == sorted(headlines(section))

    def test_empty_panels_say_so(self, editor_client):
        article("Fresh draft", Status.DRAFT, created_days_ago=1)

        response = editor_client.get(INDEX)

        for key, message in zip(
            PANELS,
            [
                "Nothing is scheduled.",
                "Nothing is waiting for review.",
                "Nothing was published in the last 7 days.",
                "No draft is older than a week.",
            ],
            strict=True,
        ):
            section = panel(response, key)
            assert section.select_one(".newsroom-panel__empty").get_text(strip=True) == message
            assert section.table is None
            assert section.select_one(".newsroom-panel__all") is None


def newsroom_of(size):
    """`size` articles for each panel."""
    for number in range(size):
        article(f"Soon {number}", Status.PUBLISHED, published_in=timedelta(hours=number + 1))
        article(f"Review {number}", Status.REVIEW, edited_days_ago=number)
        article(f"Out {number}", Status.PUBLISHED, published_in=-timedelta(hours=number + 1))
        article(f"Old {number}", Status.DRAFT, created_days_ago=8 + number)


class TestQueries:
    def test_the_index_page_costs_the_same_however_many_articles(
        self, editor_client, django_assert_num_queries
    ):
        newsroom_of(1)
        editor_client.get(INDEX)
        # Session, user, the user's permissions (two), the admin log, one query a panel, and
        # one for the task queue's backlog.
        with django_assert_num_queries(10):
            assert editor_client.get(INDEX).status_code == 200

        newsroom_of(12)
        with django_assert_num_queries(10):
            response = editor_client.get(INDEX)
        assert [len(headlines(panel(response, key))) for key in PANELS] == [8, 8, 8, 8]

    def test_the_tag_costs_one_query_a_panel_and_one_for_the_queue(
        self, editor, django_assert_num_queries
    ):
        newsroom_of(12)
        for _ in range(3):
            task_row(queued_ago=timedelta(hours=1))
            task_row(status=TaskStatus.FAILED, finished_ago=timedelta(hours=1))
        request = RequestFactory().get(INDEX)
        request.user = editor
        assert editor.has_perm("articles.view_article")  # loads the permissions first
        template = Template("{% load newsroom_admin %}{% newsroom_dashboard %}")

        with django_assert_num_queries(5):
            html = template.render(Context({"request": request}))

        soup = BeautifulSoup(html, "html.parser")
        assert [len(table.select("tbody tr")) for table in soup.select("table")] == [8, 8, 8, 8]
        assert soup.select("#newsroom-queue-warning, #newsroom-queue-failed")
