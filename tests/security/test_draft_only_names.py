"""A tag or an author named only on drafts (or scheduled, or trashed stories) is no page for
readers: its page and its feeds answer 404, and no directory, sitemap or page names it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

SECRET_TAG = "Operation Nightfall leak"
SECRET_AUTHOR = "Undercover Source"


def hidden_story(**fields):
    return ArticleFactory(
        tags=[SECRET_TAG],
        authors=[AuthorFactory(name=SECRET_AUTHOR, slug="undercover-source")],
        **fields,
    )


HIDDEN = {
    "draft": {"status": Article.Status.DRAFT},
    "scheduled": {"published_at": timezone.now() + timedelta(days=1)},
    "in review": {"status": Article.Status.REVIEW},
}

TAG_PAGES = [
    "/tag/operation-nightfall-leak/",
    "/feeds/tag/operation-nightfall-leak/rss/",
    "/feeds/tag/operation-nightfall-leak/atom/",
]
AUTHOR_PAGES = [
    "/author/undercover-source/",
    "/feeds/author/undercover-source/rss/",
    "/feeds/author/undercover-source/atom/",
]


@pytest.fixture(params=list(HIDDEN))
def hidden(request):
    return hidden_story(**HIDDEN[request.param])


@pytest.mark.parametrize("url", TAG_PAGES + AUTHOR_PAGES)
def test_a_name_used_only_on_hidden_stories_has_no_page(client, hidden, url):
    response = client.get(url)
    assert response.status_code == 404
    assert SECRET_TAG not in response.content.decode()
    assert SECRET_AUTHOR not in response.content.decode()


@pytest.mark.parametrize("url", TAG_PAGES + AUTHOR_PAGES)
def test_a_name_used_only_on_a_trashed_story_has_no_page(client, url):
    story = hidden_story()
    assert client.get(url).status_code == 200
    Article.objects.filter(pk=story.pk).update(deleted_at=timezone.now())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", TAG_PAGES + AUTHOR_PAGES)
def test_the_page_appears_when_a_story_with_the_name_is_published(client, hidden, url):
    Article.objects.filter(pk=hidden.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(url)
    assert response.status_code == 200
    assert SECRET_TAG in response.content.decode() or SECRET_AUTHOR in response.content.decode()


def test_an_empty_section_still_has_its_page(client):
    SectionFactory(name="Arctic", slug="arctic")
    hidden_story(section=SectionFactory(slug="arctic"), status=Article.Status.DRAFT)
    assert client.get("/arctic/").status_code == 200
    assert client.get("/feeds/section/arctic/rss/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        reverse("feeds:index"),
        reverse("sitemap-section", kwargs={"section": "tags"}),
        reverse("sitemap-section", kwargs={"section": "authors"}),
        "/search/?q=nightfall",
        "/",
    ],
)
def test_no_directory_sitemap_or_listing_names_them(client, hidden, url):
    ArticleFactory(headline="A public story", tags=["Shipping"], authors=[AuthorFactory()])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for secret in (SECRET_TAG, SECRET_AUTHOR, "operation-nightfall-leak", "undercover-source"):
        assert secret not in page
