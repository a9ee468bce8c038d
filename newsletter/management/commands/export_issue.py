from email.utils import parseaddr
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsletter.export import DIALECTS, FORMATS, ExportError, export_issue
from newsletter.models import Issue


class Command(BaseCommand):
    help = "Export a newsletter issue as email HTML, plain text, a whole .eml, or JSON."

    def add_arguments(self, parser):
        parser.add_argument("newsletter", help="The newsletter's slug, e.g. weekly-round-up.")
        parser.add_argument("number", type=int, help="The issue number.")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument(
            "--dialect",
            choices=DIALECTS,
            help="How the unsubscribe link is written: a merge tag for your email service, or "
            "none for a real signed link (needs --to). Default: generic; none for eml.",
        )
        parser.add_argument("--to", help="The recipient's address.")
        parser.add_argument("-o", "--output", type=Path, help="Write to this file, not stdout.")

    def handle(self, *args, newsletter, number, fmt, dialect, to, output, **options):
        issue = (
            Issue.objects.select_related("newsletter")
            .filter(newsletter__slug=newsletter, number=number)
            .first()
        )
        if issue is None:
            raise CommandError(f"There is no issue {number} of the newsletter “{newsletter}”.")
        if fmt == "eml" and dialect in (None, "none") and not to:
            to = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
            self.stderr.write(f"No --to given: addressed to {to}, a proof copy to ourselves.")
        try:
            content, _, _ = export_issue(issue, fmt, dialect=dialect, recipient=to)
        except ExportError as error:
            raise CommandError(str(error)) from error
        if output:
            output.write_bytes(content)
            self.stdout.write(f"Wrote {len(content):,} bytes to {output}.")
        elif buffer := getattr(self.stdout, "buffer", None):
            # The bytes as built: an .eml must not go through a text layer's newline handling.
            self.stdout.flush()
            buffer.write(content)
            buffer.flush()
        else:
            self.stdout.write(content.decode(), ending="")
