from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.tasks import TaskResultStatus as TaskStatus
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from taskqueue.models import QueuedTask
from tests.factories import ArticleFactory, SectionFactory
from tests.forms import soup_of
from tests.task_rows import DATABASE_QUEUE, task_row

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
ARTICLE_CHANGELIST = reverse("admin:articles_article_changelist")
PANELS = ["scheduled", "review", "recent", "old-drafts"]
Status = Article.Status


def panel(response, key):
    found = soup_of(response).select_one(f"section#newsroom-{key}")
    assert found is not None, f"no {key} panel"
    return found


def headlines(panel_section):
    return [row.th.get_text(strip=True) for row in panel_section.select("tbody tr")]


def see_all(panel_section):
    """The "see all" link as (path, query)."""
    parts = urlsplit(panel_section.select_one(".newsroom-panel__all a")["href"])
    return parts.path, parse_qs(parts.query)


def changelist_headlines(client, url):
    response = client.get(url)
    assert response.status_code == 200
    cells = soup_of(response).select("#result_list tbody .field-headline")
    return sorted(cell.get_text(strip=True) for cell in cells)


def article(headline, status, *, published_in=None, created_days_ago=0, edited_days_ago=0, **kw):
    """An article whose creation and last edit lie `…_days_ago` in the past."""
    now = timezone.now()
    published_at = now + published_in if published_in is not None else None
    made = ArticleFactory(headline=headline, status=status, published_at=published_at, **kw)
    Article.objects.filter(pk=made.pk).update(
        created_at=now - timedelta(days=created_days_ago),
        updated_at=now - timedelta(days=edited_days_ago),
    )
    return Article.objects.get(pk=made.pk)


def trash(item):
    Article.objects.filter(pk=item.pk).move_to_trash()


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


class TestWhoSeesIt:
    @pytest.mark.parametrize("role", ["Editors", "Writers", "Newsletter staff"])
    def test_staff_who_can_view_articles_see_the_dashboard(self, client, make_staff, role):
        client.force_login(make_staff("someone", role))
        soup = soup_of(client.get(INDEX))
        assert [section["id"] for section in soup.select(".newsroom-panel")] == [
            f"newsroom-{key}" for key in PANELS
        ]

    def test_staff_who_cannot_view_articles_do_not(self, client, django_user_model):
        ArticleFactory(headline="Private plans", status=Status.REVIEW)
        client.force_login(django_user_model.objects.create_user("guest", is_staff=True))

        response = client.get(INDEX)

        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.select(".newsroom-dashboard") == []
        assert soup.find(string=lambda text: "Private plans" in text) is None

    def test_a_writer_sees_their_own_drafts_but_not_a_colleagues(self, client, make_staff):
        writer, colleague = make_staff("writer", "Writers"), make_staff("colleague", "Writers")
        article("Mine in review", Status.REVIEW, created_by=writer)
        article("Theirs in review", Status.REVIEW, created_by=colleague)
        article("Theirs, old draft", Status.DRAFT, created_by=colleague, created_days_ago=30)
        article("Theirs, scheduled", Status.PUBLISHED, published_in=timedelta(days=1))
        client.force_login(writer)

        response = client.get(INDEX)

        assert headlines(panel(response, "review")) == ["Mine in review"]
        assert headlines(panel(response, "old-drafts")) == []
        assert headlines(panel(response, "scheduled")) == []

    def test_newsletter_staff_see_what_is_published_or_scheduled_only(self, client, make_staff):
        article("In review", Status.REVIEW)
        article("Coming out", Status.PUBLISHED, published_in=timedelta(days=1))
        client.force_login(make_staff("letters", "Newsletter staff"))

        response = client.get(INDEX)

        assert headlines(panel(response, "review")) == []
        assert headlines(panel(response, "scheduled")) == ["Coming out"]

    def test_the_dashboard_is_on_the_index_only(self, editor_client):
        response = editor_client.get(reverse("admin:app_list", args=["articles"]))

        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.select(".newsroom-dashboard") == []
        assert soup.select("#content-main .app-articles")


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


QUEUE_CHANGELIST = reverse("admin:taskqueue_queuedtask_changelist")
WORKER_STOPPED = (
    ": the task worker may be stopped. Mail and picture renditions wait until it runs. "
    "See the waiting tasks"
)


def text_of(element):
    return " ".join(element.get_text().split())


def queue_warning(response):
    assert response.status_code == 200
    return soup_of(response).select_one("#newsroom-queue-warning")


def queue_descriptions(client, url):
    response = client.get(url)
    assert response.status_code == 200
    cells = soup_of(response).select("#result_list tbody .field-description")
    return sorted(cell.get_text(strip=True) for cell in cells)


