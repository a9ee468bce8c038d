"""The wrk slices of the site bench: one connection at a time, then the ABBA rounds under load."""

from bench.common.client import fetch
from bench.common.web_server import WORKERS
from bench.pages.slices import STATIC, Slice, cpu_ms_per_request, db_ms_per_request, round_schedule


class Rounds:
    """Slices against the running server, each with the server CPU it cost."""

    def __init__(self, base_url, meter, wrk, redis, walks, findings):
        self.base_url = base_url
        self.meter = meter
        self.wrk = wrk
        # The page cache's Redis db: flushed after every uncached slice.
        self.redis = redis
        self.walks = walks
        self.findings = findings

    def run_slice(self, page, number, connections, threads, seconds):
        facts = self.findings.facts
        paths_file, walked, fragments = None, 0, 0
        if page.walk:
            # Before the server is let go idle: the warm-up stays out of the slice.
            paths_file, walked, fragments = self.walks.prepare(page)
        if not self.meter.wait_idle() and not facts.get("never_idle"):
            facts["never_idle"] = True
            self.findings.note(
                "The server was still busy a minute after a slice: other work on the machine "
                "shares these processes' CPU readings, or requests outlast their slices."
            )
        if page.warm:
            fetch(self.base_url, page.path)
            fetch(self.base_url, page.path)
        command = self.wrk.command(self.base_url, page, connections, threads, seconds, paths_file)
        stats, (app_s, db_s, cache_s, backends) = self.wrk.run(command, self.meter)
        if page.walk:
            self.walks.tidy()
            if stats["wraps"]:
                self.findings.note(
                    f"{page.label}: a slice ran out of its {walked:,} articles and asked for "
                    f"some again ({stats['wraps']} wraps): those were hits, not misses."
                )
        if page.bust:
            stored = self.redis.dbsize()
            facts["stored_misses"] = max(facts.get("stored_misses", 0), stored)
            self.redis.flushdb()
        if stats["status_errors"]:
            self.findings.note(f"{page.label}: {stats['status_errors']} answers were not 2xx/3xx")
        if not stats["requests"]:
            self.findings.note(f"{page.label}: no request completed within a {seconds} s slice")
        return Slice(
            page=page.key,
            round=number,
            requests=stats["requests"],
            seconds=stats["seconds"],
            p50_ms=stats["p50_ms"],
            p99_ms=stats["p99_ms"],
            app_s=app_s,
            db_s=db_s,
            cache_s=cache_s,
            errors=stats["socket_errors"] + stats["status_errors"],
            backends=backends,
            walked=walked,
            answered=stats.get("answered", 0),
            misses=stats.get("misses", 0),
            wraps=stats.get("wraps", 0),
            fragments=fragments,
        )

    def unloaded(self, pages, too_slow, seconds):
        """One connection at a time, each page that wrk can measure: its slice, by page."""
        seconds = min(seconds, 3)
        print(f"\none connection at a time, {seconds} s each")
        results = {}
        for page in pages:
            if page.key in too_slow:
                continue
            result = self.run_slice(page, 0, 1, 1, seconds)
            results[page.key] = result
            print(f"  {page.label:<30} p50 {result.p50_ms:8.2f} ms   p99 {result.p99_ms:8.2f} ms")
        return results

    def loaded(self, pages, too_slow, args):
        """The ABBA rounds under load: every slice, in run order."""
        pages = {page.key: page for page in pages}
        measured = [key for key in pages if key != STATIC and key not in too_slow]
        schedule = round_schedule(measured, args.slices)
        print(
            f"\n{args.slices} rounds of {len(schedule) // args.slices} slices, {args.seconds} s "
            f"each, {args.connections} connections: about "
            f"{len(schedule) * (args.seconds + 0.7) / 60:.0f} min"
        )
        slices = []
        for key, number in schedule:
            result = self.run_slice(
                pages[key], number, args.connections, args.threads, args.seconds
            )
            slices.append(result)
            print(
                f"  round {number}  {pages[key].label:<30} {result.requests / result.seconds:9.1f}"
                f" req/s  p50 {result.p50_ms:8.2f} ms  p99 {result.p99_ms:8.2f} ms"
                f"  CPU {cpu_ms_per_request([result]):7.3f} ms/req"
                f" (PostgreSQL {db_ms_per_request([result]):.3f})"
            )
        crowded = sorted({pages[s.page].label for s in slices if s.backends > WORKERS + 2})
        if crowded:
            self.findings.note(
                "More PostgreSQL processes than the workers' connections took part in slices of "
                f"{', '.join(crowded)} (parallel query workers, or reconnections): one that "
                "exits between two readings (0.5 s apart) takes its CPU time with it."
            )
        return slices
