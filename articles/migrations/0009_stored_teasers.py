"""Store each article's teaser, “keep reading” text and reading time, worked out from the body
by Article.save() from now on; this fills them in for the articles already written."""

from django.db import migrations, models

from articles import text

# Article.TEASER_WORDS and OPENING_WORDS when this was written.
TEASER_WORDS, OPENING_WORDS = 40, 160
BATCH = 500


def store_summaries(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias).only("body", "teaser")
    batch = []
    for article in articles.order_by("pk").iterator(chunk_size=BATCH):
        article.teaser_text, article.opening_rest, article.reading_minutes = text.summarise(
            text.plain_words(article.body), article.teaser, TEASER_WORDS, OPENING_WORDS
        )
        batch.append(article)
        if len(batch) == BATCH:
            Article.objects.bulk_update(batch, ["teaser_text", "opening_rest", "reading_minutes"])
            batch = []
    Article.objects.bulk_update(batch, ["teaser_text", "opening_rest", "reading_minutes"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_redirect_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="teaser_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The editor's teaser, or the opening of the body.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="opening_rest",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="What “keep reading” reveals beyond the teaser.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="reading_minutes",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.RunPython(store_summaries, migrations.RunPython.noop),
    ]
