"""The image admin: uploads, credits and the list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Image
from tests.articles.admin.helpers import IMAGE_ADD, field_errors
from tests.factories import ImageFactory, jpeg_bytes
from tests.forms import changelist_rows

pytestmark = pytest.mark.django_db


class TestImageAdmin:
    def upload(self, client, **fields):
        data = {
            "file": SimpleUploadedFile("harbour.jpg", jpeg_bytes(64, 48), "image/jpeg"),
            "alt_text": "Cranes over the harbour at dusk",
            "caption": "The container terminal.",
            "credit": "",
            "source_url": "",
            **fields,
        }
        return client.post(IMAGE_ADD, data)

    def test_upload_with_a_credit_records_the_size(self, editor_client):
        response = self.upload(editor_client, credit="Photo: R. Amari / Agency")

        assert response.status_code == 302
        image = Image.objects.get()
        assert (image.width, image.height) == (64, 48)
        assert image.alt_text == "Cranes over the harbour at dusk"
        assert image.credit == "Photo: R. Amari / Agency"
        assert image.file.name.endswith(".jpg")

    def test_upload_without_a_credit_is_refused(self, editor_client):
        response = self.upload(editor_client)

        assert response.status_code == 200
        assert field_errors(response, "credit") == [
            "Add the credit (agency and photographer), or tick “no credit needed”."
        ]
        assert not Image.objects.exists()

    def test_own_graphic_needs_no_credit(self, editor_client):
        response = self.upload(editor_client, no_credit_needed="on")

        assert response.status_code == 302
        image = Image.objects.get()
        assert image.no_credit_needed
        assert image.credit == ""

    def test_changelist_shows_thumbnails_and_credits(self, admin_client):
        credited = ImageFactory(alt_text="A tanker", credit="Photo: J. Lin / Wire")
        ImageFactory(alt_text="Our map", credit="", no_credit_needed=True)

        response = admin_client.get(reverse("admin:articles_image_changelist"))

        assert response.status_code == 200
        rows = {row["alt_text"].get_text(strip=True): row for row in changelist_rows(response)}
        assert set(rows) == {"A tanker", "Our map"}
        for row in rows.values():
            assert row["preview"].find("img", class_="rs-thumb")
        assert rows["A tanker"]["preview"].img["src"] == credited.display_file.url
        assert rows["A tanker"]["credit_column"].get_text(strip=True) == "Photo: J. Lin / Wire"
        assert (
            rows["Our map"]["credit_column"].get_text(strip=True)
            == "Own graphic (no credit needed)"
        )
        assert rows["A tanker"]["dimensions"].get_text(strip=True) == "32 × 18"
