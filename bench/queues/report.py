"""The task-queue bench's table: one row per backend measured."""

from bench.common.machine import cpu_count, load_average, package_version
from bench.common.markdown import markdown_table


def report(figures, args, postgres_version, redis_version, notes):
    versions = {
        "database": f"django-tasks-db {package_version('django-tasks-db')}, {postgres_version}",
        "rq": f"django-tasks-rq {package_version('django-tasks-rq')}, django-rq "
        f"{package_version('django-rq')}, rq {package_version('rq')}, Redis {redis_version}",
    }
    rows = []
    for f in figures:
        rows.append(
            [
                versions[f["backend"]],
                f"{f['enqueue_alone_us']:.0f} (p90 {f['enqueue_alone_p90_us']:.0f})",
                f"{f['enqueue_in_transaction_us']:.0f} "
                f"(p90 {f['enqueue_in_transaction_p90_us']:.0f})",
                f"{f['start_ms']:.1f} (p90 {f['start_p90_ms']:.1f})",
                ("yes, kept" if f["waiting_while_down"] else "no")
                + f"; {f['backlog_ran']}/{2 * args.enqueues} ran within "
                f"{f['backlog_s']:.1f} s of its start",
                f["row_seen"],
                f["store_down"],
                "yes" if f["priorities"] else "no",
            ]
        )
    print("\n## Task queue backends\n")
    print(
        f"- Command: `.venv/bin/python bench/task_backends.py --enqueues {args.enqueues} "
        f"--starts {args.starts}`; load average {load_average()} at the end, "
        f"`nproc` {cpu_count()}"
    )
    print(
        "- Workers: `manage.py db_worker --interval 1` (the Procfile's), "
        "`manage.py rqworker default --job-class django_tasks_rq.Job` (django-rq's, "
        "forking a work horse per job)\n"
    )
    print(
        markdown_table(
            [
                "backend",
                "enqueue µs, median (autocommit)",
                "enqueue µs, median (in a transaction)",
                "enqueue → start ms, median (idle worker)",
                f"worker down: {2 * args.enqueues} enqueued",
                "task saw the row enqueued with it",
                "its store unreachable",
                "task priorities",
            ],
            rows,
        )
    )
    for note in notes:
        print(f"\nNOTE: {note}")
