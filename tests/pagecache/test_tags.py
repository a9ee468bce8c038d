"""An article's page is kept until something it shows changes (articles/cache_tags.py), not
whenever anything on the site does: each rule both ways, a change refreshes every page that
shows the changed thing, and leaves the others cached."""

from datetime import timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from rs_cms.pagecache import tags
from tests.factories import ArticleFactory, ImageFactory, SectionFactory
from tests.forms import soup_of
from tests.pagecache.pages import warm

pytestmark = pytest.mark.django_db


@pytest.fixture
def bystander(newsroom):
    """An article in another section with nothing in common with the story but the site:
    newer stories fill LATEST, so the story is not among them."""
    europe = SectionFactory(name="Europe", slug="europe")
    ArticleFactory.create_batch(6, section=europe)
    return ArticleFactory(
        headline="Arms fairs and their guests",
        section=europe,
        top_image=ImageFactory(credit="Photo: L. Berg / Nordic Wire"),
        published_at=timezone.now() - timedelta(days=40),
    )


def outcome(reader, article):
    return reader.get(article.get_absolute_url())["X-Page-Cache"]


def shown_credits(reader, article):
    page = soup_of(reader.get(article.get_absolute_url()))
    return [line.get_text(" ", strip=True) for line in page.select(".credit-line")]


def test_editing_an_article_leaves_unrelated_pages_cached(reader, newsroom, bystander):
    warm(reader, [newsroom.story.get_absolute_url(), bystander.get_absolute_url()])

    story = Article.objects.get(pk=newsroom.story.pk)
    story.dek = "A new standfirst."
    services.save_article(story)

    assert outcome(reader, bystander) == "hit"
    response = reader.get(newsroom.story.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "A new standfirst." in response.content.decode()


def test_with_tags_off_every_change_retires_every_page(reader, newsroom, bystander, settings):
    """PAGE_CACHE_TAGS=0: the older design, which the workload benchmark compares."""
    settings.PAGE_CACHE_TAGS = False
    warm(reader, [bystander.get_absolute_url()])

    story = Article.objects.get(pk=newsroom.story.pk)
    story.dek = "A new standfirst."
    services.save_article(story)

    assert outcome(reader, bystander) == "miss"
    assert outcome(reader, bystander) == "hit"


def test_editing_an_article_refreshes_the_pages_whose_teasers_show_it(reader, newsroom, bystander):
    warm(reader, [newsroom.host.get_absolute_url(), bystander.get_absolute_url()])

    story = Article.objects.get(pk=newsroom.story.pk)
    story.headline = "Shipping lanes reopen"
    services.save_article(story)

    host = soup_of(reader.get(newsroom.host.get_absolute_url()))
    teasers = [h.get_text(strip=True) for h in host.select(".related-story__headline")]
    assert "Shipping lanes reopen" in teasers
    assert outcome(reader, bystander) == "hit"


def test_an_image_credit_refreshes_the_article_and_every_teaser_showing_it(
    reader, newsroom, bystander
):
    warm(reader, [page.get_absolute_url() for page in (newsroom.story, newsroom.host, bystander)])

    newsroom.image.credit = "Photo: R. Amari / New Agency"
    newsroom.image.save()

    assert any("New Agency" in line for line in shown_credits(reader, newsroom.story))
    assert any("New Agency" in line for line in shown_credits(reader, newsroom.host))
    assert outcome(reader, bystander) == "hit"


def test_a_story_published_shows_in_latest_on_every_page_which_stays_stored(
    reader, newsroom, bystander
):
    """LATEST is a hole in the stored page (rs_cms/pagecache/holes.py), filled as it is served."""
    warm(reader, [bystander.get_absolute_url()])
    before = reader.get(bystander.get_absolute_url())

    ArticleFactory(headline="Fresh off the wire", section=newsroom.section)

    response = reader.get(bystander.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    latest = soup_of(response).select_one("section.latest")
    assert latest.find("a", string="Fresh off the wire")
    assert response["ETag"] != before["ETag"]
    assert int(response["Content-Length"]) == len(response.content)


def test_a_section_renamed_refreshes_every_article_page(reader, newsroom, bystander):
    warm(reader, [bystander.get_absolute_url()])

    newsroom.section.name = "Indo-Pacific"
    newsroom.section.save()

    assert "Indo-Pacific" in reader.get(bystander.get_absolute_url()).content.decode()


def test_a_bulk_update_refreshes_the_articles_it_touched_only(reader, newsroom, bystander):
    warm(reader, [newsroom.story.get_absolute_url(), bystander.get_absolute_url()])

    Article.objects.filter(pk=newsroom.story.pk).update(dek="Changed in bulk.")

    assert "Changed in bulk." in reader.get(newsroom.story.get_absolute_url()).content.decode()
    assert outcome(reader, bystander) == "hit"


def test_an_evicted_tag_never_brings_an_old_page_back(reader, newsroom):
    url = newsroom.story.get_absolute_url()
    warm(reader, [url])
    # A change that tells nobody, then the cache evicts the article's tag.
    Article.objects.filter(pk=newsroom.story.pk).update(headline="Quietly renamed")
    cache.delete(f"{tags.TAG_KEY}article:{newsroom.story.pk}")
    tags.local_versions.clear()

    response = reader.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Quietly renamed" in response.content.decode()


def test_a_page_rendered_while_something_changed_is_not_kept(reader, newsroom, monkeypatch):
    url = newsroom.story.get_absolute_url()
    render = Article.get_absolute_url

    def changing_meanwhile(article):
        # Someone else's change lands while this page renders.
        cache.incr("pagecache:generation")
        return render(article)

    monkeypatch.setattr(Article, "get_absolute_url", changing_meanwhile)
    assert reader.get(url)["X-Page-Cache"] == "miss"
    monkeypatch.setattr(Article, "get_absolute_url", render)
    assert reader.get(url)["X-Page-Cache"] == "miss"


def test_a_list_page_follows_the_stories_it_shows(reader, newsroom, bystander):
    shows_story = newsroom.section.get_absolute_url()
    other_list = bystander.section.get_absolute_url()
    warm(reader, [shows_story, other_list])

    story = Article.objects.get(pk=newsroom.story.pk)
    story.headline = "Shipping lanes reopen"
    services.save_article(story)

    assert reader.get(other_list)["X-Page-Cache"] == "hit"
    headlines = soup_of(reader.get(shows_story)).select(".teaser__headline")
    assert "Shipping lanes reopen" in [headline.get_text(strip=True) for headline in headlines]


def test_an_author_renamed_refreshes_the_lists_with_their_byline(reader, newsroom, bystander):
    shows_story = newsroom.section.get_absolute_url()
    other_list = bystander.section.get_absolute_url()
    warm(reader, [shows_story, other_list])

    newsroom.author.name = "Mina Odeh"
    newsroom.author.save()

    assert "Mina Odeh" in reader.get(shows_story).content.decode()
    assert reader.get(other_list)["X-Page-Cache"] == "hit"


def test_a_feed_follows_the_stories_it_carries(reader, newsroom, bystander):
    carries_story = reverse("feeds:section-rss", kwargs={"slug": newsroom.section.slug})
    other_feed = reverse("feeds:section-atom", kwargs={"slug": bystander.section.slug})
    warm(reader, [carries_story, other_feed])

    story = Article.objects.get(pk=newsroom.story.pk)
    story.headline = "Shipping lanes reopen"
    services.save_article(story)

    assert reader.get(other_feed)["X-Page-Cache"] == "hit"
    entries = feedparser.parse(reader.get(carries_story).content).entries
    assert "Shipping lanes reopen" in [entry.title for entry in entries]
