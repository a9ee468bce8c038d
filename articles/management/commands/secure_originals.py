from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from articles.models import Image
from articles.tasks import make_renditions_later


class Command(BaseCommand):
    help = (
        "Move uploaded originals still on the public media storage into the private one "
        "(STORAGES['originals']), make their display copies, delete the public originals, and "
        "remake renditions whose names carry the original's name. Safe to run again: an image "
        "already done is not looked at."
    )

    def handle(self, *args, **options):
        self.public = default_storage
        self.private = Image._meta.get_field("file").storage
        # Done means a display copy made from the private original, the last step below; so an
        # image that a crash stopped halfway is picked up again.
        pending = list(Image.objects.exclude(file="").exclude(display_made_from=F("file")))
        done = missing = 0
        for image in pending:
            if self.secure(image):
                done += 1
            else:
                missing += 1
        if not pending:
            self.stdout.write("Originals: every picture's original is private already.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Originals: {done} picture(s) made private, each with its display copy; "
                f"{missing} with no original to be found."
            )
        )

    def secure(self, image):
        """Move one image's original out of the public media and give it a display copy;
        False when its original is in neither storage."""
        name = image.file.name
        on_public = self.public.exists(name)
        if on_public:
            size = self.public.size(name)
            copied = self.private.exists(name) and self.private.size(name) == size
            if not copied:
                # A stored partial copy (an earlier run stopped midway) keeps its name: this
                # one gets another.
                with self.public.open(name, "rb") as source:
                    stored = self.private.save(name, source)
                if self.private.size(stored) != size:
                    self.private.delete(stored)
                    raise CommandError(
                        f"Image {image.pk}: the private copy of {name} is incomplete."
                    )
                if stored != name:
                    Image.objects.filter(pk=image.pk).update(file=stored)
                    image.file.name = stored
            self.public.delete(name)
            self.stdout.write(f"Image {image.pk}: moved its original {name} to private storage.")
        elif not self.private.exists(name):
            self.stderr.write(f"Image {image.pk}: its original {name} is missing; skipped.")
            return False
        self.replace_named_renditions(image, PurePosixPath(name).stem)
        image.make_display_copy()
        self.stdout.write(f"Image {image.pk}: display copy {image.display_file.name}.")
        return True

    def replace_named_renditions(self, image, stem):
        """Renditions used to be named after the original ("12-<stem>-640w-…"): have the
        worker make them again under names that say nothing of it."""
        prefix = f"{image.pk}-{stem[:80]}-"
        named = [
            rendition.pk
            for rendition in image.renditions.all()
            if PurePosixPath(rendition.file.name).name.startswith(prefix)
        ]
        if named:
            # Pages show the display copy until the new ones exist.
            image.renditions.filter(pk__in=named).delete()
            make_renditions_later(image)
            self.stdout.write(
                f"Image {image.pk}: {len(named)} rendition(s) named after the original "
                "deleted; new ones queued."
            )
