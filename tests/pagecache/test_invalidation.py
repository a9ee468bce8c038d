"""Invalidation: the next request after a change shows it, on every page that shows it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Correction, Image, PreviewLink, Redirect, RelatedStory, Section
from rs_cms.pagecache.generation import GENERATION_KEY, content_changed, local, start_generation
from tests.factories import ArticleFactory, AuthorFactory, NewsletterFactory, SectionFactory
from tests.forms import form_data, soup_of
from tests.pagecache.pages import feeds, headlines, listing_pages, sitemaps, text, warm

pytestmark = pytest.mark.django_db


def edit_in_admin(client, admin_url, form_id, **changes):
    data = form_data(client.get(admin_url), form_id)
    data.update(changes)
    response = client.post(admin_url, data)
    assert response.status_code == 302, soup_of(response).select(".errorlist")


def run_action(client, changelist, action, articles):
    response = client.post(
        changelist, {"action": action, "_selected_action": [article.pk for article in articles]}
    )
    assert response.status_code == 302


class TestInvalidation:
    def test_an_image_credit_edited_in_the_admin_shows_everywhere(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        pages = [newsroom.story.get_absolute_url(), newsroom.host.get_absolute_url()]
        pages += feeds(newsroom)
        warm(reader, pages)
        for url in pages:
            assert "Old Agency" in text(reader.get(url)), url

        image_url = reverse("admin:articles_image_change", args=[newsroom.image.pk])
        edit_in_admin(client, image_url, "image_form", credit="Photo: R. Amari / New Agency")

        assert Image.objects.get().credit == "Photo: R. Amari / New Agency"
        for url in pages:
            response = reader.get(url)
            assert response["X-Page-Cache"] == "miss", url
            assert "New Agency" in text(response), url
            assert "Old Agency" not in text(response), url
        story = soup_of(reader.get(newsroom.story.get_absolute_url()))
        assert "New Agency" in story.select_one(".article__image-credit").get_text()
        host = soup_of(reader.get(newsroom.host.get_absolute_url()))
        assert "New Agency" in host.select_one(".related-story .credit-line").get_text()

    def test_a_headline_edited_in_the_admin_shows_everywhere(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        pages = [
            *listing_pages(newsroom),
            newsroom.story.get_absolute_url(),
            newsroom.host.get_absolute_url(),
        ]
        warm(reader, [*pages, *feeds(newsroom), reverse("sitemap-news")])

        change_url = reverse("admin:articles_article_change", args=[newsroom.story.pk])
        edit_in_admin(client, change_url, "article_form", headline="Shipping lanes reopen")

        for url in pages:
            shown = headlines(reader.get(url))
            assert "Shipping lanes reopen" in shown, url
            assert "Shipping lanes under strain" not in shown, url
        for url in [*feeds(newsroom), reverse("sitemap-news")]:
            assert "Shipping lanes reopen" in text(reader.get(url)), url

    def test_publishing_through_the_queryset_shows_the_story_everywhere(self, reader, newsroom):
        draft = ArticleFactory(
            headline="Fresh from the desk",
            section=newsroom.section,
            authors=[newsroom.author],
            tags=["Taiwan Strait"],
            status=Article.Status.DRAFT,
            published_at=None,
        )
        pages = [*listing_pages(newsroom), *feeds(newsroom), *sitemaps()]
        warm(reader, pages)

        assert Article.objects.filter(pk=draft.pk).publish_now() == 1

        for url in [*listing_pages(newsroom), *feeds(newsroom), reverse("sitemap-news")]:
            assert "Fresh from the desk" in text(reader.get(url)), url
        sitemap = reader.get(reverse("sitemap-section", kwargs={"section": "articles"}))
        assert draft.get_absolute_url() in text(sitemap)
        assert reader.get(draft.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize(
        "take_down",
        [
            lambda articles: articles.unpublish(),
            lambda articles: articles.move_to_trash(),
        ],
        ids=["unpublish", "move_to_trash"],
    )
    def test_taking_down_through_the_queryset_hides_the_story_everywhere(
        self, reader, newsroom, take_down
    ):
        story = newsroom.story
        pages = [*listing_pages(newsroom), *feeds(newsroom), reverse("sitemap-news")]
        warm(reader, [*pages, story.get_absolute_url(), newsroom.host.get_absolute_url()])

        assert take_down(Article.objects.filter(pk=story.pk)) == 1

        for url in [*pages, newsroom.host.get_absolute_url()]:
            assert "Shipping lanes under strain" not in text(reader.get(url)), url
        assert reader.get(story.get_absolute_url()).status_code == 404

    def test_restoring_from_the_trash_through_the_queryset_shows_it_again(self, reader, newsroom):
        story = newsroom.story
        Article.objects.filter(pk=story.pk).move_to_trash()
        home = reverse("articles:home")
        warm(reader, [home])

        assert Article.objects.filter(pk=story.pk).restore_from_trash() == 1

        assert "Shipping lanes under strain" in text(reader.get(home))
        assert reader.get(story.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize(
        ("changelist", "action", "start", "shown_after"),
        [
            (
                "admin:articles_article_changelist",
                "publish_now",
                {"status": Article.Status.DRAFT, "published_at": None},
                True,
            ),
            ("admin:articles_article_changelist", "unpublish", {}, False),
            ("admin:articles_article_changelist", "move_to_trash", {}, False),
            (
                "admin:articles_trashedarticle_changelist",
                "restore",
                {"deleted_at": timezone.now() - timedelta(days=1)},
                True,
            ),
        ],
        ids=["publish_now", "unpublish", "move_to_trash", "restore"],
    )
    def test_admin_actions_refresh_the_pages(
        self, client, editor, reader, newsroom, changelist, action, start, shown_after
    ):
        client.force_login(editor)
        article = ArticleFactory(headline="The action story", section=newsroom.section, **start)
        pages = [reverse("articles:home"), newsroom.section.get_absolute_url()]
        pages += [reverse("feeds:site-rss")]
        warm(reader, pages)

        run_action(client, reverse(changelist), action, [article])

        for url in pages:
            assert ("The action story" in text(reader.get(url))) is shown_after, url

    def test_deleting_in_the_admin_takes_the_story_off_the_pages(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        home = reverse("articles:home")
        warm(reader, [home, newsroom.story.get_absolute_url()])

        delete_url = reverse("admin:articles_article_delete", args=[newsroom.story.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code == 302

        assert "Shipping lanes under strain" not in text(reader.get(home))
        assert reader.get(newsroom.story.get_absolute_url()).status_code == 404

    def test_a_section_renamed_in_the_admin_shows_everywhere(
        self, client, editor, reader, newsroom
    ):
        client.force_login(editor)
        pages = [*listing_pages(newsroom), newsroom.story.get_absolute_url()]
        pages += [reverse("feeds:section-rss", kwargs={"slug": newsroom.section.slug})]
        warm(reader, pages)

        section_url = reverse("admin:articles_section_change", args=[newsroom.section.pk])
        edit_in_admin(client, section_url, "section_form", name="Indo-Pacific")

        for url in pages:
            response = reader.get(url)
            assert "Indo-Pacific" in text(response), url
            assert "Asia-Pacific" not in text(response), url

    def test_an_author_renamed_shows_on_the_byline_and_the_author_page(self, reader, newsroom):
        pages = [newsroom.story.get_absolute_url(), newsroom.author.get_absolute_url()]
        warm(reader, pages)

        newsroom.author.name = "Mina Odé-Ross"
        newsroom.author.save()

        story = soup_of(reader.get(pages[0]))
        assert "Mina Odé-Ross" in story.select_one(".article__byline").get_text()
        assert soup_of(reader.get(pages[1])).h1.get_text(strip=True) == "Mina Odé-Ross"

    def test_a_related_pick_added_shows_on_the_article(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        pick = ArticleFactory(
            headline="An older pick",
            section=SectionFactory(name="Middle East", slug="middle-east"),
            published_at=timezone.now() - timedelta(days=30),
        )
        warm(reader, [url])
        related = soup_of(reader.get(url)).select(".related-story__headline")
        assert "An older pick" not in [headline.get_text(strip=True) for headline in related]

        RelatedStory.objects.create(article=newsroom.story, related=pick, position=0)

        related = soup_of(reader.get(url)).select(".related-story__headline")
        assert related[0].get_text(strip=True) == "An older pick"

    def test_an_appeal_switched_off_leaves_the_article(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])
        assert soup_of(reader.get(url)).select_one(".appeal") is not None

        newsroom.appeal.is_active = False
        newsroom.appeal.save()

        assert soup_of(reader.get(url)).select_one(".appeal") is None

    def test_a_correction_shows_on_the_article(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])

        Correction.objects.create(article=newsroom.story, note="The strait is 180 km wide.")

        assert "The strait is 180 km wide." in text(reader.get(url))

    def test_a_tag_taken_off_leaves_its_tag_page(self, reader, newsroom):
        url = reverse("articles:tag", kwargs={"slug": "shipping"})
        warm(reader, [url])
        assert "Shipping lanes under strain" in headlines(reader.get(url))

        newsroom.story.tags.remove("Shipping")

        assert "Shipping lanes under strain" not in headlines(reader.get(url))

    def test_a_tag_renamed_shows_above_the_headline(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])

        tag = Tag.objects.get(slug="taiwan-strait")
        tag.name = "Taiwan Strait crisis"
        tag.save()

        topic = soup_of(reader.get(url)).select_one(".article__topic")
        assert topic.get_text(strip=True) == "Taiwan Strait crisis"

    def test_an_author_added_with_the_related_manager_shows_on_the_byline(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        warm(reader, [url])

        newsroom.story.authors.add(
            AuthorFactory(name="Tom Reyes"), through_defaults={"position": 1}
        )

        assert "Tom Reyes" in soup_of(reader.get(url)).select_one(".article__byline").get_text()

    @pytest.mark.parametrize(
        "change",
        [
            lambda n: Redirect.objects.create(old_path="/old/", new_path="/asia-pacific/"),
            lambda n: Redirect.objects.create(old_path="/old/", new_path="/x/").delete(),
            lambda n: n.image.renditions.create(format="jpeg", width=16, height=9, file="r.jpg"),
            lambda n: Section.objects.create(name="Europe", slug="europe"),
            lambda n: n.host.related_picks.all().delete(),
            lambda n: n.story.tags.clear(),
            lambda n: n.story.bylines.all().delete(),
            lambda n: Article.objects.filter(pk=n.host.pk).update(dek="Changed in bulk."),
        ],
        ids=[
            "redirect saved",
            "redirect deleted",
            "rendition made",
            "section added",
            "picks deleted",
            "tags cleared",
            "bylines deleted",
            "articles updated in bulk",
        ],
    )
    def test_each_change_moves_the_generation_on(self, newsroom, change):
        before = cache.get(GENERATION_KEY)
        assert before is not None  # the fixture's own saves started it

        change(newsroom)

        assert cache.get(GENERATION_KEY) != before

    def test_signups_and_share_links_leave_the_cache_alone(self, reader, newsroom):
        # A reader who could empty the cache at will could make every request a render.
        newsletter = NewsletterFactory()
        home = reverse("articles:home")
        warm(reader, [home])

        reader.post(reverse("newsletter:signup"), {"email": "someone@example.org"})
        PreviewLink.objects.create(
            article=newsroom.story, expires_at=timezone.now() + timedelta(days=1)
        )

        assert newsletter.subscriptions.filter(email="someone@example.org").exists()
        assert reader.get(home)["X-Page-Cache"] == "hit"

    def test_the_generation_moves_on_again_when_the_transaction_commits(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
            content_changed()
            during = cache.get(GENERATION_KEY)
        assert len(callbacks) == 1

        callbacks[0]()

        assert cache.get(GENERATION_KEY) not in {None, during}

    def test_a_lost_generation_never_brings_old_pages_back(self, reader, newsroom):
        home = reverse("articles:home")
        warm(reader, [home])
        # A change that tells nobody, then the cache evicts the generation, and this
        # process's copy of it runs out (LOCAL_GENERATION_SECONDS).
        Section.objects.filter(pk=newsroom.section.pk).update(name="Indo-Pacific")
        cache.delete(GENERATION_KEY)
        local.forget_generation()

        response = reader.get(home)
        assert response["X-Page-Cache"] == "miss"
        assert "Indo-Pacific" in text(response)


def test_loading_the_demo_refreshes_cached_pages(django_capture_on_commit_callbacks):
    """Its bylines and picks are bulk-created, without signals: the command bumps itself."""
    call_command("load_demo", stdout=StringIO())
    before = start_generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())  # nothing new to load, still a bump
    assert cache.get(GENERATION_KEY) != before
