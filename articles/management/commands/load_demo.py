import time

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from articles.demo import bulk, content, loading
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Load the demo magazine: sections, authors, illustrated articles, related picks, a "
        "running donation appeal and one login per role (editor, writer, newsletter). Safe to "
        "run again: nothing is duplicated and nothing an editor changed is overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            metavar="N",
            help=(
                "Then add generated articles until there are N in all (for trying the site at "
                "scale, e.g. 100000). Running again with the same N adds nothing."
            ),
        )

    def handle(self, *args, **options):
        if options["articles"] is not None and options["articles"] < 0:
            raise CommandError("--articles takes a number of articles, 0 or more.")
        try:
            magazine = content.load()
        except content.ContentError as error:
            raise CommandError(f"The demo content cannot be loaded: {error}") from error
        loaded = loading.load_magazine(magazine)
        self.report(loaded)
        if options["articles"]:
            self.generate(options["articles"], loaded.authors)

    def report(self, loaded):
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(loaded.sections)} sections, {len(loaded.authors)} "
                f"authors, {Article.objects.count()} articles ({loaded.created} new)."
            )
        )
        newsletter = loaded.newsletter
        self.stdout.write(
            f"Newsletter “{newsletter.name}”: {newsletter.issues.count()} issue(s), "
            f"{newsletter.subscriptions.confirmed().count()} confirmed demo subscribers. "
            f"Try: manage.py export_issue {newsletter.slug} 1 --format html -o issue.html"
        )
        for username, password in loaded.passwords.items():
            role = loading.DEMO_ACCOUNTS[username]
            if password:
                self.stdout.write(
                    self.style.WARNING(
                        f"{username.capitalize()} account ({role}) created. "
                        f"Log in at {reverse('admin:index')} "
                        f"as “{username}” with password: {password}"
                    )
                )
            else:
                self.stdout.write(
                    f"The “{username}” account already exists; its password is unchanged "
                    f"(reset it with `manage.py changepassword {username}`)."
                )

    def generate(self, total, authors):
        started = time.monotonic()

        def progress(made, missing):
            rate = made / (time.monotonic() - started)
            self.stdout.write(f"  {made} of {missing} generated articles ({rate:.0f} a second)")

        made = bulk.load_generated(total, authors, progress)
        if not made:
            self.stdout.write(f"There are {total} articles or more already: none generated.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made} articles in {time.monotonic() - started:.0f} s: "
                f"{Article.objects.count()} in all."
            )
        )
