"""Editors manage redirects: those made when a page moves, and their own."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REDIRECT_PERMISSIONS = [f"{action}_redirect" for action in ("add", "change", "delete", "view")]


def editors_and_permissions(apps):
    # On a fresh database the permissions do not exist yet: post_migrate makes them only
    # after every migration has run. Make them now, from the historical models.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="articles", codename__in=REDIRECT_PERMISSIONS
    )
    return editors, list(permissions)


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
