import json
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsletter import export
from newsletter.models import Issue, IssueItem, Subscription
from newsletter.services import build_issue
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    IssueFactory,
    IssueItemFactory,
    NewsletterFactory,
    SectionFactory,
    SubscriptionFactory,
)
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

ISSUE_CHANGELIST = reverse("admin:newsletter_issue_changelist")
ISSUE_ADD = reverse("admin:newsletter_issue_add")
BUILD = reverse("admin:newsletter_issue_build")
AUTOCOMPLETE = reverse("admin:autocomplete")
# Django's autocomplete widget looks up each inline row's chosen article: one query a row,
# measured on the issue change page with and without the top-photo column.
AUTOCOMPLETE_COST = 1
STAFF_GROUP = "Newsletter staff"
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


def changelist_rows(response):
    """Each result row as {column name: cell text}, keyed by the admin's field-* classes."""
    rows = []
    for tr in soup_of(response).select("#result_list tbody tr"):
        cells = {}
        for cell in tr.find_all(["th", "td"]):
            for css_class in cell.get("class", []):
                if css_class.startswith("field-"):
                    cells[css_class.removeprefix("field-")] = cell.get_text(" ", strip=True)
        rows.append(cells)
    return rows


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_url(issue):
    return reverse("admin:newsletter_issue_change", args=[issue.pk])


def preview_url(issue):
    return reverse("admin:newsletter_issue_preview", args=[issue.pk])


def export_url(issue):
    return reverse("admin:newsletter_issue_export", args=[issue.pk])


def days_ago(days, **kwargs):
    return timezone.now() - timedelta(days=days, **kwargs)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://review.example.org"


@pytest.fixture
def newsletter():
    return NewsletterFactory()


