"""The issue's changelist and change form."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ArticleFactory,
    ImageFactory,
    IssueFactory,
    IssueItemFactory,
    NewsletterFactory,
)
from tests.forms import form_data, soup_of
from tests.newsletter.admin.helpers import (
    ISSUE_ADD,
    ISSUE_CHANGELIST,
    change_url,
    changelist_rows,
    preview_url,
)

pytestmark = pytest.mark.django_db

# Django's autocomplete widget looks up each inline row's chosen article: one query a row,
# measured on the issue change page with and without the top-photo column.
AUTOCOMPLETE_COST = 1


class TestIssueAdmin:
    def test_changelist_shows_the_columns(self, staff_client, ready_issue):
        IssueFactory(newsletter=ready_issue.newsletter, number=8, subject="Empty for now")

        rows = changelist_rows(staff_client.get(ISSUE_CHANGELIST))

        assert [(row["number"], row["subject"], row["item_count"]) for row in rows] == [
            ("8", "Empty for now", "0"),
            ("7", "Ports, pipelines and power", "2"),
        ]
        assert rows[0]["newsletter"] == "The Weekly Round-up"
        assert rows[0]["status"] == "Draft"

    def test_search_and_filters(self, staff_client, ready_issue):
        IssueFactory(
            newsletter=ready_issue.newsletter,
            number=ready_issue.number + 1,
            subject="Elections",
            status="sent",
        )

        def subjects(**params):
            rows = changelist_rows(staff_client.get(ISSUE_CHANGELIST, params))
            return [row["subject"] for row in rows]

        assert subjects(q="pipelines") == ["Ports, pipelines and power"]
        assert subjects(status__exact="sent") == ["Elections"]

    def test_add_form_proposes_the_next_number(self, staff_client, newsletter):
        IssueFactory(newsletter=newsletter, number=41)

        data = form_data(staff_client.get(ISSUE_ADD), "issue_form")

        assert data["number"] == "42"
        assert data["newsletter"] == str(newsletter.pk)

    def test_add_form_numbers_after_the_newsletter_in_the_link(self, staff_client, newsletter):
        IssueFactory(newsletter=newsletter, number=41)
        daily = NewsletterFactory(name="Daily", slug="daily")
        IssueFactory(newsletter=daily, number=3)

        data = form_data(staff_client.get(ISSUE_ADD, {"newsletter": daily.pk}), "issue_form")

        assert (data["newsletter"], data["number"]) == (str(daily.pk), "4")

    def test_inline_shows_each_articles_top_photo_and_credit(self, staff_client, ready_issue):
        response = staff_client.get(change_url(ready_issue))

        cells = soup_of(response).select("#items-group tr.has_original td.field-top_photo")
        items = list(ready_issue.ordered_items())
        assert len(cells) == 2
        for cell, item in zip(cells, items, strict=True):
            assert cell.img["src"] == item.article.top_image.display_file.url
            assert cell.img["alt"] == item.article.top_image.alt_text
            assert cell.select_one(".rs-credit").get_text() == item.article.top_image.credit

    def test_inline_uses_the_article_autocomplete(self, staff_client, ready_issue):
        soup = soup_of(staff_client.get(change_url(ready_issue)))

        select = soup.find("select", attrs={"name": "items-0-article"})
        assert "admin-autocomplete" in select["class"]
        assert select.find("option", selected=True).get_text() == "Shipping lanes under strain"

    def test_change_page_queries_do_not_grow_with_items_beyond_the_autocomplete(
        self, staff_client, newsletter
    ):
        def count(issue):
            with CaptureQueriesContext(connection) as queries:
                assert staff_client.get(change_url(issue)).status_code == 200
            return len(queries)

        two, six = IssueFactory(newsletter=newsletter), IssueFactory(newsletter=newsletter)
        for issue, size in [(two, 2), (six, 6)]:
            for _ in range(size):
                IssueItemFactory(issue=issue, article=ArticleFactory(top_image=ImageFactory()))
        staff_client.get(change_url(two))  # warm per-process caches
        # Only the autocomplete widget's own lookup grows with the rows: the photo, its credit
        # and the row title (issue and newsletter) come from the inline's select_related.
        assert count(six) - count(two) == AUTOCOMPLETE_COST * 4

    def test_change_form_links_to_preview_and_export(self, staff_client, ready_issue):
        tools = soup_of(staff_client.get(change_url(ready_issue))).select_one(".object-tools")

        assert tools.select_one("a.rs-preview-link")["href"] == preview_url(ready_issue)
        assert tools.select_one("a.rs-export-link")["href"] == preview_url(ready_issue) + "#export"

    def test_staff_without_the_export_permission_see_no_preview_button(
        self, client, django_user_model, ready_issue
    ):
        editor = django_user_model.objects.create_user(username="editor", is_staff=True)
        editor.user_permissions.add(Permission.objects.get(codename="change_issue"))
        client.force_login(editor)

        soup = soup_of(client.get(change_url(ready_issue)))

        assert soup.select_one("a.rs-preview-link") is None
        assert soup.select_one("a.rs-export-link") is None
