"""The site bench from start to end: data, in-process figures, server, slices, report."""

import os
import re
import time

from bench.common.lifecycle import Run
from bench.common.machine import git_describe
from bench.common.web_server import GUNICORN_CONFIG, WORKERS, Gunicorn
from bench.pages.checks import PageChecks
from bench.pages.cpu import CpuMeter
from bench.pages.document import print_report, write_document
from bench.pages.findings import Findings
from bench.pages.in_process import WALKS, measure_in_process
from bench.pages.report import Measured, tables
from bench.pages.rounds import Rounds
from bench.pages.scratch import prepare
from bench.pages.walks import Walks, split_ranges
from bench.pages.wrk import Wrk


class SiteBench(Run):
    def __init__(self, args):
        super().__init__(args)
        self.findings = Findings()

    def run(self):
        args, facts = self.args, self.findings.facts
        started = time.monotonic()
        facts["load_before"] = os.getloadavg()
        workdir = self.scratch_folder("rs-cms-bench-site-")
        scratch = prepare(args, workdir, self.cleanups, self.findings)
        pages, queries, timings, paths = measure_in_process(
            args, scratch, self.cleanups, self.findings
        )
        # Imported here: ensure_tools() installs gunicorn when it is missing.
        import gunicorn

        facts["gunicorn"] = gunicorn.__version__
        facts["postgres"] = scratch.monitor.execute("SHOW server_version").fetchone()[0]
        facts["code"] = git_describe()
        wrk = Wrk(workdir)
        server = self.start_server(scratch, pages)
        meter = CpuMeter(
            server.process.pid, server.port, scratch.monitor, scratch.dbname, scratch.redis_pid
        )
        checked = PageChecks(server.base_url, scratch, self.findings).check(pages, args.seconds)
        ranges = split_ranges(paths, WALKS, 2 * args.slices + 1, args.seconds)
        facts["walk_ranges"] = {walk: len(each[0]) for walk, each in ranges.items()}
        walks = Walks(server.base_url, scratch.redis, ranges, pages[1].path, workdir)
        rounds = Rounds(server.base_url, meter, wrk, scratch.redis, walks, self.findings)
        unloaded = rounds.unloaded(pages, checked.too_slow, args.seconds)
        slices = rounds.loaded(pages, checked.too_slow, args)
        facts["load_after"] = os.getloadavg()
        facts["minutes"] = (time.monotonic() - started) / 60
        measured = Measured(
            pages, checked, unloaded, slices, queries, timings, scratch.redis_pid is not None
        )
        results, per_round, targets, walked, queries, timings = tables(measured, facts)
        sections = [
            ("Results", results),
            ("Ratios to the static file, round by round", per_round),
            ("Targets", targets),
            ("Misses on the article walks", walked),
            ("Queries per page (in-process)", queries),
            ("Newsroom and newsletter at this scale (in-process)", timings),
        ]
        print_report(sections, self.findings.notes, facts["minutes"])
        if args.write:
            write_document(args, facts, self.findings.notes, pages, sections)

    def start_server(self, scratch, pages):
        """gunicorn serving the site, up once it serves the static twin."""
        facts = self.findings.facts
        # Recycling a worker every thousand requests would add its start-up to the slice it
        # falls in: most of all to the static file's, which would flatter every ratio.
        server = Gunicorn(scratch.env, scratch.workdir / "gunicorn.log", "--max-requests", "0")
        facts["gunicorn_config"] = (
            "gunicorn.conf.py" if GUNICORN_CONFIG.exists() else "none (gunicorn's defaults)"
        )
        print(
            f"gunicorn on {server.base_url}: {WORKERS} workers, config {facts['gunicorn_config']}"
        )
        self.cleanups.callback(server.stop)
        server.start(probe=pages[0].path)
        worker = re.search(r"Using worker: (\S+)", server.log_path.read_text(errors="replace"))
        facts["worker_class"] = worker.group(1) if worker else "?"
        return server
