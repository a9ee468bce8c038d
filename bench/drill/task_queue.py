"""The task queue as the drill sees it: tasks by state, those left behind, and the final drain."""

import json
import time
from collections import Counter

from bench.drill.records import query

# The tasks table of django-tasks-db, read with plain SQL as the drill reads everything else.
TASKS_TABLE = "django_tasks_database_dbtaskresult"


class TaskQueue:
    def __init__(self, stack):
        self.stack = stack

    def query(self, sql, parameters=()):
        return query(self.stack.postgres.url(), sql, parameters)

    def current_worker(self):
        """The running worker's id as a JSON list: tasks it claimed are not orphans."""
        worker = self.stack.worker
        return json.dumps([worker.worker_id if worker.alive() else ""])

    def counts(self):
        """Tasks by state: due, deferred, running, orphaned, and each finished state."""
        # Due: waiting, may run now; deferred: waiting, later; running: by the worker running
        # now; orphaned: running by a worker gone.
        counts = Counter()
        rows = self.query(
            f"SELECT status, run_after <= now() OR run_after > now() + interval '100 years', "
            f"NOT worker_ids @> %s::jsonb, count(*) FROM {TASKS_TABLE} GROUP BY 1, 2, 3",
            [self.current_worker()],
        )
        for status, due, elsewhere, count in rows:
            if status == "READY":
                counts["due" if due else "deferred"] += count
                counts["waiting"] += count
            elif status == "RUNNING":
                counts["orphaned" if elsewhere else "running"] += count
            else:
                counts[status.lower()] += count
        return counts

    def unfinished(self):
        """Tasks waiting or running, by task: what the queue still holds."""
        rows = self.query(
            f"SELECT task_path, count(*) FROM {TASKS_TABLE} "
            "WHERE status IN ('READY', 'RUNNING') GROUP BY 1 ORDER BY 2 DESC"
        )
        return ", ".join(f"{count} {path.rsplit('.', 1)[-1]}" for path, count in rows) or "none"

    def orphans(self):
        """The tasks a worker claimed and never finished: (task, arguments, started, worker)."""
        return self.query(
            f"SELECT task_path, args_kwargs, started_at, worker_ids FROM {TASKS_TABLE} "
            "WHERE status = 'RUNNING' AND NOT worker_ids @> %s::jsonb ORDER BY started_at",
            [self.current_worker()],
        )

    def drain(self, timeout, settle):
        """Seconds until no task waits or runs, or None if some still did after `timeout`."""
        # With the inbox working and the worker running; a task left running by a worker that
        # exited never ends, so only this worker's count. Then `settle` seconds more, for a
        # second copy of any message to show up.
        say = self.stack.say
        say(f"draining the queue (inbox working, worker running; up to {timeout} s)")
        started = time.monotonic()
        deadline = started + timeout
        shown = 0.0
        while True:
            self.stack.check_worker("drain")
            counts = self.counts()
            if not (counts["waiting"] or counts["running"]):
                break
            if time.monotonic() > deadline:
                return None
            if time.monotonic() - shown >= 10:
                shown = time.monotonic()
                say(f"  still to run: {self.unfinished()}")
            time.sleep(0.5)
        drained = time.monotonic() - started
        time.sleep(settle)
        return drained
