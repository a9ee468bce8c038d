"""The newsroom's roles: Writers draft and submit, Editors do everything editorial.

"Newsletter staff" comes from the newsletter app's own migration."""

from django.db import migrations

from rs_cms.migration_permissions import make_permissions, permissions_named

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
    make_permissions(apps, "articles", "taggit")
    Group = apps.get_model("auth", "Group")
    for group_name, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(permissions_named(apps, names))


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
