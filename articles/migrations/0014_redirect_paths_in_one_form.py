"""Redirect paths in one form (SitePathField): the redirects already typed percent-encoded,
which never fired, are stored as readers' requests find them."""

from django.db import migrations

import articles.models
from articles.redirects.paths import canonical_site_path


def store_in_one_form(apps, schema_editor):
    Redirect = apps.get_model("articles", "Redirect")
    redirects = Redirect.objects.using(schema_editor.connection.alias)
    # Those already in the stored form first: a twin typed another way gives way to them.
    rows = sorted(
        redirects.all(), key=lambda row: canonical_site_path(row.old_path) != row.old_path
    )
    taken = set()
    for row in rows:
        old_path = canonical_site_path(row.old_path)
        new_path = canonical_site_path(row.new_path)
        if old_path in taken or old_path == new_path:
            row.delete()
            continue
        taken.add(old_path)
        if (old_path, new_path) != (row.old_path, row.new_path):
            redirects.filter(pk=row.pk).update(old_path=old_path, new_path=new_path)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_private_originals"),
    ]

    operations = [
        migrations.AlterField(
            model_name="redirect",
            name="new_path",
            field=articles.models.SitePathField(
                help_text=(
                    "A path on this site, or a full https:// address. Paste the address as the "
                    "browser shows it, or type it with its letters: percent-encoded characters "
                    "(such as %D8%B9) are stored decoded, so both are one address."
                ),
                max_length=500,
                validators=[articles.models.validate_link],
            ),
        ),
        migrations.AlterField(
            model_name="redirect",
            name="old_path",
            field=articles.models.SitePathField(
                help_text=(
                    "e.g. /old/path/. Paste the address as the browser shows it, or type it with "
                    "its letters: percent-encoded characters (such as %D8%B9) are stored decoded, "
                    "so both are one address."
                ),
                max_length=500,
                unique=True,
                validators=[articles.models.validate_site_path],
            ),
        ),
        migrations.RunPython(store_in_one_form, migrations.RunPython.noop),
    ]
