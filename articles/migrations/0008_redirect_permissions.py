"""Editors manage redirects: those made when a page moves, and their own."""

from django.db import migrations

from rs_cms.migration_permissions import make_permissions, permissions_named

REDIRECT_PERMISSIONS = [
    f"articles.{action}_redirect" for action in ("add", "change", "delete", "view")
]


def editors_and_permissions(apps):
    make_permissions(apps, "articles")
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    return editors, permissions_named(apps, REDIRECT_PERMISSIONS)


def grant(apps, schema_editor):
    editors, permissions = editors_and_permissions(apps)
    if editors is not None:
        editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    editors, permissions = editors_and_permissions(apps)
    if editors is not None:
        editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
