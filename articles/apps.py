from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # Connect the clean-up of rendition files when their rows are deleted, and the page
        # cache's receivers: any change readers could see refreshes pages.
        from articles import renditions, signals  # noqa: F401
        from articles.uploads import guard_pillow

        guard_pillow()
