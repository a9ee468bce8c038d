"""The "Newsletter staff" group: build and export issues, export subscribers, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

GROUP_NAME = "Newsletter staff"
PERMISSIONS = [
    "newsletter.add_issue",
    "newsletter.change_issue",
    "newsletter.delete_issue",
    "newsletter.view_issue",
    "newsletter.add_issueitem",
    "newsletter.change_issueitem",
    "newsletter.delete_issueitem",
    "newsletter.view_issueitem",
    "newsletter.view_newsletter",
    "newsletter.view_subscription",
    "newsletter.export_issue",
    "newsletter.export_subscribers",
    # To pick articles for an issue through the admin's autocomplete; read-only.
    "articles.view_article",
]


def create_group(apps, schema_editor):
    # On a fresh database the permissions do not exist yet: post_migrate makes them only
    # after every migration has run. Make them now, from the historical models.
    for label in ("newsletter", "articles"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Q(pk__in=[])
    for name in PERMISSIONS:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted))
    if len(permissions) != len(PERMISSIONS):
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        raise RuntimeError(f"Missing permissions: {sorted(set(PERMISSIONS) - found)}")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_group, remove_group),
    ]
