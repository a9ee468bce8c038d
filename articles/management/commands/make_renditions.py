from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef

from articles.images import renditions
from articles.models import Image, Rendition


class Command(BaseCommand):
    help = (
        "Make the responsive renditions of library images, here and now: the missing ones of "
        "every image, or (--remake) all of them afresh."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--missing",
            action="store_true",
            help="Only images that have no renditions at all (the quickest check).",
        )
        which.add_argument(
            "--remake",
            action="store_true",
            help="Delete every rendition and make them again (after changing sizes or quality).",
        )

    def handle(self, *args, missing, remake, **options):
        images = Image.objects.exclude(file="").order_by("pk")
        if remake:
            deleted, _ = Rendition.objects.filter(image__in=images).delete()
            self.stdout.write(f"Deleted {deleted} rendition(s).")
        elif missing:
            images = images.exclude(Exists(Rendition.objects.filter(image=OuterRef("pk"))))
        made = updated = failed = 0
        # A list, not a cursor: SQLite would see the renditions being written as it reads.
        chosen = list(images)
        for image in chosen:
            try:
                count = len(renditions.make_renditions(image))
            except OSError as error:
                # A missing or unreadable file: say which, and go on with the others.
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {error}")
                failed += 1
                continue
            made += count
            updated += bool(count)
        complete = len(chosen) - updated - failed
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {made} rendition(s) for {updated} image(s); "
                f"{complete} image(s) already had all theirs; {failed} failed."
            )
        )
