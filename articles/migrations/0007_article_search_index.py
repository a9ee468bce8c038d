"""A GIN index for reader search, on PostgreSQL only.

The indexed expression is the one articles.search.search_vector() builds, as Django compiles
it: headline (weight A), dek (B) and the body with its tags stripped (C), all with the
'english' configuration. PostgreSQL uses an expression index only for a query whose expression
is the same, so the two change together (tests/articles/test_search.py checks the plan).

SQLite has no full-text index of this kind: search there falls back to LIKE, and this
migration does nothing. The index lives outside the migration state, as Django's GinIndex in
the model's Meta would hand SQLite the PostgreSQL DDL.
"""

from django.db import migrations

NAME = "article_search_idx"

DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(dek, '')), 'B'))"
    " || setweight(to_tsvector('english'::regconfig,"
    " COALESCE(regexp_replace(body, '<[^>]*>', ' ', 'g'), '')), 'C')"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {NAME} ON articles_article USING gin (({DOCUMENT}))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_renditions_redirects"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