@pytest.fixture
def staff(django_user_model):
    """Someone in the "Newsletter staff" group the migration creates, and nothing more."""
    user = django_user_model.objects.create_user(
        username="nadia", email="nadia@example.org", is_staff=True
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def ready_issue(newsletter):
    """An issue of two published articles, with top photos."""
    issue = IssueFactory(newsletter=newsletter, number=7, subject="Ports, pipelines and power")
    for position, headline in enumerate(["Shipping lanes under strain", "The pipeline politics"]):
        article = ArticleFactory(headline=headline, top_image=ImageFactory())
        IssueItem.objects.create(issue=issue, article=article, position=position)
    return issue


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


class TestPreview:
    def test_shows_the_html_and_text_parts_side_by_side(self, staff_client, ready_issue):
        html = export.export_issue(ready_issue, "html", dialect="generic")[0].decode()
        text = export.export_issue(ready_issue, "text", dialect="generic")[0].decode()

        response = staff_client.get(preview_url(ready_issue))

        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.select_one(".errornote") is None
        parts = soup.select(".rs-preview-parts > .rs-preview-part")
        assert [part.h2.get_text() for part in parts] == ["HTML part", "Plain-text part"]
        frame = parts[0].find("iframe")
        assert frame["srcdoc"] == html
        assert frame.has_attr("sandbox")
        assert not frame["sandbox"]  # an empty sandbox: no scripts, no same-origin access
        assert parts[1].find("pre").get_text() == text
        assert "Shipping lanes under strain" in text

    def test_email_html_is_escaped_into_the_srcdoc_attribute(self, staff_client, ready_issue):
        raw = staff_client.get(preview_url(ready_issue)).content.decode()

        srcdoc = raw.split('srcdoc="', 1)[1].split('"', 1)[0]
        assert "<" not in srcdoc
        assert "&lt;" in srcdoc

    @pytest.mark.parametrize("dialect", export.DIALECTS)
    def test_each_dialect_renders(self, staff_client, ready_issue, dialect, time_machine):
        # The recipient's unsubscribe token is timestamped: both renderings share one second.
        time_machine.move_to(timezone.now(), tick=False)
        recipient = "nadia@example.org" if dialect == "none" else None
        expected = export.export_issue(ready_issue, "text", dialect, recipient)[0].decode()

        response = staff_client.get(preview_url(ready_issue), {"dialect": dialect})

        soup = soup_of(response)
        assert soup.select_one(".errornote") is None
        assert soup.select_one(".rs-preview-text pre").get_text() == expected
        chosen = soup.select_one("#preview_form select[name=dialect] option[selected]")
        assert chosen["value"] == dialect

    def test_an_export_error_is_shown_not_raised(self, staff_client, ready_issue):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        IssueItem.objects.create(issue=ready_issue, article=draft, position=9)
        with pytest.raises(export.ExportError) as raised:
            export.export_issue(ready_issue, "html", dialect="generic")

        response = staff_client.get(preview_url(ready_issue))

        assert response.status_code == 200
        error = soup_of(response).select_one(".errornote.rs-export-errors")
        assert error["role"] == "alert"
        assert str(raised.value) in error.get_text()

    def test_requires_the_export_permission(self, client, django_user_model, ready_issue):
        editor = django_user_model.objects.create_user(username="editor", is_staff=True)
        editor.user_permissions.add(Permission.objects.get(codename="change_issue"))
        client.force_login(editor)

        assert client.get(preview_url(ready_issue)).status_code == 403


class TestExport:
    @pytest.mark.parametrize("fmt", export.FORMATS)
    def test_downloads_each_format_as_an_attachment(self, staff_client, ready_issue, fmt):
        recipient = "nadia@example.org" if fmt == "eml" else None
        content, content_type, filename = export.export_issue(
            ready_issue, fmt, dialect="generic", recipient=recipient
        )

        response = staff_client.get(export_url(ready_issue), {"format": fmt, "dialect": "generic"})

        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert filename.endswith(EXTENSIONS[fmt])
        assert content_type.startswith(CONTENT_TYPES[fmt])
        if fmt in {"html", "text"}:  # a message and the JSON carry the time they were made
            assert response.content == content
        else:
            assert "Shipping lanes under strain" in response.content.decode()

    def test_eml_is_addressed_to_the_staff_member_by_default(self, staff_client, ready_issue):
        response = staff_client.get(
            export_url(ready_issue), {"format": "eml", "dialect": "generic"}
        )

        assert b"nadia@example.org" in response.content

    def test_an_explicit_recipient_wins(self, staff_client, ready_issue):
        response = staff_client.get(
            export_url(ready_issue),
            {"format": "html", "dialect": "none", "recipient": "ana@example.org"},
        )

        assert response.status_code == 200
        assert b"nadia@example.org" not in response.content

    def test_an_export_error_comes_back_as_a_message(self, staff_client, newsletter):
        empty = IssueFactory(newsletter=newsletter)
        with pytest.raises(export.ExportError) as raised:
            export.export_issue(empty, "html", dialect="generic")

        response = staff_client.get(export_url(empty), {"format": "html", "dialect": "generic"})

        assert response.status_code == 302
        assert response["Location"] == preview_url(empty) + "?dialect=generic"
        assert messages_of(response) == [f"Could not export {empty}: {raised.value}"]

    def test_an_unknown_format_comes_back_as_a_message(self, staff_client, ready_issue):
        response = staff_client.get(export_url(ready_issue), {"format": "pdf"})

        assert response.status_code == 302
        [message] = messages_of(response)
        assert message.startswith("Could not export: format:")

    def test_requires_the_export_permission(self, client, django_user_model, ready_issue):
        editor = django_user_model.objects.create_user(username="editor", is_staff=True)
        editor.user_permissions.add(Permission.objects.get(codename="change_issue"))
        client.force_login(editor)

        response = client.get(export_url(ready_issue), {"format": "html", "dialect": "generic"})

        assert response.status_code == 403

    def test_preview_page_offers_the_export_form(self, staff_client, ready_issue):
        soup = soup_of(staff_client.get(preview_url(ready_issue)))

        form = soup.find("form", id="export")
        assert form["action"] == export_url(ready_issue)
        assert form["method"] == "get"
        formats = [option["value"] for option in form.select("select[name=format] option")]
        assert formats == list(export.FORMATS)
        assert form.find("input", attrs={"name": "recipient"})["value"] == "nadia@example.org"


EXTENSIONS = {"html": ".html", "text": ".txt", "eml": ".eml", "json": ".json"}
CONTENT_TYPES = {
    "html": "text/html",
    "text": "text/plain",
    "eml": "message/rfc822",
    "json": "application/json",
}


class TestNewsletterAdmin:
    def test_changelist_counts_subscribers_by_status_in_one_query(self, admin_client):
        def rows():
            admin_client.get(reverse("admin:newsletter_newsletter_changelist"))  # warm caches
            with CaptureQueriesContext(connection) as queries:
                response = admin_client.get(reverse("admin:newsletter_newsletter_changelist"))
            return changelist_rows(response), len(queries)

        weekly = NewsletterFactory()
        SubscriptionFactory.create_batch(3, newsletter=weekly)
        SubscriptionFactory.create_batch(
            2, newsletter=weekly, status=Subscription.Status.PENDING, confirmed_at=None
        )
        SubscriptionFactory(
            newsletter=weekly, status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=days_ago(1)
        )
        one, few = rows()
        assert one == [
            {
                "name": "The Weekly Round-up",
                "slug": "weekly-round-up",
                "confirmed_count": "3",
                "pending_count": "2",
                "unsubscribed_count": "1",
            }
        ]
        for slug in ["daily", "monthly"]:
            SubscriptionFactory(newsletter=NewsletterFactory(name=slug.title(), slug=slug))
        three, more = rows()
        assert [row["confirmed_count"] for row in three] == ["1", "1", "3"]
        assert more == few

    def test_add_form_fills_the_slug_from_the_name(self, admin_client):
        soup = soup_of(admin_client.get(reverse("admin:newsletter_newsletter_add")))

        prepopulated = soup.find(id="django-admin-prepopulated-fields-constants")
        [slug] = json.loads(prepopulated["data-prepopulated-fields"])
        assert (slug["id"], slug["dependency_ids"]) == ("#id_slug", ["#id_name"])

    def test_change_page_charts_confirmations_per_week(self, staff_client, newsletter):
        now = timezone.now()
        this_monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
        SubscriptionFactory.create_batch(3, newsletter=newsletter, confirmed_at=now)
        SubscriptionFactory(newsletter=newsletter, confirmed_at=now - timedelta(weeks=2))
        url = reverse("admin:newsletter_newsletter_change", args=[newsletter.pk])

        soup = soup_of(staff_client.get(url))

        chart = soup.select_one(".rs-weekly svg[role=img]")
        assert chart["aria-labelledby"] == "rs-weekly-title rs-weekly-desc"
        assert soup.find(id="rs-weekly-desc").get_text() == "4 in all; the busiest week had 3."
        bars = chart.select("rect.rs-chart-bar")
        assert [bar["data-count"] for bar in bars][-3:] == ["1", "0", "3"]
        assert len(bars) == 26
        tallest, two_weeks_ago = bars[-1], bars[-3]
        assert int(tallest["height"]) == 3 * int(two_weeks_ago["height"]) > 0
        table = {
            row.th.time["datetime"]: row.td.get_text()
            for row in soup.select(".rs-weekly-table tbody tr")
        }
        assert len(table) == 26
        assert table[this_monday.isoformat()] == "3"
        assert table[(this_monday - timedelta(weeks=2)).isoformat()] == "1"
        assert sum(int(count) for count in table.values()) == 4
        assert not soup.find_all("script", src=lambda src: src and "chart" in src)

    def test_change_page_offers_the_csv_to_who_may_export(
        self, staff_client, client, django_user_model, newsletter
    ):
        url = reverse("admin:newsletter_newsletter_change", args=[newsletter.pk])
        csv = reverse("admin:newsletter_newsletter_subscribers", args=[newsletter.pk])

        link = soup_of(staff_client.get(url)).select_one(".object-tools a.rs-subscribers-csv")
        assert link.get_text(strip=True) == "Export subscribers (CSV)"
        assert link["href"] == csv

        viewer = django_user_model.objects.create_user(username="viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_newsletter"))
        client.force_login(viewer)
        assert soup_of(client.get(url)).select_one("a.rs-subscribers-csv") is None


