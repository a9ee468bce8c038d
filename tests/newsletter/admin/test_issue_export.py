"""The issue's download, in each format."""

import pytest
from django.contrib.auth.models import Permission

from newsletter import export
from tests.factories import IssueFactory
from tests.forms import soup_of
from tests.newsletter.admin.helpers import export_url, messages_of, preview_url

pytestmark = pytest.mark.django_db

EXTENSIONS = {"html": ".html", "text": ".txt", "eml": ".eml", "json": ".json"}
CONTENT_TYPES = {
    "html": "text/html",
    "text": "text/plain",
    "eml": "message/rfc822",
    "json": "application/json",
}


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
