#!/usr/bin/env python
"""Benchmark, not a test: a 20-item issue exported in every format, subscribers streamed to CSV."""

# .venv/bin/python bench/newsletter.py [--subscribers N]
#
# It prints the wall time and peak Python memory of each (100,000 subscribers by default). It
# builds its own throwaway SQLite database (and media folder) in a temporary directory, so it
# never touches the project's data. Figures on shared machines are noisy: compare runs made on
# the same machine.

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="rs-cms-bench-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="rs_cms.settings",
    SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only"),
    DATABASE_URL=f"sqlite:///{WORKDIR / 'bench.sqlite3'}",
    MEDIA_ROOT=str(WORKDIR / "media"),
    SITE_URL="https://review.example.org",
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from newsletter import export, subscribers  # noqa: E402
from newsletter.models import Issue, IssueItem, Newsletter, Subscription  # noqa: E402
from tests.factories import ArticleFactory, ImageFactory, SectionFactory  # noqa: E402


def measure(label, work):
    """Run `work` twice: once timed, once under tracemalloc for its peak Python memory."""
    # Tracing slows Python down several times, so it never shares a run with the clock.
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    result = work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<42} {elapsed * 1000:9.1f} ms   peak {peak / 1_048_576:7.2f} MiB")
    return result


def make_issue(newsletter):
    section = SectionFactory(name="Asia-Pacific", slug="asia-pacific")
    issue = Issue.objects.create(
        newsletter=newsletter,
        number=1,
        subject="The Weekly Round-up #1",
        preheader="Twenty stories from the week.",
        intro="<p>A long week in foreign policy, in twenty stories.</p>",
    )
    for position in range(20):
        article = ArticleFactory(
            section=section,
            top_image=ImageFactory(),
            dek="Why this matters, in one sentence of modest length for a standfirst.",
            body="<p>" + "A paragraph of analysis about ports and patrols. " * 40 + "</p>",
        )
        IssueItem.objects.create(issue=issue, article=article, position=position)
    return issue


def make_subscribers(newsletter, count):
    now = timezone.now()
    batch = 10_000
    for start in range(0, count, batch):
        Subscription.objects.bulk_create(
            Subscription(
                newsletter=newsletter,
                email=f"reader{n}@example.org",
                status=Subscription.Status.CONFIRMED,
                confirmed_at=now,
                source_url="/asia-pacific/",
            )
            for n in range(start, min(start + batch, count))
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    newsletter = Newsletter.objects.create(name="The Weekly Round-up", slug="weekly-round-up")
    issue = make_issue(newsletter)
    make_subscribers(newsletter, args.subscribers)
    print(f"Python {sys.version.split()[0]}, SQLite, {args.subscribers:,} subscribers\n")

    for fmt in export.FORMATS:
        content, _, filename = measure(
            f"export 20-item issue as {fmt}",
            lambda fmt=fmt: export.export_issue(issue, fmt, recipient="proof@example.org"),
        )
        print(f"{'':<42} {len(content):9,} bytes ({filename})")

    def stream_csv():
        size = rows = 0
        for line in subscribers.csv_rows(newsletter.subscriptions.all()):
            size += len(line)
            rows += 1
        return size, rows

    size, rows = measure(f"stream {args.subscribers:,} subscribers to CSV", stream_csv)
    print(f"{'':<42} {size:9,} bytes, {rows - 1:,} rows")
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nwhole process: peak resident memory {peak_rss:.0f} MiB")


if __name__ == "__main__":
    main()
