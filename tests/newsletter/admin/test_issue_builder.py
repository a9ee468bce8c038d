"""A new issue from the week's articles: the service and its admin page."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.models import Article
from newsletter.models import Issue, IssueItem
from newsletter.services import build_issue
from tests.factories import ArticleFactory, IssueFactory, SectionFactory
from tests.forms import form_data, soup_of
from tests.newsletter.admin.helpers import (
    BUILD,
    ISSUE_CHANGELIST,
    change_url,
    days_ago,
    messages_of,
)

pytestmark = pytest.mark.django_db


class TestBuildIssue:
    def test_groups_by_section_in_navigation_order_newest_first(self, newsletter):
        asia = SectionFactory(name="Asia-Pacific", position=2)
        mideast = SectionFactory(name="Middle East", position=1)
        older_asia = ArticleFactory(section=asia, published_at=days_ago(3))
        newer_asia = ArticleFactory(section=asia, published_at=days_ago(1))
        older_mideast = ArticleFactory(section=mideast, published_at=days_ago(5))
        newer_mideast = ArticleFactory(section=mideast, published_at=days_ago(2))
        IssueFactory(newsletter=newsletter, number=11)

        issue = build_issue(newsletter, days_ago(7), timezone.now(), [asia, mideast])

        assert issue.number == 12
        assert issue.status == Issue.Status.DRAFT
        assert issue.subject == "The Weekly Round-up #12"
        items = list(issue.items.order_by("position"))
        assert [item.article for item in items] == [
            newer_mideast,
            older_mideast,
            newer_asia,
            older_asia,
        ]
        assert [item.position for item in items] == [0, 1, 2, 3]

    def test_takes_only_what_readers_can_see_in_the_range_and_sections(self, newsletter):
        asia = SectionFactory(name="Asia-Pacific")
        europe = SectionFactory(name="Europe")
        kept = ArticleFactory(section=asia, published_at=days_ago(2), headline="Kept")
        ArticleFactory(section=europe, published_at=days_ago(2))  # section not chosen
        ArticleFactory(section=asia, status=Article.Status.DRAFT, published_at=None)
        ArticleFactory(section=asia, status=Article.Status.REVIEW, published_at=days_ago(1))
        ArticleFactory(section=asia, status=Article.Status.UNPUBLISHED, published_at=days_ago(1))
        ArticleFactory(section=asia, published_at=timezone.now() + timedelta(hours=2))
        ArticleFactory(section=asia, published_at=days_ago(9))  # before the range

        issue = build_issue(
            newsletter, days_ago(7), timezone.now() + timedelta(days=1), [asia], "Custom"
        )

        assert [item.article for item in issue.items.all()] == [kept]
        assert issue.subject == "Custom"

    def test_an_empty_range_creates_nothing(self, newsletter):
        section = SectionFactory()
        ArticleFactory(section=section, published_at=days_ago(10))

        assert build_issue(newsletter, days_ago(7), timezone.now(), [section]) is None
        assert not Issue.objects.exists()


class TestBuilderPage:
    def test_changelist_links_to_the_builder(self, staff_client):
        link = soup_of(staff_client.get(ISSUE_CHANGELIST)).select_one(
            ".object-tools a.rs-build-link"
        )

        assert link.get_text(strip=True) == "New issue from the last 7 days"
        assert link["href"] == BUILD

    def test_defaults_to_the_last_seven_days_every_section_and_the_next_number(
        self, staff_client, newsletter
    ):
        SectionFactory(name="Asia-Pacific")
        SectionFactory(name="Europe")
        IssueFactory(newsletter=newsletter, number=4)

        response = staff_client.get(BUILD)

        assert response.status_code == 200
        data = form_data(response, "build_issue_form")
        start = timezone.make_aware(datetime.fromisoformat(data["start"]))
        end = timezone.make_aware(datetime.fromisoformat(data["end"]))
        assert end - start == timedelta(days=7)
        assert timezone.now() - end < timedelta(minutes=1)
        assert data["newsletter"] == str(newsletter.pk)
        assert len(data["sections"]) == 2
        subject = soup_of(response).find("input", attrs={"name": "subject"})
        assert subject["placeholder"] == "The Weekly Round-up #5"

    def test_posting_the_defaults_builds_the_weeks_issue(self, staff_client, newsletter):
        section = SectionFactory(name="Asia-Pacific")
        ArticleFactory(section=section, published_at=days_ago(6, hours=23), headline="Six days")
        ArticleFactory(section=section, published_at=days_ago(0, hours=1), headline="Today")
        ArticleFactory(section=section, published_at=days_ago(7, hours=1), headline="Too old")
        data = form_data(staff_client.get(BUILD), "build_issue_form")

        response = staff_client.post(BUILD, data)

        issue = Issue.objects.get()
        assert response.status_code == 302
        assert response["Location"] == change_url(issue)
        assert (issue.newsletter, issue.number) == (newsletter, 1)
        assert issue.subject == "The Weekly Round-up #1"
        assert [item.article.headline for item in issue.items.all()] == ["Today", "Six days"]
        assert messages_of(response) == [
            "Created The Weekly Round-up #1 with 2 articles. Reorder, trim and add blurbs below."
        ]

    def test_unticked_sections_are_left_out(self, staff_client, newsletter):
        asia, europe = SectionFactory(name="Asia-Pacific"), SectionFactory(name="Europe")
        ArticleFactory(section=asia, headline="Asia story")
        ArticleFactory(section=europe, headline="Europe story")
        data = form_data(staff_client.get(BUILD), "build_issue_form")
        data["sections"] = [str(europe.pk)]

        assert staff_client.post(BUILD, data).status_code == 302

        assert [item.article.headline for item in IssueItem.objects.all()] == ["Europe story"]

    def test_an_empty_range_is_refused_with_a_message(self, staff_client, newsletter):
        section = SectionFactory()
        ArticleFactory(section=section, published_at=days_ago(30))
        data = form_data(staff_client.get(BUILD), "build_issue_form")

        response = staff_client.post(BUILD, data)

        assert response.status_code == 200
        errors = soup_of(response).select("#build_issue_form .errorlist.nonfield li")
        assert [error.get_text(strip=True) for error in errors] == [
            "No published articles in those sections between those times; no issue was created."
        ]
        assert not Issue.objects.exists()

    def test_no_section_ticked_is_refused(self, staff_client, newsletter):
        ArticleFactory()
        data = form_data(staff_client.get(BUILD), "build_issue_form")
        del data["sections"]

        response = staff_client.post(BUILD, data)

        assert response.status_code == 200
        assert (
            "Choose at least one section."
            in soup_of(response).select_one(".field-sections .errorlist").get_text()
        )
        assert not Issue.objects.exists()

    def test_staff_who_cannot_add_issues_are_refused(self, client, django_user_model):
        viewer = django_user_model.objects.create_user(username="viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_issue"))
        client.force_login(viewer)

        assert client.get(BUILD).status_code == 403
        assert client.post(BUILD, {}).status_code == 403
