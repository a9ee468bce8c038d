"""The editors' dashboard on the admin index."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from articles import workflow
from articles.models import Article
from taskqueue.models import RECENT_FAILURES, Backlog, QueuedTask

register = template.Library()

PANEL_SIZE = 8
# Published within this long counts as recent; a draft created this long ago as old.
RECENT = timedelta(days=7)
OLD_DRAFT = timedelta(days=7)


@dataclass
class Panel:
    key: str
    title: str
    time_label: str
    empty: str
    see_all: str
    filters: dict
    articles: list

    @property
    def see_all_url(self):
        return f"{reverse('admin:articles_article_changelist')}?{urlencode(self.filters)}"


def first_rows(articles, moment, ordering, limit):
    """The first `limit` articles, each carrying the time its panel shows as `moment`."""
    moment = F(moment) if isinstance(moment, str) else moment
    return list(articles.annotate(moment=moment).order_by(*ordering)[:limit])


def stamp(moment):
    """A time for a changelist filter in the address bar."""
    return moment.isoformat(timespec="seconds")


@dataclass
class QueueReport:
    backlog: Backlog
    now: datetime

    @property
    def worker_seems_stopped(self):
        """A task due long ago has not started: no worker is taking tasks."""
        waiting_since = self.backlog.waiting_since
        stale_after = timedelta(seconds=settings.TASKS_STALE_AFTER)
        return waiting_since is not None and waiting_since < self.now - stale_after

    @property
    def waited(self):
        return timesince(self.backlog.waiting_since, self.now, depth=1)

    @property
    def waiting_url(self):
        return queue_url({"state": "waiting"})

    @property
    def failed_url(self):
        return queue_url({"state": "failed", "finished_at__gte": stamp(self.now - RECENT_FAILURES)})


def queue_url(filters):
    return f"{reverse('admin:taskqueue_queuedtask_changelist')}?{urlencode(filters)}"


def queue_report(user, now):
    """The task queue's backlog, for staff who may see the queue; one query."""
    if not user.has_perm("taskqueue.view_queuedtask"):
        return None
    return QueueReport(backlog=QueuedTask.objects.backlog(), now=now)


@register.inclusion_tag("admin/includes/newsroom_dashboard.html", takes_context=True)
def newsroom_dashboard(context, limit=PANEL_SIZE):
    """The task queue's health (one query), then scheduled, in review, recently published and
    old drafts (one query a panel)."""
    user = context["request"].user
    now = timezone.now()
    queue = queue_report(user, now)
    if not user.has_perm("articles.view_article"):
        return {"queue": queue, "panels": []}
    Status = Article.Status
    # Only what this user may open: a writer's own drafts, never a colleague's (workflow).
    live = workflow.readable(Article.objects.live(), user).select_related("section")
    scheduled = live.scheduled_after(now)
    review = live.filter(status=Status.REVIEW)
    recent = Article.objects.published().filter(published_at__gte=now - RECENT)
    old_drafts = live.filter(status=Status.DRAFT, created_at__lt=now - OLD_DRAFT)
    return {
        "queue": queue,
        "panels": [
            Panel(
                key="scheduled",
                title="Scheduled next",
                time_label="Publishes",
                empty="Nothing is scheduled.",
                see_all="See all scheduled articles",
                filters={"status__exact": Status.PUBLISHED, "published_at__gt": stamp(now)},
                articles=first_rows(scheduled, "published_at", ["published_at", "pk"], limit),
            ),
            Panel(
                key="review",
                title="In review",
                time_label="Waiting since",
                empty="Nothing is waiting for review.",
                see_all="See all articles in review",
                filters={"status__exact": Status.REVIEW},
                articles=first_rows(
                    review,
                    Coalesce("submitted_at", "updated_at"),
                    ["moment", "pk"],
                    limit,
                ),
            ),
            Panel(
                key="recent",
                title="Recently published",
                time_label="Published",
                empty="Nothing was published in the last 7 days.",
                see_all="See all published in the last 7 days",
                filters={
                    "status__exact": Status.PUBLISHED,
                    "published_at__gte": stamp(now - RECENT),
                    "published_at__lte": stamp(now),
                },
                articles=first_rows(
                    recent.select_related("section"),
                    "published_at",
                    ["-published_at", "-pk"],
                    limit,
                ),
            ),
            Panel(
                key="old-drafts",
                title="Drafts older than a week",
                time_label="Last edited",
                empty="No draft is older than a week.",
                see_all="See all drafts older than a week",
                filters={"status__exact": Status.DRAFT, "created_at__lt": stamp(now - OLD_DRAFT)},
                articles=first_rows(old_drafts, "updated_at", ["created_at", "pk"], limit),
            ),
        ],
    }
