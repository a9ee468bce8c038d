from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, DonationAppeal, Image, RelatedStory, Section
from articles.related import related_stories
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    RelatedStoryFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def public_slugs():
    return set(Article.objects.published().values_list("slug", flat=True))


class TestPublishedRule:
    def test_published_article_in_the_past_is_public(self):
        ArticleFactory(slug="live", published_at=timezone.now() - timedelta(minutes=1))
        assert public_slugs() == {"live"}

    def test_draft_is_hidden_even_with_a_past_date(self):
        ArticleFactory(
            slug="draft",
            status=Article.Status.DRAFT,
            published_at=timezone.now() - timedelta(days=1),
        )
        assert public_slugs() == set()

    def test_scheduled_article_is_hidden_until_its_time(self, time_machine):
        when = timezone.now() + timedelta(hours=2)
        ArticleFactory(slug="later", published_at=when)
        assert public_slugs() == set()
        time_machine.move_to(when - timedelta(seconds=1))
        assert public_slugs() == set()
        time_machine.move_to(when + timedelta(seconds=1))
        assert public_slugs() == {"later"}

    @pytest.mark.parametrize("status", [Article.Status.REVIEW, Article.Status.UNPUBLISHED])
    def test_other_statuses_are_hidden(self, status):
        ArticleFactory(status=status)
        assert public_slugs() == set()

    def test_publishing_without_a_time_stamps_now(self):
        article = ArticleFactory(published_at=None)
        assert article.published_at is not None
        assert article.published_at <= timezone.now()

    def test_database_refuses_published_without_time(self):
        article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)