class TestTaskQueue:
    def test_a_task_waiting_too_long_warns_that_the_worker_may_be_stopped(self, editor_client):
        task_row(args=[7], queued_ago=timedelta(minutes=18, seconds=5))

        warning = queue_warning(editor_client.get(INDEX))

        assert text_of(warning) == f"1 task is waiting, for 18 minutes{WORKER_STOPPED}"
        link = warning.a["href"]
        assert link == f"{QUEUE_CHANGELIST}?state=waiting"
        assert queue_descriptions(editor_client, link) == ["Make picture renditions for image 7"]

    def test_the_warning_counts_the_waiting_tasks_and_ages_the_oldest(self, editor_client):
        task_row(queued_ago=timedelta(minutes=18, seconds=5))
        for _ in range(11):
            task_row(queued_ago=timedelta(seconds=30))
        task_row(held_until=timezone.now() + timedelta(hours=1), queued_ago=timedelta(hours=2))
        task_row(status=TaskStatus.RUNNING, started_ago=timedelta(hours=2))

        warning = queue_warning(editor_client.get(INDEX))

        assert (
            text_of(warning) == f"12 tasks are waiting, the oldest for 18 minutes{WORKER_STOPPED}"
        )

    def test_the_warning_comes_first(self, editor_client):
        task_row(queued_ago=timedelta(hours=1))

        soup = soup_of(editor_client.get(INDEX))

        order = [element.get("id") for element in soup.select("#content [id]")]
        assert order[:2] == ["newsroom-queue-warning", "newsroom-dashboard-title"]

    @pytest.mark.parametrize(
        "quiet",
        [
            {"queued_ago": timedelta(minutes=1)},
            {"queued_ago": timedelta(hours=2), "held_until": timedelta(hours=1)},
            {"queued_ago": timedelta(hours=2), "held_until": -timedelta(minutes=2)},
            {"status": TaskStatus.RUNNING, "started_ago": timedelta(minutes=30)},
            {"status": TaskStatus.SUCCESSFUL, "queued_ago": timedelta(hours=2)},
        ],
        ids=["fresh", "held-back-until-later", "held-back-until-just-now", "running", "done"],
    )
    def test_tasks_not_overdue_do_not_warn(self, editor_client, quiet):
        if "held_until" in quiet:
            quiet["held_until"] = timezone.now() + quiet["held_until"]
        task_row(**quiet)

        assert queue_warning(editor_client.get(INDEX)) is None

    def test_a_held_back_task_waits_from_its_time_not_from_when_it_was_queued(self, editor_client):
        task_row(
            queued_ago=timedelta(hours=3),
            held_until=timezone.now() - timedelta(minutes=20, seconds=5),
        )

        warning = queue_warning(editor_client.get(INDEX))

        assert text_of(warning) == f"1 task is waiting, for 20 minutes{WORKER_STOPPED}"

    def test_how_long_is_too_long_comes_from_the_settings(self, editor_client, settings):
        task_row(queued_ago=timedelta(minutes=3))
        assert queue_warning(editor_client.get(INDEX)) is None

        settings.TASKS_STALE_AFTER = 120

        assert queue_warning(editor_client.get(INDEX)) is not None

    def test_a_retried_task_waits_from_its_retry(self, editor_client, settings):
        settings.TASKS = DATABASE_QUEUE
        failed = task_row(
            status=TaskStatus.FAILED,
            queued_ago=timedelta(hours=3),
            held_until=timezone.now() - timedelta(hours=2),
        )

        failed.retry()

        assert QueuedTask.objects.ready().count() == 1
        assert queue_warning(editor_client.get(INDEX)) is None

    def test_failures_of_the_last_day_get_a_quiet_note_and_a_link(self, editor_client):
        task_row(args=[1], status=TaskStatus.FAILED, finished_ago=timedelta(hours=1))
        task_row(args=[2], status=TaskStatus.FAILED, finished_ago=timedelta(hours=23))
        task_row(args=[3], status=TaskStatus.FAILED, finished_ago=timedelta(days=2))
        task_row(args=[4], status=TaskStatus.SUCCESSFUL, finished_ago=timedelta(hours=1))

        response = editor_client.get(INDEX)

        assert queue_warning(response) is None
        note = soup_of(response).select_one("#newsroom-queue-failed")
        assert text_of(note) == "2 tasks failed in the last day. See the failed tasks"
        assert queue_descriptions(editor_client, note.a["href"]) == [
            "Make picture renditions for image 1",
            "Make picture renditions for image 2",
        ]

    def test_a_quiet_queue_says_nothing(self, editor_client):
        task_row(status=TaskStatus.SUCCESSFUL, finished_ago=timedelta(hours=1))

        soup = soup_of(editor_client.get(INDEX))

        assert soup.select("#newsroom-queue-warning, #newsroom-queue-failed") == []
        assert soup.select(".newsroom-panel")

    @pytest.mark.parametrize(("role", "sees_it"), [("Newsletter staff", True), ("Writers", False)])
    def test_staff_who_may_see_the_queue_get_its_news(self, client, make_staff, role, sees_it):
        client.force_login(make_staff("someone", role))
        task_row(queued_ago=timedelta(hours=1))
        task_row(status=TaskStatus.FAILED, finished_ago=timedelta(hours=1))

        soup = soup_of(client.get(INDEX))

        news = soup.select("#newsroom-queue-warning, #newsroom-queue-failed")
        assert len(news) == (2 if sees_it else 0)
        assert len(soup.select(".newsroom-panel")) == len(PANELS)

    def test_staff_who_see_only_the_queue_get_its_news_without_the_panels(
        self, client, django_user_model
    ):
        watcher = django_user_model.objects.create_user("watcher", is_staff=True)
        watcher.user_permissions.add(
            Permission.objects.get(content_type__app_label="taskqueue", codename="view_queuedtask")
        )
        client.force_login(watcher)
        task_row(queued_ago=timedelta(hours=1))

        soup = soup_of(client.get(INDEX))

        assert soup.select("#newsroom-queue-warning")
        assert soup.select(".newsroom-panel") == []
