"""Reader search reads a stored tsvector, on PostgreSQL only.

Migration 0007 indexed the search expression itself: finding the matches was fast, but ranking
them made PostgreSQL parse the body of every match again, which took about a second for a
common word at 100,000 articles. The document is now a generated column, which PostgreSQL
computes whenever a row is written (by the admin, bulk_create, update() or plain SQL alike),
with the GIN index on it. The expression is 0007's: headline (weight A), dek (B) and the body
with its tags stripped (C), all with the 'english' configuration.

Django's model does not know the column (SQLite has no tsvector): articles/search.py names it.
"""

from importlib import import_module

from django.db import migrations

INDEX = "article_search_idx"
COLUMN = "search_document"
DOCUMENT = import_module("articles.migrations.0007_article_search_index").DOCUMENT


def store_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"ALTER TABLE articles_article ADD COLUMN {COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON articles_article USING gin ({COLUMN})")
    # Statistics on the new column at once: without them the planner guesses that a common
    # word matches a few hundred rows and ranks tens of thousands.
    schema_editor.execute("ANALYZE articles_article")


def index_expression(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {COLUMN}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON articles_article USING gin (({DOCUMENT}))")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_public_indexes"),
    ]

    operations = [
        migrations.RunPython(store_document, index_expression),
    ]
