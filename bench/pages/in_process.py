"""In-process, by Django's test client: the pages to measure and their queries as wrk sees them."""

import os
from urllib.parse import quote_plus

import django
from django.db import connections

from bench.common.client import with_param
from bench.common.environment import SITE_HOST
from bench.pages.client import count_queries, get
from bench.pages.newsroom import time_admin_list, time_exports
from bench.pages.slices import STATIC, Page
from bench.pages.walks import COLD, FRAGMENTS, paths_needed
from bench.pages.wrk import BUST_PARAM

WALKS = (FRAGMENTS, COLD)


def measure_in_process(args, scratch, cleanups, findings):
    """The pages to measure, queries per page, newsroom timings and the articles to walk;
    writes the static twin."""
    os.environ.update(scratch.env)
    # The test client's host, and a private cache we can clear page by page.
    os.environ.update(
        ALLOWED_HOSTS=f"{scratch.env['ALLOWED_HOSTS']},testserver", CACHE_URL="locmem://bench"
    )
    django.setup()
    cleanups.callback(connections.close_all)
    try:
        pages, queries, twin = count_page_queries(args, findings)
        static_twin = scratch.static_root / "bench" / "article.html"
        static_twin.parent.mkdir(parents=True, exist_ok=True)
        static_twin.write_bytes(twin)
        admin_queries, admin_timing = time_admin_list(findings)
        # One range per loaded slice, and one for the one-connection slice.
        needed = paths_needed(WALKS, 2 * args.slices + 1, args.seconds)
        return (
            pages,
            [*queries, admin_queries],
            [admin_timing, *time_exports(scratch.workdir, findings)],
            walk_paths(needed, exclude=pages[1].path),
        )
    finally:
        # The database backends left during the wrk runs must all be gunicorn's.
        connections.close_all()


def count_page_queries(args, findings):
    """The pages wrk will measure, (label, path, queries) per page, the article's bytes."""
    from django.conf import settings
    from django.core.cache import cache
    from django.urls import reverse

    from articles.models import Article

    facts = findings.facts
    facts["django"] = django.get_version()
    facts["articles"] = Article.objects.count()
    facts["published"] = Article.objects.published().count()
    print(f"{facts['articles']:,} articles ({facts['published']:,} published)")

    article = chosen_article(args)
    article_path = article.get_absolute_url()
    section_path = article.section.get_absolute_url()
    search_path = f"/search/?q={quote_plus(args.query)}"
    pages = [
        Page(
            STATIC,
            "static file, same bytes",
            f"/{settings.STATIC_URL.strip('/')}/bench/article.html",
        ),
        Page("article", "article, uncached", article_path, bust=True),
        Page("article-cached", "article, cached", article_path, warm=True),
        Page("article-miss", "article, miss, fragments warm", article_path, walk=FRAGMENTS),
        Page("article-cold", "article, cold", article_path, walk=COLD),
        Page("home", "home, uncached", "/", bust=True),
        Page("section", "section, uncached", section_path, bust=True),
        Page("search", "search, uncached", search_path, bust=True),
    ]
    tag = article.topic or article.tags.first()
    author = article.authors.first()
    query_pages = [
        ("article, uncached", article_path),
        ("home", "/"),
        ("section", section_path),
        ("tag", reverse("articles:tag", kwargs={"slug": tag.slug}) if tag else None),
        ("author", author.get_absolute_url() if author else None),
        ("search", search_path),
    ]
    query_pages = [(label, path) for label, path in query_pages if path]

    # As wrk sees them: the page cache skipped, every other cache warm (a warm-up pass).
    for _, path in query_pages:
        get(path)
        get(with_param(path, f"{BUST_PARAM}=warm"))
    queries = []
    for label, path in query_pages:
        count, response = count_queries(with_param(path, f"{BUST_PARAM}=queries"))
        queries.append((label, path, count))
        if path != article_path:
            continue
        twin = response.content
        cache.clear()
        count, _ = count_queries(with_param(path, f"{BUST_PARAM}=cold"))
        queries.append(("article, every cache cold", path, count))
        get(path)
        count, _ = count_queries(path)
        queries.append(("article, repeated (page cache)", path, count))
        forget_page(path)
        count, _ = count_queries(path)
        queries.append(("article, miss with warm fragments", path, count))
    return pages, queries, twin


def forget_page(path):
    """The stored page of `path` dropped, in the cache and this process's copies; its
    fragments kept, as after another article's edit."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from rs_cms.pagecache.generation import local
    from rs_cms.pagecache.middleware import page_key

    cache.delete(page_key(RequestFactory().get(path, HTTP_HOST=SITE_HOST)))
    local.clear()


def walk_paths(limit, exclude):
    """Up to `limit` published articles' paths, newest first, without `exclude`."""
    from django.urls import reverse

    from articles.models import Article

    rows = (
        Article.objects.published()
        .order_by("-published_at", "-pk")
        .values_list("section__slug", "slug")[: limit + 1]
    )
    paths = [reverse("articles:article", kwargs={"section": s, "slug": a}) for s, a in rows]
    return [path for path in paths if path != exclude][:limit]


def chosen_article(args):
    """The article asked for, or the fullest story: most related picks, with a top image."""
    from django.db.models import Count

    from articles.models import Article

    published = Article.objects.published()
    if args.article:
        return published.get(slug=args.article.rstrip("/").split("/")[-1])
    # Newest among equals.
    return (
        published.exclude(kind=Article.Kind.QIOSK)
        .exclude(top_image=None)
        .annotate(picks=Count("related_picks"))
        .order_by("-picks", "-published_at")
        .first()
    )
