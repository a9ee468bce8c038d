"""The section admin."""

import pytest
from django.urls import reverse

from articles.models import Section
from tests.articles.admin.helpers import field_errors

pytestmark = pytest.mark.django_db


class TestSectionAdmin:
    def test_reserved_slug_is_refused(self, admin_client):
        url = reverse("admin:articles_section_add")
        response = admin_client.post(url, {"name": "Admin", "slug": "admin", "position": "0"})

        assert response.status_code == 200
        assert field_errors(response, "slug") == [
            "“admin” is used by the site itself; choose another slug."
        ]
        assert not Section.objects.exists()

    def test_ordinary_slug_is_accepted(self, admin_client):
        url = reverse("admin:articles_section_add")
        response = admin_client.post(url, {"name": "Europe", "slug": "europe", "position": "3"})

        assert response.status_code == 302
        assert Section.objects.get().slug == "europe"
