from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # Connects the clean-up of rendition files when their rows are deleted.
        from articles import renditions  # noqa: F401