class TestSubscriptionAdmin:
    def test_changelist_columns_filters_and_search(self, admin_client, newsletter):
        consent = datetime(2026, 11, 2, 9, 45, tzinfo=UTC)
        SubscriptionFactory(
            newsletter=newsletter,
            email="ana@example.org",
            confirmed_at=consent,
            source_url="/asia-pacific/",
        )
        SubscriptionFactory(
            newsletter=newsletter,
            email="ben@example.org",
            status=Subscription.Status.PENDING,
            confirmed_at=None,
        )
        url = reverse("admin:newsletter_subscription_changelist")

        response = admin_client.get(url, {"q": "ana@"})

        [row] = changelist_rows(response)
        assert row["email"] == "ana@example.org"
        assert row["newsletter"] == "The Weekly Round-up"
        assert row["status"] == "Confirmed"
        assert row["source_url"] == "/asia-pacific/"
        assert row["consent"] != "-"
        headers = [th.get_text(strip=True) for th in soup_of(response).select("#result_list th")]
        assert "Consent" in headers
        pending = changelist_rows(admin_client.get(url, {"status__exact": "pending"}))
        assert [row["email"] for row in pending] == ["ben@example.org"]
        hierarchy = soup_of(response).select_one("#date-hierarchy-label")
        assert hierarchy.get_text(strip=True) == "Filter by created at"

    def test_consent_fields_are_read_only_even_for_superusers(self, admin_client, newsletter):
        subscription = SubscriptionFactory(newsletter=newsletter)
        url = reverse("admin:newsletter_subscription_change", args=[subscription.pk])

        soup = soup_of(admin_client.get(url))

        for field in ["status", "created_at", "confirmed_at", "unsubscribed_at", "source_url"]:
            assert soup.find(attrs={"name": field}) is None, field
            assert soup.select_one(f".field-{field} .readonly") is not None, field
        assert soup.find("input", attrs={"name": "email"}) is not None

    def test_staff_can_read_but_not_change_a_subscription(self, staff_client, newsletter):
        subscription = SubscriptionFactory(newsletter=newsletter, email="ana@example.org")
        url = reverse("admin:newsletter_subscription_change", args=[subscription.pk])

        response = staff_client.get(url)

        assert response.status_code == 200
        assert soup_of(response).find("input", attrs={"name": "email"}) is None
        assert staff_client.post(url, {"email": "x@example.org"}).status_code == 403
        subscription.refresh_from_db()
        assert subscription.email == "ana@example.org"


