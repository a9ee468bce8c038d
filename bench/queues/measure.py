"""In the measuring process, set up with one backend's settings: that backend's figures."""

import contextlib
import os
import random
import statistics
import time

import django

from bench.common.stats import percentile
from bench.common.worker import TaskWorker
from bench.queues.backends import BACKENDS

# Generous deadlines for a busy machine: the figures are measured, not these.
PATIENCE = 120


def wait_for(result, patience=PATIENCE):
    """Refresh a task result until it has finished; its return value."""
    from django.tasks import TaskResultStatus

    deadline = time.monotonic() + patience
    while True:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return result.return_value
        if result.status == TaskResultStatus.FAILED:
            raise SystemExit(f"task {result.id} failed: {result.errors}")
        if time.monotonic() > deadline:
            raise SystemExit(f"task {result.id} did not finish within {patience} s")
        time.sleep(0.01)


def measure(backend, enqueues, starts, workdir):
    """Measure the backend this process is configured with; a dict of figures."""
    django.setup()
    # Imported once Django is set up.
    from django.db import transaction
    from django.tasks import TaskResultStatus, task_backends

    from bench import task_probe
    from newsletter.models import Newsletter, Subscription

    _, _, alias, command = BACKENDS[backend]
    report_start = task_probe.report_start.using(backend=alias)
    sees_subscription = task_probe.sees_subscription.using(backend=alias)
    figures = {"backend": backend, "priorities": task_backends[alias].supports_priority}
    worker = TaskWorker(dict(os.environ), workdir / f"{backend}-worker.log", command)
    try:
        # 1. The worker down: what an enqueue costs the request, and whether it succeeds. Alone
        # (autocommit: the database backend commits each), and inside a transaction, as a
        # signup enqueues: there the request's own commit carries the task row with it.
        results = []
        for setting in ("alone", "in_transaction"):
            timings = []
            with transaction.atomic() if setting == "in_transaction" else contextlib.nullcontext():
                for _ in range(enqueues):
                    started = time.perf_counter()
                    results.append(report_start.enqueue())
                    timings.append((time.perf_counter() - started) * 1e6)
            figures[f"enqueue_{setting}_us"] = statistics.median(timings)
            figures[f"enqueue_{setting}_p90_us"] = percentile(timings, 0.9)
        time.sleep(1)
        results[-1].refresh()
        figures["waiting_while_down"] = results[-1].status == TaskResultStatus.READY

        # 2. The worker comes back: every task kept runs.
        started = time.monotonic()
        worker.start()
        wait_for(results[-1])
        figures["backlog_s"] = time.monotonic() - started
        ran = 0
        for result in results:
            result.refresh()
            ran += result.status == TaskResultStatus.SUCCESSFUL
        figures["backlog_ran"] = ran

        # 3. An idle worker: enqueue to start, at moments that do not follow its polling.
        latencies = []
        for _ in range(starts):
            time.sleep(random.uniform(0.05, 0.6))
            enqueued = time.time()
            began = wait_for(report_start.enqueue())
            latencies.append((began - enqueued) * 1000)
        figures["start_ms"] = statistics.median(latencies)
        figures["start_p90_ms"] = percentile(latencies, 0.9)

        # 4. Enqueued with its row, committed a moment later: does the worker see the row?
        newsletter, _ = Newsletter.objects.get_or_create(
            slug="bench-tasks", defaults={"name": "Bench"}
        )
        seen = 0
        trials = 5
        for number in range(trials):
            email = f"{backend}-{number}-{time.time_ns()}@example.org"
            with transaction.atomic():
                Subscription.objects.create(newsletter=newsletter, email=email)
                result = sees_subscription.enqueue(email)
                time.sleep(0.3)
            seen += bool(wait_for(result))
        figures["row_seen"] = f"{seen}/{trials}"

        # 5. Redis unreachable (RQ only): the database queue is down only with the database
        # the request needs anyway.
        if backend == "rq":
            try:
                report_start.using(queue_name="down").enqueue()
                figures["store_down"] = "enqueue succeeded"
            except Exception as error:  # whatever it raises is the finding
                figures["store_down"] = (
                    f"enqueue raised {type(error).__module__}.{type(error).__name__}"
                )
        else:
            figures["store_down"] = "the request's own database is down: it answers 503 anyway"
    finally:
        worker.stop()
    return figures
