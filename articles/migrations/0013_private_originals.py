"""Originals move to private storage (STORAGES["originals"]); pages and emails show a display
copy made at upload. The files themselves move with `manage.py secure_originals`."""

from django.db import migrations, models

import articles.models
import rs_cms.storage


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_image_rendition_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="image",
            name="display_file",
            field=models.FileField(
                blank=True,
                editable=False,
                max_length=200,
                upload_to=articles.models.display_copy_name,
            ),
        ),
        migrations.AddField(
            model_name="image",
            name="display_height",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="image",
            name="display_made_from",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="image",
            name="display_width",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="image",
            name="file",
            field=models.ImageField(
                height_field="height",
                help_text="The original stays private: readers see a copy without its camera data.",
                storage=rs_cms.storage.originals_storage,
                upload_to="originals/%Y/%m/",
                width_field="width",
            ),
        ),
    ]
