"""`load_demo --articles N`: a large made-up archive, written in bulk."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles import text
from articles.demo import bulk, content
from articles.demo import scale as demo_scale
from articles.models import Article, Byline, RelatedStory, Section

pytestmark = pytest.mark.django_db


def run(articles):
    out = StringIO()
    call_command("load_demo", articles=articles, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 40)


def test_fills_up_to_n_articles_and_a_second_run_adds_nothing():
    run(150)
    assert Article.objects.count() == 150
    rows = Byline.objects.count(), RelatedStory.objects.count()

    assert "none generated" in run(150)
    assert Article.objects.count() == 150
    assert (Byline.objects.count(), RelatedStory.objects.count()) == rows

    run(170)
    assert Article.objects.count() == 170


def test_generated_articles_are_what_save_would_have_stored():
    run(120)
    generated = Article.objects.exclude(slug__in=[spec.slug for spec in content.load().articles])
    assert generated.count() > 90
    sanitise = Article._meta.get_field("body").sanitize
    for article in generated:
        stored = article.teaser_text, article.opening_rest, article.reading_minutes
        assert sanitise(article.body) == article.body
        article.summarise()
        assert (article.teaser_text, article.opening_rest, article.reading_minutes) == stored
        assert stored[0] and stored[2] >= 1


def test_generated_articles_are_spread_like_a_real_archive():
    run(400)
    generated = Article.objects.filter(topic__isnull=False, section__isnull=False)
    public = Article.objects.published()
    assert public.count() > 300
    assert set(public.values_list("kind", flat=True)) == set(Article.Kind.values)
    assert set(public.values_list("section", flat=True)) == set(
        Section.objects.values_list("pk", flat=True)
    )
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    article = generated.exclude(kind=Article.Kind.QIOSK).latest("pk")
    assert article.bylines.exists()
    assert article.topic.name in article.tags.names()
    assert article.top_image is not None
    years = {moment.year for moment in public.values_list("published_at", flat=True)}
    assert len(years) >= 3


def test_the_same_number_is_always_the_same_story():
    assert demo_scale.story(12345) == demo_scale.story(12345)
    assert demo_scale.story(12345).headline != demo_scale.story(12346).headline
    story = demo_scale.story(7)
    assert text.plain_words(story.body) == story.plain


def test_refuses_a_negative_number():
    with pytest.raises(CommandError):
        run(-1)
