"""The article form's autocomplete fields: topic, top image and section."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from tests.articles.admin.helpers import AUTOCOMPLETE
from tests.factories import ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


class TestAutocomplete:
    def results(self, client, field_name, term):
        response = client.get(
            AUTOCOMPLETE,
            {
                "app_label": "articles",
                "model_name": "article",
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        return response.json()["results"]

    def test_topic_finds_tags(self, editor_client):
        strait = Tag.objects.create(name="Taiwan Strait")
        Tag.objects.create(name="Shipping")

        assert self.results(editor_client, "topic", "Tai") == [
            {"id": str(strait.pk), "text": "Taiwan Strait"}
        ]

    def test_top_image_results_carry_their_credit(self, editor_client):
        image = ImageFactory(caption="A tanker at anchor.", credit="Photo: R. Amari / Agency")
        ImageFactory(caption="Cranes.", credit="Photo: J. Lin / Wire")

        [result] = self.results(editor_client, "top_image", "Amari")

        assert result["id"] == str(image.pk)
        assert "Photo: R. Amari / Agency" in result["text"]
        assert "A tanker at anchor." in result["text"]

    def test_section_finds_sections(self, editor_client):
        europe = SectionFactory(name="Europe")
        SectionFactory(name="Asia-Pacific")

        assert self.results(editor_client, "section", "Eur") == [
            {"id": str(europe.pk), "text": "Europe"}
        ]

    def test_anonymous_visitors_are_refused(self, client):
        Tag.objects.create(name="Taiwan Strait")
        response = client.get(
            AUTOCOMPLETE,
            {"app_label": "articles", "model_name": "article", "field_name": "topic", "term": "T"},
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
