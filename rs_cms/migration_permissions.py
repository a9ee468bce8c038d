"""Permissions for data migrations that make or extend the newsroom's groups.

Kept apart from the apps' code on purpose: migrations import it, so it works only with the
historical models they are given, and changing what it does changes old migrations."""

from django.contrib.auth.management import create_permissions
from django.db.models import Q


def make_permissions(apps, *app_labels):
    """The permissions of `app_labels`, made now from the historical models.

    On a fresh database they do not exist yet: post_migrate makes them only after every
    migration has run."""
    for label in app_labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permissions_named(apps, names):
    """The Permission rows for "app_label.codename" names; every one must exist."""
    Permission = apps.get_model("auth", "Permission")
    wanted = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted))
    if len(permissions) != len(set(names)):
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        raise RuntimeError(f"Missing permissions: {sorted(set(names) - found)}")
    return permissions
