"""Fragments: the parts of a page kept under their own content's tags, so a page rebuilt after
someone else's change reuses them, and a change to what one shows renders it afresh."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from taggit.models import Tag

from articles import services
from articles.models import Article
from articles.views import ARTICLE_FRAGMENTS
from rs_cms import pagecache
from rs_cms.pagecache import fragments as fragment_store
from rs_cms.pagecache import tags
from rs_cms.pagecache.fragments import Fragment, fragment_key
from rs_cms.pagecache.generation import GENERATION_KEY, local, start_generation
from tests.articles.previews.helpers import make_draft, make_link, path_of
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    RelatedStoryFactory,
    SectionFactory,
)
from tests.forms import soup_of
from tests.pagecache.pages import forget_page, read

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_tag_versions():
    """Tag versions from an earlier test's cache are not this one's."""
    tags.local_versions.clear()
    yield
    tags.local_versions.clear()


@pytest.fixture
def bystander(newsroom):
    """An article in another section, with nothing in common with the story but the site."""
    europe = SectionFactory(name="Europe", slug="europe")
    return ArticleFactory(
        headline="Arms fairs and their guests",
        section=europe,
        top_image=ImageFactory(credit="Photo: L. Berg / Nordic Wire"),
        published_at=timezone.now() - timedelta(days=40),
    )


def stored(name, pk):
    return cache.get(fragment_key(name, (pk,)))


class TestReuse:
    def test_a_miss_after_someone_elses_edit_reuses_the_pages_fragments(
        self, reader, newsroom, bystander
    ):
        url = bystander.get_absolute_url()
        cold, cold_queries = read(reader, url)
        assert all(stored(name, bystander.pk) for name in ARTICLE_FRAGMENTS)

        story = Article.objects.get(pk=newsroom.story.pk)
        story.dek = "A new standfirst."
        services.save_article(story)
        # The first page after the change reads the site chrome again, for every page.
        read(reader, newsroom.story.get_absolute_url())
        forget_page(url)
        rebuilt, queries = read(reader, url)

        assert rebuilt["X-Page-Cache"] == "miss"
        # The article's row with its section, picture and topic; the rest from the cache.
        assert queries == 1 < cold_queries
        assert rebuilt.content == cold.content

    def test_a_rebuilt_page_names_the_tags_a_fresh_one_does(self, reader, newsroom):
        story, host = newsroom.story, newsroom.host
        for url in (story.get_absolute_url(), host.get_absolute_url()):
            fresh = reader.get(url)
            forget_page(url)
            rebuilt, queries = read(reader, url)
            assert (rebuilt["X-Page-Cache"], queries) == ("miss", 1)
            assert rebuilt["Cache-Tag"] == fresh["Cache-Tag"]
        # What only the story's own fragments show, and the host's related stories.
        shown = {f"image:{newsroom.image.pk}", f"author:{newsroom.author.pk}", "sections"}
        shown |= {f"tag:{tag.pk}" for tag in story.tags.all()}
        assert shown <= set(reader.get(story.get_absolute_url())["Cache-Tag"].split(","))
        assert f"article:{story.pk}" in reader.get(host.get_absolute_url())["Cache-Tag"]

    def test_a_list_page_rebuilt_from_its_cards_is_the_same_page(self, reader, newsroom):
        ArticleFactory.create_batch(3, section=newsroom.section, authors=[newsroom.author])
        url = newsroom.section.get_absolute_url()
        fresh = reader.get(url)
        forget_page(url)
        rebuilt = reader.get(url)
        assert rebuilt["X-Page-Cache"] == "miss"
        assert (rebuilt.content, rebuilt["Cache-Tag"]) == (fresh.content, fresh["Cache-Tag"])


class TestCost:
    """An article page after an edit, and one rebuilt from its fragments, cost a fixed number
    of queries however many authors, tags, pictures and related stories it shows."""

    @pytest.fixture
    def article(self, newsroom):
        article = newsroom.story
        for position in range(1, 5):
            article.bylines.create(author=AuthorFactory(), position=position)
        article.tags.add(*[f"Tag {n}" for n in range(6)])
        pictures = [ImageFactory() for _ in range(3)]
        article.body = "".join(f'<figure data-image="{image.pk}"></figure>' for image in pictures)
        article.save()
        for position in range(3):
            related = ArticleFactory(section=newsroom.section, top_image=ImageFactory())
            RelatedStoryFactory(article=article, related=related, position=position)
        return article

    def test_after_an_edit_and_rebuilt(self, reader, newsroom, article):
        url = article.get_absolute_url()
        costs = []
        for _ in range(2):
            reader.get(url)
            Article.objects.filter(pk=article.pk).update(dek="Edited again.")
            edited = read(reader, url)[1]
            forget_page(url)
            rebuilt = read(reader, url)[1]
            costs.append((edited, rebuilt))
            ArticleFactory(section=newsroom.section, authors=[AuthorFactory()], tags=["More"])
            article.bylines.create(author=AuthorFactory(), position=9)
            article.tags.add("Yet another")
        # Edited: the row; bylines, tags, corrections; the body's pictures; the related
        # stories; and, as the first page after a change, the site chrome's three and the
        # section's and topic's newest stories. Rebuilt: the row, with its section.
        assert costs == [(10, 1), (10, 1)]


class TestChangesShow:
    """A change to what a fragment shows renders it afresh on the next request."""

    @pytest.fixture
    def pictured(self, newsroom):
        """The story with a picture in its body."""
        inside = ImageFactory(caption="A crane at dusk.", credit="Photo: J. Tan / Harbour Wire")
        story = Article.objects.get(pk=newsroom.story.pk)
        story.body = f'<p>Ships wait.</p><figure data-image="{inside.pk}"></figure>'
        services.save_article(story)
        return inside

    def page(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        response = reader.get(url)
        assert response["X-Page-Cache"] == "miss"
        return soup_of(response)

    def warm(self, reader, newsroom):
        url = newsroom.story.get_absolute_url()
        reader.get(url)
        assert reader.get(url)["X-Page-Cache"] == "hit"
        assert stored("article", newsroom.story.pk) is not None

    def test_the_articles_text(self, reader, newsroom, pictured):
        self.warm(reader, newsroom)
        story = Article.objects.get(pk=newsroom.story.pk)
        story.body = story.body.replace("Ships wait.", "Ships sail again.")
        story.headline = "Shipping lanes reopen"
        services.save_article(story)

        page = self.page(reader, newsroom)
        assert "Ships sail again." in page.select_one(".article__body").get_text()
        assert page.select_one("h1").get_text(strip=True) == "Shipping lanes reopen"
        assert page.find("meta", property="og:title")["content"] == "Shipping lanes reopen"

    def test_the_top_images_credit(self, reader, newsroom):
        self.warm(reader, newsroom)
        newsroom.image.credit = "Photo: R. Amari / New Agency"
        newsroom.image.save()

        page = self.page(reader, newsroom)
        assert "New Agency" in page.select_one(".article__top-image .credit").get_text()
        assert "New Agency" in page.select_one(".article__image-credit").get_text()

    def test_an_authors_name(self, reader, newsroom):
        self.warm(reader, newsroom)
        newsroom.author.name = "Mina Odeh"
        newsroom.author.save()

        page = self.page(reader, newsroom)
        assert page.select_one(".article__byline a").get_text(strip=True) == "Mina Odeh"
        assert '"name": "Mina Odeh"' in page.find("script", type="application/ld+json").string

    def test_a_tags_name(self, reader, newsroom):
        self.warm(reader, newsroom)
        tag = Tag.objects.get(name="Shipping")
        tag.name = "Sea lanes"
        tag.save()

        page = self.page(reader, newsroom)
        footer = [link.get_text(strip=True) for link in page.select(".article__tags a")]
        assert "Sea lanes" in footer and "Shipping" not in footer
        shown = [meta["content"] for meta in page.find_all("meta", property="article:tag")]
        assert "Sea lanes" in shown

    def test_an_in_body_images_credit(self, reader, newsroom, pictured):
        self.warm(reader, newsroom)
        pictured.credit = "Photo: J. Tan / Quay Pictures"
        pictured.save()

        page = self.page(reader, newsroom)
        credit = page.select_one(".article__body .body-image .credit").get_text()
        assert "Quay Pictures" in credit

    def test_a_sections_name(self, reader, newsroom):
        self.warm(reader, newsroom)
        newsroom.section.name = "Indo-Pacific"
        newsroom.section.save()

        page = self.page(reader, newsroom)
        labels = [line.get_text(" ", strip=True) for line in page.select(".label-line")]
        assert labels and all("Indo-Pacific" in label for label in labels)

    def test_a_related_storys_picture_credit(self, reader, newsroom):
        url = newsroom.host.get_absolute_url()
        reader.get(url)
        newsroom.image.credit = "Photo: R. Amari / New Agency"
        newsroom.image.save()

        page = soup_of(reader.get(url))
        assert "New Agency" in page.select_one(".related-story .credit-line").get_text()

    def test_a_story_published_into_the_topic_joins_the_related_stories(self, reader, newsroom):
        story = Article.objects.get(pk=newsroom.story.pk)
        url = story.get_absolute_url()
        reader.get(url)
        ArticleFactory(headline="Straits in the news", section=newsroom.section, topic=story.topic)

        page = soup_of(reader.get(url))
        related = [h.get_text(strip=True) for h in page.select(".related-story__headline")]
        assert "Straits in the news" in related

    def test_a_scheduled_story_joins_the_related_stories_at_its_time(
        self, reader, newsroom, time_machine
    ):
        time_machine.move_to(timezone.now(), tick=False)
        story = Article.objects.get(pk=newsroom.story.pk)
        due = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
        ArticleFactory(
            headline="Due at ten past",
            section=newsroom.section,
            topic=story.topic,
            published_at=due,
        )
        url = story.get_absolute_url()
        assert "Due at ten past" not in reader.get(url).content.decode()

        time_machine.move_to(due, tick=False)
        page = soup_of(reader.get(url))
        related = [h.get_text(strip=True) for h in page.select(".related-story__headline")]
        assert "Due at ten past" in related


class TestNotUsed:
    """Fragments are for pages on their way to the page cache: anything else renders its own.

    A fragment planted in the cache (current, never expiring) shows who would use it."""

    @pytest.fixture
    def planted(self):
        def plant(article):
            entry = Fragment("<p class='planted'>stored copy</p>", (), time.time() + 3600)
            cache.set(fragment_key("article", (article.pk,)), entry)
            return article

        return plant

    def shows_stored_copy(self, response):
        return soup_of(response).select_one(".planted") is not None

    def test_a_reader_is_given_the_stored_copy(self, reader, newsroom, planted):
        planted(newsroom.story)
        assert self.shows_stored_copy(reader.get(newsroom.story.get_absolute_url()))

    def test_nor_with_tags_off(self, reader, newsroom, planted, settings):
        settings.PAGE_CACHE_TAGS = False
        planted(newsroom.story)
        response = reader.get(newsroom.story.get_absolute_url())
        assert not self.shows_stored_copy(response)
        assert response["X-Page-Cache"] == "miss"
        assert stored("article-foot", newsroom.story.pk) is None

    def test_nor_for_a_staff_preview(self, editor_client, planted):
        draft = planted(make_draft())
        response = editor_client.get(draft.get_absolute_url())
        assert response.status_code == 200
        assert not self.shows_stored_copy(response)
        assert stored("article-foot", draft.pk) is None

    def test_nor_for_a_signed_in_editor_reading_a_public_page(
        self, editor_client, newsroom, planted
    ):
        planted(newsroom.story)
        assert not self.shows_stored_copy(editor_client.get(newsroom.story.get_absolute_url()))
        assert stored("article-foot", newsroom.story.pk) is None

    def test_nor_for_a_share_preview(self, reader, planted):
        draft = planted(make_draft())
        response = reader.get(path_of(make_link(draft)))
        assert response.status_code == 200
        assert not self.shows_stored_copy(response)
        assert stored("article-foot", draft.pk) is None

    def test_nor_kept_when_something_changed_while_it_rendered(self, reader, newsroom, monkeypatch):
        render = Article.get_absolute_url

        def changing_meanwhile(article):
            cache.incr(GENERATION_KEY)
            return render(article)

        monkeypatch.setattr(Article, "get_absolute_url", changing_meanwhile)
        reader.get(newsroom.story.get_absolute_url())
        assert stored("article-meta", newsroom.story.pk) is None


class TestStore:
    """rs_cms.pagecache.fragments on its own, inside a page being rendered for the cache."""

    @pytest.fixture
    def page(self):
        local.remember_generation(start_generation())
        found = tags.collecting()
        pagecache.tag_page("page")
        yield found
        tags.collected.set(None)

    def test_tags_shown_inside_reach_the_page_and_come_back_on_a_hit(self, page):
        def render():
            pagecache.shows("article:1", "image:2")
            return "<p>one</p>"

        assert pagecache.fragment("card", (1,), render) == "<p>one</p>"
        assert page.tags == {"page", "article:1", "image:2"}

        again = tags.collecting()
        pagecache.tag_page("page")
        assert pagecache.fragment("card", (1,), pytest.fail) == "<p>one</p>"
        assert again.tags == {"page", "article:1", "image:2"}

    def test_a_moved_tag_renders_it_afresh(self, page):
        pagecache.fragment("card", (1,), lambda: pagecache.shows("article:1") or "old")
        pagecache.tags_changed({"article:1"})
        assert pagecache.fragment("card", (1,), lambda: "new") == "new"
        assert pagecache.fragment("card", (2,), lambda: "other") == "other"

    def test_a_list_is_looked_up_in_one_read(self, page, monkeypatch):
        reads = []
        get_many = cache.get_many

        def counted(keys):
            reads.append(keys)
            return get_many(keys)

        monkeypatch.setattr(fragment_store.cache, "get_many", counted)
        parts = [((pk,), lambda pk=pk: f"<p>{pk}</p>") for pk in range(5)]
        assert pagecache.fragment_batch("card", parts) == [f"<p>{pk}</p>" for pk in range(5)]
        assert pagecache.fragment_batch("card", [(args, pytest.fail) for args, _ in parts]) == [
            f"<p>{pk}</p>" for pk in range(5)
        ]
        fragment_reads = [keys for keys in reads if any("fragment" in key for key in keys)]
        assert len(fragment_reads) == 2

    def test_without_a_page_being_stored_it_renders_every_time(self):
        assert tags.collected.get() is None
        pagecache.fragment("card", (1,), lambda: "one")
        assert pagecache.fragment("card", (1,), lambda: "two") == "two"
