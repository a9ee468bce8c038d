"""Partial indexes over the articles readers may see, newest first, one for each way the public
pages list them (all, by section, by kind, by topic), and one for the newsroom's list.

Each is ordered as the lists are (published_at, then id, both descending), so PostgreSQL reads
a page, or the newest few, straight off the index and stops, however large the archive."""

from django.db import migrations, models

PUBLIC = models.Q(("deleted_at__isnull", True), ("status", "published"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_stored_teasers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=PUBLIC, fields=["-published_at", "-id"], name="article_newest_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=PUBLIC,
                fields=["section", "-published_at", "-id"],
                name="article_section_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=PUBLIC,
                fields=["kind", "-published_at", "-id"],
                name="article_kind_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=PUBLIC,
                fields=["topic", "-published_at", "-id"],
                name="article_topic_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["-published_at", "-id"],
                name="article_live_newest_idx",
            ),
        ),
    ]
