"""What the readers ask for, read from the loaded database in-process: the public articles
newest first (rank 1, the most read), the section pages, and the static twin's bytes."""

import os
from dataclasses import dataclass
from pathlib import Path

import django
from django.db import connections

from bench.pages.client import get

TWIN = "workload/article.html"


@dataclass
class SiteData:
    articles_file: Path  # one path a line, rank 1 first
    sections_file: Path
    articles: int  # public ones, in the file
    sections: int
    newest: str  # rank 1's path, whose page the static twin copies
    static_path: str
    twin_bytes: int


def prepare_site(scratch, findings):
    """The readers' lists in the workdir and the static twin in STATIC_ROOT, before gunicorn."""
    os.environ.update(scratch.env)
    # The test client's host, and a private cache: the page cache's Redis db stays empty.
    os.environ.update(
        ALLOWED_HOSTS=f"{scratch.env['ALLOWED_HOSTS']},testserver", CACHE_URL="locmem://workload"
    )
    django.setup()
    from django.conf import settings

    from articles.models import Article, Section

    try:
        findings.facts["django"] = django.get_version()
        findings.facts["articles"] = Article.objects.count()
        # Newest first: in a newsroom the newest stories are the most read.
        public = (
            Article.objects.published()
            .select_related("section")
            .only("slug", "section__slug")
            .order_by("-published_at", "-pk")
        )
        paths = [article.get_absolute_url() for article in public.iterator(chunk_size=5000)]
        sections = [section.get_absolute_url() for section in Section.objects.order_by("pk")]
        if not paths or not sections:
            raise SystemExit("The loaded demo has no public article or no section.")
        articles_file = scratch.workdir / "articles.txt"
        articles_file.write_text("\n".join(paths) + "\n")
        sections_file = scratch.workdir / "sections.txt"
        sections_file.write_text("\n".join(sections) + "\n")
        twin = get(paths[0]).content
        static_twin = scratch.static_root / TWIN
        static_twin.parent.mkdir(parents=True, exist_ok=True)
        static_twin.write_bytes(twin)
    finally:
        # The database backends left during the runs must be gunicorn's and the editor's.
        connections.close_all()
    print(f"{len(paths):,} public articles, {len(sections)} sections; static twin {len(twin):,} B")
    return SiteData(
        articles_file=articles_file,
        sections_file=sections_file,
        articles=len(paths),
        sections=len(sections),
        newest=paths[0],
        static_path=f"/{settings.STATIC_URL.strip('/')}/{TWIN}",
        twin_bytes=len(twin),
    )