class TestNewsletterStaffGroup:
    def test_has_exactly_the_permissions_for_the_round_up(self):
        group = Group.objects.get(name=STAFF_GROUP)

        granted = {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        }

        assert granted == STAFF_PERMISSIONS

    def test_migration_removes_the_group_and_puts_it_back(self):
        migration = import_module("newsletter.migrations.0002_newsletter_staff_group")
        apps = (
            MigrationExecutor(connection)
            .loader.project_state(("newsletter", "0002_newsletter_staff_group"))
            .apps
        )

        migration.remove_group(apps, None)
        assert not Group.objects.filter(name=STAFF_GROUP).exists()

        migration.create_group(apps, None)
        group = Group.objects.get(name=STAFF_GROUP)
        assert group.permissions.count() == len(GROUP_MIGRATION_PERMISSIONS)

    def test_recreates_missing_permissions_on_a_fresh_database(self):
        migration = import_module("newsletter.migrations.0002_newsletter_staff_group")
        apps = (
            MigrationExecutor(connection)
            .loader.project_state(("newsletter", "0002_newsletter_staff_group"))
            .apps
        )
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

        response = staff_client.get(url)

        assert response.status_code == 200
        assert soup_of(response).find("input", attrs={"name": "headline"}) is None
        assert staff_client.post(url, {"headline": "Changed"}).status_code == 403
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
