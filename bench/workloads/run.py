"""The workload bench from start to end: data, the readers' lists, the phases, the report."""

import os
import time

from bench.common.lifecycle import Run
from bench.common.machine import git_describe
from bench.pages.findings import Findings
from bench.pages.scratch import prepare
from bench.pages.wrk import Wrk
from bench.workloads.phases import Phases
from bench.workloads.report import publish, section
from bench.workloads.site_data import prepare_site
from bench.workloads.traffic import Readers


class WorkloadBench(Run):
    def __init__(self, args):
        super().__init__(args)
        self.findings = Findings()

    def run(self):
        args, facts = self.args, self.findings.facts
        started = time.monotonic()
        facts["load_before"] = os.getloadavg()
        workdir = self.scratch_folder("rs-cms-bench-workload-")
        scratch = prepare(args, workdir, self.cleanups, self.findings, "rs_cms_workload")
        site = prepare_site(scratch, self.findings)
        # Imported here: ensure_tools() installs gunicorn when it is missing.
        import gunicorn

        facts["gunicorn"] = gunicorn.__version__
        facts["postgres"] = scratch.monitor.execute("SHOW server_version").fetchone()[0]
        facts["code"] = git_describe()
        readers = Readers(workdir, site, args)
        phases = Phases(args, scratch, site, readers, Wrk(workdir), self.findings)
        measured, statics = phases.run_all(self.cleanups)
        self.note_page_lifetime()
        facts["load_after"] = os.getloadavg()
        facts["minutes"] = (time.monotonic() - started) / 60
        publish(args, section(args, facts, self.findings.notes, site, measured, statics))
        print(f"done in {facts['minutes']:.1f} min")

    def note_page_lifetime(self):
        from django.conf import settings

        seconds, args = settings.PAGE_CACHE_TAGGED_SECONDS, self.args
        self.findings.facts["page_cache_seconds"] = (settings.PAGE_CACHE_SECONDS, seconds)
        if seconds < args.minutes * 60:
            self.findings.note(
                f"Pages with tags expire after `PAGE_CACHE_TAGGED_SECONDS` ({seconds} s), within "
                "a phase: the new design's misses include a fresh render of each page on expiry."
            )
