"""The newsletter staff group: what it may do, and its migration."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from newsletter.models import Issue
from tests.factories import ArticleFactory, SectionFactory
from tests.forms import form_data, soup_of
from tests.newsletter.admin.helpers import (
    BUILD,
    ISSUE_ADD,
    STAFF_GROUP,
    assert_read_only,
    change_url,
    export_url,
    preview_url,
)

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = reverse("admin:autocomplete")
STAFF_PERMISSIONS = {
    "newsletter.add_issue",
    "newsletter.change_issue",
    "newsletter.delete_issue",
    "newsletter.view_issue",
    "newsletter.add_issueitem",
    "newsletter.change_issueitem",
    "newsletter.delete_issueitem",
    "newsletter.view_issueitem",
    "newsletter.view_newsletter",
    "newsletter.view_subscription",
    "newsletter.export_issue",
    "newsletter.export_subscribers",
    "articles.view_article",
    # The task queue, to see whether a mail went out (granted by taskqueue's own migration).
    "taskqueue.view_queuedtask",
}
# What the newsletter's own migration grants.
GROUP_MIGRATION_PERMISSIONS = STAFF_PERMISSIONS - {"taskqueue.view_queuedtask"}
STAFF_GROUP_MIGRATION = "0002_newsletter_staff_group"


def staff_group_migration():
    """The migration that makes the group, and the apps as they stood after it."""
    migration = import_module(f"newsletter.migrations.{STAFF_GROUP_MIGRATION}")
    apps = (
        MigrationExecutor(connection)
        .loader.project_state(("newsletter", STAFF_GROUP_MIGRATION))
        .apps
    )
    return migration, apps


class TestNewsletterStaffGroup:
    def test_has_exactly_the_permissions_for_the_round_up(self):
        group = Group.objects.get(name=STAFF_GROUP)

        granted = {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        }

        assert granted == STAFF_PERMISSIONS

    def test_migration_removes_the_group_and_puts_it_back(self):
        migration, apps = staff_group_migration()

        migration.remove_group(apps, None)
        assert not Group.objects.filter(name=STAFF_GROUP).exists()

        migration.create_group(apps, None)
        group = Group.objects.get(name=STAFF_GROUP)
        assert group.permissions.count() == len(GROUP_MIGRATION_PERMISSIONS)

    def test_recreates_missing_permissions_on_a_fresh_database(self):
        migration, apps = staff_group_migration()
        Permission.objects.filter(content_type__app_label__in=["newsletter", "articles"]).delete()

        migration.create_group(apps, None)

        granted = Group.objects.get(name=STAFF_GROUP).permissions.count()
        assert granted == len(GROUP_MIGRATION_PERMISSIONS)

    @pytest.mark.parametrize(
        "url_name",
        [
            "admin:newsletter_issue_changelist",
            "admin:newsletter_issue_add",
            "admin:newsletter_issue_build",
            "admin:newsletter_newsletter_changelist",
            "admin:newsletter_subscription_changelist",
            "admin:articles_article_changelist",
        ],
    )
    def test_can_open(self, staff_client, url_name):
        assert staff_client.get(reverse(url_name)).status_code == 200

    def test_can_add_and_change_an_issue(self, staff_client, newsletter):
        article = ArticleFactory(headline="Shipping lanes under strain")
        data = form_data(staff_client.get(ISSUE_ADD), "issue_form")
        data.update(subject="Hand-made", **{"items-0-article": str(article.pk)})

        response = staff_client.post(ISSUE_ADD, data)

        assert response.status_code == 302, soup_of(response).select(".errorlist")
        issue = Issue.objects.get()
        assert [item.article for item in issue.items.all()] == [article]
        data = form_data(staff_client.get(change_url(issue)), "issue_form")
        data.update(subject="Hand-made, revised", **{"items-0-blurb": "Read this first."})

        response = staff_client.post(change_url(issue), data)

        assert response.status_code == 302, soup_of(response).select(".errorlist")
        issue.refresh_from_db()
        assert issue.subject == "Hand-made, revised"
        assert issue.items.get().blurb == "Read this first."

    def test_can_build_preview_and_export(self, staff_client, newsletter):
        ArticleFactory(headline="Shipping lanes under strain")
        build = staff_client.post(BUILD, form_data(staff_client.get(BUILD), "build_issue_form"))
        assert build.status_code == 302
        issue = Issue.objects.get()

        assert staff_client.get(preview_url(issue)).status_code == 200
        download = staff_client.get(export_url(issue), {"format": "html", "dialect": "generic"})
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")
        csv = reverse("admin:newsletter_newsletter_subscribers", args=[newsletter.pk])
        assert staff_client.get(csv).streaming is True

    def test_can_find_articles_through_the_autocomplete(self, staff_client):
        article = ArticleFactory(headline="Shipping lanes under strain")
        ArticleFactory(headline="Elections in the Pacific")

        response = staff_client.get(
            AUTOCOMPLETE,
            {
                "app_label": "newsletter",
                "model_name": "issueitem",
                "field_name": "article",
                "term": "shipping",
            },
        )

        assert response.status_code == 200
        assert response.json()["results"] == [
            {"id": str(article.pk), "text": "Shipping lanes under strain"}
        ]

    def test_can_read_but_not_change_an_article(self, staff_client):
        article = ArticleFactory(headline="Shipping lanes under strain")
        url = reverse("admin:articles_article_change", args=[article.pk])

        assert_read_only(staff_client, url, "headline", "Changed")

        article.refresh_from_db()
        assert article.headline == "Shipping lanes under strain"

    @pytest.mark.parametrize(
        "url",
        [
            lambda: reverse("admin:articles_article_add"),
            lambda: reverse("admin:articles_image_add"),
            lambda: reverse("admin:articles_section_change", args=[SectionFactory().pk]),
            lambda: reverse("admin:auth_user_changelist"),
            lambda: reverse("admin:auth_group_changelist"),
            lambda: reverse("admin:newsletter_subscription_add"),
        ],
        ids=["article-add", "image-add", "section-change", "users", "groups", "subscription-add"],
    )
    def test_is_refused_everything_else(self, staff_client, url):
        assert staff_client.get(url()).status_code == 403
