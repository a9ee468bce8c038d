"""Searching as a reader does: the search page, its results, and the headlines found."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.forms import soup_of

SEARCH_URL = reverse("articles:search")


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def headlines(results):
    return [article.headline for article in results]


def search_page(client, **params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response


def result_items(response):
    return soup_of(response).select(".search-result")
