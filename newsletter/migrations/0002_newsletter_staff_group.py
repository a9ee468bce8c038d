"""The "Newsletter staff" group: build and export issues, export subscribers, nothing else."""

from django.db import migrations

from rs_cms.migration_permissions import make_permissions, permissions_named

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
    make_permissions(apps, "newsletter", "articles")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions_named(apps, PERMISSIONS))


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
