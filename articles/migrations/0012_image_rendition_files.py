"""Each image keeps the list of its renditions, so a page shows it without asking for them.

Filled here from the renditions already made; Rendition's signals keep it up to date after."""

from django.db import migrations, models


def record_existing(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    Rendition = apps.get_model("articles", "Rendition")
    database = schema_editor.connection.alias
    files = {}
    rows = Rendition.objects.using(database).order_by("image_id", "format", "width")
    for image_id, *entry in rows.values_list("image_id", "format", "width", "height", "file"):
        files.setdefault(image_id, []).append(entry)
    for image_id, entries in files.items():
        Image.objects.using(database).filter(pk=image_id).update(rendition_files=entries)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_stored_search_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="image",
            name="rendition_files",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(record_existing, migrations.RunPython.noop),
    ]
