"""The preview of an issue's HTML and text parts."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.models import Article
from newsletter import export
from newsletter.models import IssueItem
from tests.factories import ArticleFactory
from tests.forms import soup_of
from tests.newsletter.admin.helpers import preview_url

pytestmark = pytest.mark.django_db


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
