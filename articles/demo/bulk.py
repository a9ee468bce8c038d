"""Generated articles (scale.py) written in bulk, for `load_demo --articles N`: no save(), so
what it would work out, the teaser and reading time, is set here."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.demo import scale
from articles.models import Article, Author, Byline, Image, RelatedStory, Section

# Generated articles are written this many at a time, each batch in its own transaction.
BATCH_SIZE = 2000


def load_generated(total, authors, progress):
    """Generated articles until there are `total`; `progress(made, missing)` after each batch.
    Returns how many were written: none when there are `total` already."""
    missing = total - Article.objects.count()
    if missing <= 0:
        return 0
    writers = [*authors.values(), *load_generated_authors()]
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in scale.all_tags()}
    sections = list(Section.objects.all())
    images = list(Image.objects.filter(top_of_articles__isnull=False).distinct())
    content_type = ContentType.objects.get_for_model(Article)
    number, made = Article.objects.count(), 0
    while made < missing:
        count = min(BATCH_SIZE, missing - made)
        stories = [scale.story(n) for n in range(number, number + count)]
        number += count
        with transaction.atomic():
            made += write_batch(stories, sections, writers, tags, images, content_type)
        progress(made, missing)
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner and, outside a transaction, the visibility map
        # that lets counts read the indexes alone.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (Article, Byline, TaggedItem, RelatedStory):
                cursor.execute(f"{command} {model._meta.db_table}")
    return made


def load_generated_authors():
    wanted = {slugify(name): name for name in scale.author_names()}
    existing = set(Author.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    Author.objects.bulk_create(
        Author(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing
    )
    return list(Author.objects.filter(slug__in=wanted))


def write_batch(stories, sections, writers, tags, images, content_type):
    """Write one batch of generated stories with their bylines, tags and a few picks."""
    now = timezone.now()
    articles = []
    for story in stories:
        article = generated_article(story, now)
        article.section = sections[story.number % len(sections)]
        article.top_image = images[story.number % len(images)] if images else None
        article.topic = tags[story.tags[0]]
        article.summarise(story.plain)
        articles.append(article)
    taken = set(
        Article.objects.filter(slug__in=[article.slug for article in articles]).values_list(
            "slug", flat=True
        )
    )
    pairs = [(a, s) for a, s in zip(articles, stories, strict=True) if a.slug not in taken]
    Article.objects.bulk_create([article for article, _ in pairs])
    Byline.objects.bulk_create(
        Byline(article=article, author=author, position=position)
        for article, story in pairs
        for position, author in enumerate(
            writers[(story.number * 7 + step * 31) % len(writers)]
            for step in range(story.author_count)
        )
    )
    TaggedItem.objects.bulk_create(
        TaggedItem(content_type=content_type, object_id=article.pk, tag=tags[name])
        for article, story in pairs
        for name in story.tags
    )
    # One story in ten has the editor's pick of an earlier one in the batch.
    RelatedStory.objects.bulk_create(
        RelatedStory(article=article, related=pairs[index - 1][0], position=0)
        for index, (article, story) in enumerate(pairs)
        if index and story.number % 10 == 0
    )
    return len(pairs)


def generated_article(story, now):
    status, moment = story.status, now - timedelta(seconds=story.seconds_ago)
    if status == "scheduled":
        # Due some time in the next day: published, its time still ahead.
        status, moment = (
            Article.Status.PUBLISHED,
            now + timedelta(seconds=story.seconds_ago % 86400),
        )
    published_at = moment if status in ("published", "unpublished") else None
    return Article(
        headline=story.headline,
        slug=f"{slugify(story.headline)[:150]}-{story.number}",
        dek=story.dek,
        kind=story.kind,
        body=story.body,
        status=status,
        published_at=published_at,
        updated_at=moment + story.updated_after if story.updated_after else moment,
    )
