"""The newsroom's roles: Writers draft and submit, Editors do everything editorial.

"Newsletter staff" comes from the newsletter app's own migration."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

INLINE_MODELS = ["byline", "relatedstory"]
LIBRARY_MODELS = ["image"]
READ_ONLY_MODELS = ["section", "author"]


def crud(app_label, model, actions=("add", "change", "delete", "view")):
    return [f"{app_label}.{action}_{model}" for action in actions]


WRITERS = [
    # Their own drafts only: the admin narrows "change" to drafts the writer created.
    *crud("articles", "article", ("add", "change", "view")),
    *(name for model in INLINE_MODELS for name in crud("articles", model)),
    *(name for model in LIBRARY_MODELS for name in crud("articles", model, ("add", "view"))),
    *(name for model in READ_ONLY_MODELS for name in crud("articles", model, ("view",))),
    *crud("articles", "previewlink", ("add", "view")),
    *crud("taggit", "tag", ("add", "view")),
    *crud("taggit", "taggeditem"),
]

EDITORS = [
    *(
        name
        for model in [
            "article",
            *INLINE_MODELS,
            *LIBRARY_MODELS,
            *READ_ONLY_MODELS,
            "correction",
            "previewlink",
            "donationappeal",
        ]
        for name in crud("articles", model)
    ),
    "articles.publish_article",
    *crud("taggit", "tag"),
    *crud("taggit", "taggeditem"),
]

ROLES = {"Writers": WRITERS, "Editors": EDITORS}


def create_roles(apps, schema_editor):
    # On a fresh database the permissions do not exist yet: post_migrate makes them only
    # after every migration has run. Make them now, from the historical models.
    for label in ("articles", "taggit"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, names in ROLES.items():
        wanted = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(wanted))
        if len(permissions) != len(set(names)):
            found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
            raise RuntimeError(f"Missing permissions: {sorted(set(names) - found)}")
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
    ]
