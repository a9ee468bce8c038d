"""In-process timings at the loaded scale: the admin's article list and the newsletter export."""

import io
import secrets
import statistics
import time

from bench.pages.client import count_queries, get


def time_admin_list(findings):
    """The admin article list as a superuser, median of 5: ((label, path, queries), timing)."""
    # Imported once the bench has set Django up.
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    user = get_user_model().objects.create_superuser(
        "bench-admin", "bench@example.org", secrets.token_urlsafe(16)
    )
    backends = settings.AUTHENTICATION_BACKENDS
    model_backend = "django.contrib.auth.backends.ModelBackend"
    admin = Client()
    admin.force_login(user, backend=model_backend if model_backend in backends else None)
    changelist = reverse("admin:articles_article_changelist")
    # A warm-up request first.
    get(changelist, admin)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        queries, _ = count_queries(changelist, admin)
        times.append((time.perf_counter() - started) * 1000)
    findings.facts["admin_ms"] = statistics.median(times)
    return (
        ("admin article list", changelist, queries),
        (f"admin article list ({changelist})", findings.facts["admin_ms"]),
    )


def time_exports(workdir, findings):
    """The first issue exported in every format, median of 3 each: (label, ms) per format."""
    from django.core.management import call_command

    from newsletter.export import FORMATS
    from newsletter.models import Issue

    issue = Issue.objects.select_related("newsletter").order_by("pk").first()
    if issue is None:
        findings.note("No newsletter issue in the demo: the export was not timed.")
        return []
    items = issue.items.count()
    timings = []
    for export_format in FORMATS:
        target = workdir / f"issue.{export_format}"
        times = []
        for _ in range(3):
            started = time.perf_counter()
            call_command(
                "export_issue",
                issue.newsletter.slug,
                str(issue.number),
                "--format",
                export_format,
                "--to",
                "proof@example.org",
                "-o",
                str(target),
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            times.append((time.perf_counter() - started) * 1000)
        size = target.stat().st_size
        timings.append(
            (
                f"newsletter export, {items}-item issue as {export_format} ({size:,} bytes)",
                statistics.median(times),
            )
        )
    return timings
