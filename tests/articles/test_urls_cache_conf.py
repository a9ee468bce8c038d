"""A stand-in URLconf for tests/articles/test_urls_cache.py: the section page moved."""

from django.urls import include, path


def stand_in(request):  # pragma: no cover - never called, only reversed
    raise AssertionError


urlpatterns = [
    path("", include(([path("moved/<slug:slug>/", stand_in, name="section")], "articles")))
]
