"""Editors and newsletter staff see the task queue (their mail and pictures go through it);
Editors may also retry a task. Writers do not see it."""

from django.db import migrations

from rs_cms.migration_permissions import make_permissions, permissions_named

VIEW = "taskqueue.view_queuedtask"
RETRY = "taskqueue.retry_queuedtask"
ROLES = {"Editors": [VIEW, RETRY], "Newsletter staff": [VIEW]}


def groups_and_permissions(apps):
    make_permissions(apps, "taskqueue")
    groups = apps.get_model("auth", "Group").objects.filter(name__in=ROLES)
    return [(group, permissions_named(apps, ROLES[group.name])) for group in groups]


def grant(apps, schema_editor):
    for group, permissions in groups_and_permissions(apps):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    for group, permissions in groups_and_permissions(apps):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("taskqueue", "0001_initial"),
        # The groups are made there.
        ("articles", "0003_newsroom_roles"),
        ("newsletter", "0002_newsletter_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