class TestImageCredit:
    def test_database_refuses_an_image_without_credit(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ImageFactory(credit="")

    def test_own_graphic_may_go_without_credit(self):
        image = ImageFactory(credit="", no_credit_needed=True)
        assert Image.objects.filter(pk=image.pk).exists()

    def test_clean_explains_the_missing_credit(self):
        image = ImageFactory.build(credit="   ")
        with pytest.raises(ValidationError) as error:
            image.full_clean()
        assert "credit" in error.value.message_dict

    def test_alt_text_is_required_by_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ImageFactory(alt_text="")

    def test_dimensions_are_read_from_the_file(self):
        image = ImageFactory()
        assert (image.width, image.height) == (32, 18)

    def test_str_shows_the_credit(self):
        image = ImageFactory.build(caption="Port at dawn", credit="Photo: A / B")
        assert str(image) == "Port at dawn — Photo: A / B"


class TestArticle:
    def test_url_carries_section_and_slug(self):
        article = ArticleFactory(section=SectionFactory(slug="middle-east"), slug="oil")
        assert article.get_absolute_url() == "/middle-east/oil/"

    def test_body_is_sanitised_on_every_save(self):
        article = ArticleFactory(
            body='<p onclick="x()">Hi<script>alert(1)</script></p><a href="javascript:x()">l</a>'
        )
        article.refresh_from_db()
        assert "script" not in article.body
        assert "onclick" not in article.body
        assert "javascript:" not in article.body
        assert article.body.startswith("<p>Hi</p>")

    def test_authors_keep_their_byline_order(self):
        first, second, third = AuthorFactory(), AuthorFactory(), AuthorFactory()
        article = ArticleFactory(authors=[third, first, second])
        fetched = Article.objects.for_listing().get(pk=article.pk)
        assert fetched.ordered_authors == [third, first, second]

    def test_teaser_defaults_to_the_opening_of_the_body(self):
        words = [f"w{n}" for n in range(200)]
        article = ArticleFactory(body=f"<p>{' '.join(words)}</p>", teaser="")
        assert article.teaser_text == " ".join(words[:40]) + "…"
        assert article.opening_rest == "…" + " ".join(words[40:160]) + "…"
        article.teaser = "An editor's teaser."
        article.save()
        assert article.teaser_text == "An editor's teaser."
        assert article.opening_rest == " ".join(words[:160]) + "…"

    def test_short_story_has_nothing_more_to_reveal(self):
        article = ArticleFactory(body="<p>Just a few words.</p>", teaser="")
        assert article.teaser_text == "Just a few words."
        assert article.opening_rest == ""

    def test_updated_shows_only_after_a_later_change(self):
        published = timezone.now() - timedelta(days=1)
        article = ArticleFactory(published_at=published, updated_at=published)
        assert not article.was_updated
        article.updated_at = published + timedelta(hours=3)
        assert article.was_updated

    def test_a_backdated_new_article_is_not_marked_updated(self):
        article = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
        assert article.updated_at == article.published_at
        assert not article.was_updated

    def test_reserved_section_slug_is_refused(self):
        with pytest.raises(ValidationError):
            Section(name="Admin", slug="admin").full_clean()


class TestRelatedStories:
    def test_editor_picks_come_first_in_their_order(self):
        article = ArticleFactory()
        picks = [ArticleFactory(), ArticleFactory()]
        RelatedStoryFactory(article=article, related=picks[1], position=0)
        RelatedStoryFactory(article=article, related=picks[0], position=1)
        assert related_stories(article)[:2] == [picks[1], picks[0]]

    def test_fill_prefers_same_topic_then_same_section_newest_first(self):
        section = SectionFactory()
        article = ArticleFactory(section=section, tags=["Taiwan Strait"])
        article.topic = article.tags.get()
        article.save()
        now = timezone.now()
        same_section_new = ArticleFactory(section=section, published_at=now - timedelta(hours=2))
        ArticleFactory(section=section, published_at=now - timedelta(hours=9))
        on_topic_old = ArticleFactory(published_at=now - timedelta(days=5), tags=["Taiwan Strait"])
        ArticleFactory(published_at=now - timedelta(hours=1))  # unrelated, newest
        assert related_stories(article) == [
            on_topic_old,
            same_section_new,
            Article.objects.get(section=section, published_at=now - timedelta(hours=9)),
        ]

    def test_never_itself_an_unpublished_story_or_a_duplicate(self):
        section = SectionFactory()
        article = ArticleFactory(section=section)
        draft = ArticleFactory(section=section, status=Article.Status.DRAFT)
        scheduled = ArticleFactory(section=section, published_at=timezone.now() + timedelta(days=1))
        pick = ArticleFactory(section=section)
        RelatedStoryFactory(article=article, related=draft, position=0)
        RelatedStoryFactory(article=article, related=pick, position=1)
        other = ArticleFactory(section=section)
        stories = related_stories(article)
        assert stories == [pick, other]
        assert article not in stories and scheduled not in stories

    def test_the_newest_of_a_section_are_shared_and_cost_one_query(self, django_assert_num_queries):
        section = SectionFactory()
        first, second = ArticleFactory(section=section), ArticleFactory(section=section)
        related_stories(first)  # the section's newest stories go to the shared cache
        with django_assert_num_queries(1):  # the stories shown, picks among them
            assert related_stories(second) == [first]

    def test_a_new_story_in_the_section_shows_at_once(self):
        section = SectionFactory()
        article = ArticleFactory(section=section, published_at=timezone.now() - timedelta(days=1))
        older = ArticleFactory(section=section, published_at=timezone.now() - timedelta(days=2))
        assert related_stories(article) == [older]
        newer = ArticleFactory(section=section)
        assert related_stories(article) == [newer, older]

    def test_a_scheduled_story_shows_at_its_time(self, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        section = SectionFactory()
        article = ArticleFactory(section=section, published_at=timezone.now() - timedelta(days=1))
        due = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
        scheduled = ArticleFactory(section=section, published_at=due)
        assert related_stories(article) == []
        time_machine.move_to(due - timedelta(seconds=1), tick=False)
        assert related_stories(article) == []
        time_machine.move_to(due, tick=False)
        assert related_stories(article) == [scheduled]

    def test_database_refuses_self_and_duplicate_picks(self):
        article, other = ArticleFactory(), ArticleFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            RelatedStory.objects.create(article=article, related=article)
        RelatedStory.objects.create(article=article, related=other)
        with pytest.raises(IntegrityError), transaction.atomic():
            RelatedStory.objects.create(article=article, related=other, position=3)


class TestDonationAppeal:
    def test_only_the_active_appeal_in_its_window_is_current(self):
        # Active appeals never overlap (the database sees to it), so at most one is current.
        now = timezone.now()
        DonationAppealFactory(
            title="over", starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=2)
        )
        running = DonationAppealFactory(
            title="running", starts_at=now - timedelta(days=2), ends_at=now + timedelta(hours=1)
        )
        DonationAppealFactory(title="off", is_active=False, starts_at=now - timedelta(minutes=1))
        DonationAppealFactory(title="future", starts_at=now + timedelta(hours=1), ends_at=None)
        assert list(DonationAppeal.objects.current()) == [running]

    def test_window_must_end_after_it_starts(self):
        now = timezone.now()
        with pytest.raises(IntegrityError), transaction.atomic():
            DonationAppealFactory(starts_at=now, ends_at=now - timedelta(hours=1))

    def test_url_may_be_a_site_path_or_https(self):
        appeal = DonationAppealFactory.build(url="/donate/")
        appeal.full_clean()
        appeal.url = "javascript:alert(1)"
        with pytest.raises(ValidationError):
            appeal.full_clean()
