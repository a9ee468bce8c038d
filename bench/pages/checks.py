"""Before any slice: every page answers, the uncached ones render, the cached one does not."""

import contextlib
import http.client
import time
from dataclasses import dataclass, field

from bench.common.client import fetch, with_param
from bench.pages.slices import STATIC
from bench.pages.wrk import BUST_PARAM


@dataclass
class Checked:
    sizes: dict = field(default_factory=dict)  # page key -> bytes
    single_ms: dict = field(default_factory=dict)  # page key -> one request's times
    too_slow: dict = field(default_factory=dict)  # page key -> ms, left out of the wrk runs


class PageChecks:
    """One request at a time to the running server, and what pg_stat_activity saw of it."""

    def __init__(self, base_url, scratch, findings):
        self.base_url = base_url
        self.monitor = scratch.monitor
        self.dbname = scratch.dbname
        self.findings = findings

    def ran_queries(self, path):
        """(status, whether answering GET `path` ran a database query, i.e. was rendered)."""
        started = self.monitor.execute("SELECT clock_timestamp()").fetchone()[0]
        status, _ = fetch(self.base_url, path)
        latest = self.monitor.execute(
            "SELECT max(greatest(backend_start, query_start)) FROM pg_stat_activity"
            " WHERE datname = %s AND backend_type = 'client backend'",
            [self.dbname],
        ).fetchone()[0]
        return status, latest is not None and latest > started

    def timed_fetch(self, path):
        started = time.perf_counter()
        with contextlib.suppress(OSError, http.client.HTTPException):
            fetch(self.base_url, path)
        return (time.perf_counter() - started) * 1000

    def check(self, pages, seconds):
        """Sizes and single-request times of `pages`; those too slow for `seconds` slices."""
        checked = Checked()
        for page in pages:
            path = with_param(page.path, f"{BUST_PARAM}=check") if page.bust else page.path
            started = time.perf_counter()
            try:
                status, body = fetch(self.base_url, path)
            except (OSError, http.client.HTTPException) as error:
                status, body = repr(error), b""
            if status != 200:
                if page.key in (STATIC, "article"):
                    raise SystemExit(f"GET {path} answered {status}")
                # Say, a request that outlived gunicorn's timeout and lost its worker.
                failed_ms = (time.perf_counter() - started) * 1000
                checked.single_ms[page.key] = [failed_ms]
                checked.too_slow[page.key] = failed_ms
                self.findings.note(
                    f"{page.label}: GET {path} answered {status} after {failed_ms:,.0f} ms: left "
                    "out of the wrk runs, and counted a MISS wherever a target needs it."
                )
                continue
            checked.sizes[page.key] = len(body)
            # Once more, warm, timed: the page's cost with nothing else running.
            checked.single_ms[page.key] = [self.timed_fetch(path) for _ in range(2)]
        print(
            "one request each: "
            + ", ".join(f"{key} {min(times):,.1f} ms" for key, times in checked.single_ms.items())
        )
        self.leave_out_slow(pages, seconds, checked)
        self.compare_twin(checked)
        self.check_cache(next(page for page in pages if page.key == "article"))
        return checked

    def leave_out_slow(self, pages, seconds, checked):
        # A page that takes longer than this would finish a handful of requests per slice
        # and leave a queue of them behind, still running into the next slices.
        limit_ms = 1000 * seconds / 5
        for page in pages:
            if page.key not in checked.too_slow and min(checked.single_ms[page.key]) > limit_ms:
                checked.too_slow[page.key] = min(checked.single_ms[page.key])
                self.findings.note(
                    f"{page.label}: one request takes {checked.too_slow[page.key]:,.0f} ms, over "
                    f"a fifth of a slice ({limit_ms:,.0f} ms): left out of the wrk runs, and "
                    "counted a MISS wherever a target needs it."
                )

    def compare_twin(self, checked):
        sizes = checked.sizes
        if abs(sizes["article"] - sizes[STATIC]) > 0.02 * sizes[STATIC]:
            self.findings.note(
                f"the static twin has {sizes[STATIC]:,} bytes, the live article "
                f"{sizes['article']:,}"
            )

    def check_cache(self, article):
        """A fresh query string renders the article; a repeated plain request does not."""
        facts = self.findings.facts
        _, rendered = self.ran_queries(with_param(article.path, f"{BUST_PARAM}=verify"))
        facts["bypass_verified"] = rendered
        if not rendered:
            self.findings.note(
                f"UNCACHED FIGURES ARE NOT VALID: a request with a fresh ?{BUST_PARAM}= ran no "
                "database query, so the page cache answered it. The cache must not ignore "
                "unknown query parameters, or this script needs another way round it."
            )
        fetch(self.base_url, article.path)
        fetch(self.base_url, article.path)
        _, queried = self.ran_queries(article.path)
        facts["cache_hit_without_db"] = not queried
        if queried:
            self.findings.note(
                "The cached article ran database queries on a repeated request: the page cache "
                "is not in effect (or consults the database on a hit)."
            )
