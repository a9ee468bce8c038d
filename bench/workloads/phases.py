"""The phases, in ABBA order: per design a fresh gunicorn, a static slice, Redis flushed, the
editor started, a warm-up, then the measured minutes."""

import time

from bench.common.processes import process_ticks
from bench.common.web_server import Gunicorn
from bench.common.worker import TaskWorker
from bench.pages.cpu import CpuMeter
from bench.pages.slices import STATIC, Page, Slice
from bench.workloads.editor import count_actions
from bench.workloads.figures import (
    ABBA,
    PAGE_CACHE_TAGS,
    Phase,
    phase_seed,
)
from bench.workloads.traffic import quantile

# The editor's PostgreSQL backend is told apart by this name: readers' CPU leaves it out.
EDITOR_APP = "rs_cms workload editor"


class ReaderMeter(CpuMeter):
    """The server CPU the readers cost: the editor's own backend is not counted."""

    def backend_ticks(self):
        rows = self.monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s"
            " AND backend_type IN ('client backend', 'parallel worker')"
            " AND application_name IS DISTINCT FROM %s",
            [self.dbname, EDITOR_APP],
        ).fetchall()
        return {pid: ticks for (pid,) in rows if (ticks := process_ticks(pid)) is not None}


class Phases:
    """Every phase against the loaded database: (phases, static slices), in run order."""

    def __init__(self, args, scratch, site, readers, static_wrk, findings):
        self.args = args
        self.scratch = scratch
        self.site = site
        self.readers = readers
        self.static_wrk = static_wrk
        self.findings = findings
        self.static_page = Page(STATIC, "static file, same bytes", site.static_path)

    def run_all(self, cleanups):
        phases, statics = [], []
        for number, design in enumerate(ABBA, start=1):
            env = dict(self.scratch.env, PAGE_CACHE_TAGS=PAGE_CACHE_TAGS[design])
            server = Gunicorn(
                env, self.scratch.workdir / f"gunicorn-{number}.log", "--max-requests", "0"
            )
            cleanups.callback(server.stop)
            print(f"\nphase {number}: {design} design, gunicorn on {server.base_url}")
            server.start(probe=self.site.static_path)
            try:
                meter = ReaderMeter(
                    server.process.pid,
                    server.port,
                    self.scratch.monitor,
                    self.scratch.dbname,
                    self.scratch.redis_pid,
                )
                statics.append(self.static_slice(server, meter, number))
                phases.append(self.phase(number, design, env, server, meter))
                if number == len(ABBA):
                    statics.append(self.static_slice(server, meter, number + 1))
            finally:
                server.stop()
        return phases, statics

    def static_slice(self, server, meter, number):
        """The static twin at full speed, as bench/site.py measures it."""
        self.wait_idle(meter)
        args = self.args
        command = self.static_wrk.command(
            server.base_url, self.static_page, 16, 1, args.static_seconds
        )
        stats, (app_s, db_s, cache_s, _) = self.static_wrk.run(command, meter)
        result = Slice(
            page=STATIC,
            round=number,
            requests=stats["requests"],
            seconds=stats["seconds"],
            p50_ms=stats["p50_ms"],
            p99_ms=stats["p99_ms"],
            app_s=app_s,
            db_s=db_s,
            cache_s=cache_s,
            errors=stats["socket_errors"] + stats["status_errors"],
        )
        cpu = (app_s + db_s) * 1000 / result.requests if result.requests else float("nan")
        print(f"  static   {result.requests / result.seconds:9.1f} req/s  CPU {cpu:.3f} ms/req")
        return result

    def phase(self, number, design, env, server, meter):
        args = self.args
        self.scratch.redis.flushdb()
        # The warm-up replays the measured stream at full speed, before the editor starts: the
        # cache then holds every page the measured minutes read, as a site's does once it has
        # been up a while, and their misses are those the edits cause.
        print(f"  warm-up  the measured stream, up to {args.warmup} s")
        warm = self.readers.replay(
            server.base_url, args.warmup, phase_seed(number), round(args.rate * args.minutes * 60)
        )
        print(f"           {warm['requests']:,} requests, {warm['misses']:,} misses")
        editor = TaskWorker(
            dict(env, PGAPPNAME=EDITOR_APP),
            self.scratch.workdir / f"editor-{number}.log",
            command=[
                "-m",
                "bench.workloads.editor",
                "--save-every",
                f"{args.save_every:g}",
                "--publish-every",
                f"{args.publish_every:g}",
                "--seed",
                str(number),
            ],
        )
        editor.start()
        try:
            started = time.time()
            print(f"  measured {args.minutes:g} min")
            stats, (app_s, db_s, cache_s, _) = self.readers.run(
                server.base_url, round(args.minutes * 60), phase_seed(number), meter
            )
            ended = time.time()
            if not editor.check():
                self.findings.note(
                    f"Phase {number}: the editor stopped on its own: see its log,\n"
                    + editor.log_path.read_text(errors="replace")[-1500:]
                )
        finally:
            editor.stop()
        done = count_actions(editor.log_path.read_text(errors="replace"), started, ended)
        result = Phase(
            design=design,
            number=number,
            requests=stats["requests"],
            seconds=stats["seconds"],
            hits=stats["hits"],
            misses=stats["misses"],
            uncached=stats["uncached"],
            errors=stats["socket_errors"] + stats["status_errors"],
            app_s=app_s,
            db_s=db_s,
            cache_s=cache_s,
            quantiles=stats["quantiles"],
            saves=done["save"],
            publishes=done["publish"],
        )
        self.check(result)
        cpu = (app_s + db_s) * 1000 / result.requests if result.requests else float("nan")
        print(
            f"  {design:<8} {result.requests / result.seconds:9.1f} req/s"
            f"  misses {result.misses / max(1, result.requests):6.1%}"
            f"  CPU {cpu:.3f} ms/req  p50 {quantile(result.quantiles, 50):.2f} ms"
            f"  p99 {quantile(result.quantiles, 99):.2f} ms"
            f"  editor: {result.saves} saves, {result.publishes} publishes"
        )
        return result

    def check(self, phase):
        if phase.errors:
            self.findings.note(
                f"Phase {phase.number}: {phase.errors:,} requests failed or were not 2xx/3xx."
            )
        if phase.uncached:
            self.findings.note(
                f"Phase {phase.number}: {phase.uncached:,} answers carried no X-Page-Cache "
                "header (the page cache did not handle them)."
            )
        achieved = phase.requests / phase.seconds if phase.seconds else 0
        if achieved < 0.95 * self.args.rate:
            self.findings.note(
                f"Phase {phase.number} ({phase.design}): {achieved:,.1f} req/s achieved of the "
                f"{self.args.rate:g} offered: the server (or the machine) could not keep up."
            )

    def wait_idle(self, meter):
        facts = self.findings.facts
        if not meter.wait_idle() and not facts.get("never_idle"):
            facts["never_idle"] = True
            self.findings.note(
                "The server was still busy a minute after the last requests: other work on the "
                "machine shares these processes' CPU readings."
            )
