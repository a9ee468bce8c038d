from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # Imported once the models are loaded, as Django's app loading requires.
        from articles import chrome, signals
        from articles.images import renditions
        from articles.images.uploads import guard_pillow
        from rs_cms import pagecache

        guard_pillow()
        # Rendition files follow their rows; any change readers could see refreshes pages.
        renditions.connect_signals()
        signals.connect_signals()
        pagecache.set_schedule(chrome.next_public_change, chrome.changed_between)
