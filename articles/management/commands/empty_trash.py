from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Delete for good the articles that have been in the trash longer than the restore "
        "window. Safe to run daily; moving an article to the trash also does it."
    )

    def handle(self, *args, **options):
        deleted, _ = Article.objects.expired_from_trash().delete()
        self.stdout.write(
            f"Deleted {deleted} object(s) that had waited out their time in the trash."
        )
