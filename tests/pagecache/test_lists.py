"""A story published, moved or taken down refreshes the pages whose lists it joins or leaves
(its section's and its topics' related teasers, the pages that picked it), and no others;
LATEST beside every article is a hole, filled as the page is served (holes.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, RelatedStoryFactory, SectionFactory
from tests.forms import soup_of
from tests.pagecache.pages import warm

pytestmark = pytest.mark.django_db

HOLE = b"pagecache:hole"


@pytest.fixture
def bystander(newsroom):
    """A story in another section, on another topic, with teasers of its own."""
    europe = SectionFactory(name="Europe", slug="europe")
    ArticleFactory.create_batch(4, section=europe, tags=["Arms trade"])
    story = ArticleFactory(
        headline="Arms fairs and their guests",
        section=europe,
        tags=["Arms trade"],
        published_at=timezone.now() - timedelta(days=40),
    )
    story.topic = story.tags.get()
    story.save()
    return story


@pytest.fixture
def neighbour(newsroom):
    """An older story on the newsroom story's topic: its teasers are the topic's newest."""
    story = ArticleFactory(
        headline="Straits and statecraft",
        section=newsroom.section,
        tags=["Taiwan Strait"],
        published_at=timezone.now() - timedelta(days=30),
    )
    story.topic = story.tags.get()
    story.save()
    return story


def outcome(reader, article):
    return reader.get(article.get_absolute_url())["X-Page-Cache"]


def teasers(reader, article):
    page = soup_of(reader.get(article.get_absolute_url()))
    return [heading.get_text(strip=True) for heading in page.select(".related h3")]


def test_a_story_published_on_a_topic_refreshes_that_topics_pages_only(
    reader, newsroom, neighbour, bystander
):
    warm(reader, [neighbour.get_absolute_url(), bystander.get_absolute_url()])

    fresh = ArticleFactory(headline="A new strait crisis", section=newsroom.section)
    fresh.tags.add("Taiwan Strait")

    assert "A new strait crisis" in teasers(reader, neighbour)
    assert outcome(reader, bystander) == "hit"


def test_a_story_taken_down_leaves_the_teasers_of_its_topic(reader, newsroom, neighbour):
    warm(reader, [neighbour.get_absolute_url()])
    assert "Shipping lanes under strain" in teasers(reader, neighbour)

    editor = get_user_model().objects.create_superuser("chief", "chief@example.org", "x")
    services.unpublish(Article.objects.filter(pk=newsroom.story.pk), editor)

    assert "Shipping lanes under strain" not in teasers(reader, neighbour)


def test_a_picked_draft_published_appears_on_the_page_that_picked_it(reader, newsroom, bystander):
    """Nobody reported this one: the pick's page shows nothing of the draft, so only the pick
    links the two; publishing the draft must still refresh the page that picked it."""
    draft = ArticleFactory(
        headline="Embargoed until Monday",
        section=SectionFactory(name="Middle East", slug="middle-east"),
        status=Article.Status.DRAFT,
    )
    RelatedStoryFactory(article=bystander, related=draft, position=0)
    warm(reader, [bystander.get_absolute_url()])
    assert "Embargoed until Monday" not in teasers(reader, bystander)

    draft.status = Article.Status.PUBLISHED
    services.save_article(draft)

    assert teasers(reader, bystander)[0] == "Embargoed until Monday"


def test_a_story_moved_to_another_section_refreshes_both_sections_teasers(
    reader, newsroom, bystander
):
    lone = ArticleFactory(headline="Alone in its section", section=SectionFactory(slug="polar"))
    warm(reader, [lone.get_absolute_url(), bystander.get_absolute_url()])
    assert teasers(reader, lone) == []

    moved = Article.objects.get(pk=newsroom.host.pk)
    moved.section = lone.section
    services.save_article(moved)

    assert teasers(reader, lone) == ["Ports and power"]
    assert "Ports and power" not in teasers(reader, newsroom.story)


def test_a_bulk_publish_refreshes_the_topics_of_the_stories_it_publishes(
    reader, newsroom, neighbour, bystander
):
    draft = ArticleFactory(
        headline="Held for the morning", section=newsroom.section, status=Article.Status.DRAFT
    )
    draft.tags.add("Taiwan Strait")
    warm(reader, [neighbour.get_absolute_url(), bystander.get_absolute_url()])

    editor = get_user_model().objects.create_superuser("chief", "chief@example.org", "x")
    services.publish_now(Article.objects.filter(pk=draft.pk), editor)

    assert "Held for the morning" in teasers(reader, neighbour)
    assert outcome(reader, bystander) == "hit"


def test_no_reader_ever_sees_a_hole(reader, client, admin_user, newsroom, bystander):
    url = bystander.get_absolute_url()
    miss, hit = reader.get(url), reader.get(url)
    head = reader.head(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"], head["X-Page-Cache"]) == ("miss",) + (
        "hit",
    ) * 2
    for response in (miss, hit):
        assert HOLE not in response.content
        assert soup_of(response).select("section.latest li")
    assert miss.content == hit.content
    assert head["ETag"] == hit["ETag"]
    assert reader.get(url, headers={"if-none-match": hit["ETag"]}).status_code == 304

    client.force_login(admin_user)
    preview = client.get(url)
    assert HOLE not in preview.content
    assert soup_of(preview).select("section.latest li")


def test_with_tags_off_the_rail_is_part_of_the_page(reader, newsroom, bystander, settings):
    settings.PAGE_CACHE_TAGS = False
    warm(reader, [bystander.get_absolute_url()])

    ArticleFactory(headline="Fresh off the wire", section=newsroom.section)

    response = reader.get(bystander.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert soup_of(response).select_one("section.latest").find("a", string="Fresh off the wire")


def test_a_cdn_is_told_the_rails_tags_too(reader, newsroom, bystander):
    response = reader.get(bystander.get_absolute_url())
    names = set(response["Cache-Tag"].split(","))
    assert {"lists", f"article:{newsroom.story.pk}", f"article:{bystander.pk}"} <= names
    assert names == set(response["Surrogate-Key"].split(" "))
