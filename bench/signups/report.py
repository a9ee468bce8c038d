"""The signup bench's report: medians by state, the statements, PASS or FAIL."""

import platform
import statistics

import django

from bench.common.machine import cpu_count, cpu_model, load_average
from bench.common.markdown import markdown_table
from bench.common.stats import percentile
from bench.common.web_server import WORKERS
from bench.signups.addresses import STATES
from bench.signups.statements import statement_kind, statement_shape


def spread(medians):
    """The largest of some medians over the smallest (1.0 when they are all equal)."""
    values = list(medians)
    return max(values) / min(values)


def within(medians, tolerance):
    """Whether the largest median exceeds the smallest by no more than `tolerance` (0.10 = 10 %)."""
    # A little slack for the float division: 1.1 / 1.0 must pass a 10 % tolerance.
    return spread(medians) <= 1 + tolerance + 1e-9


def describe_machine(args, facts, load_after):
    worker = "with the task worker running" if args.worker else "no task worker running"
    return "\n".join(
        [
            f"- Machine: {cpu_model()}, `nproc` {cpu_count()}; load average {facts['load']} "
            f"before, {load_after} after",
            f"- Python {platform.python_version()}, Django {django.get_version()}, "
            f"{facts['postgres']}, cache {facts['cache']}",
            f"- gunicorn, {WORKERS} workers (gunicorn.conf.py"
            + (f", {args.threads} threads each" if args.threads > 1 else ", sync")
            + f"), DEBUG off; {worker}",
            f"- Command: `.venv/bin/python bench/signup.py --requests {args.requests} "
            f"--warmup {args.warmup}"
            + (f" --threads {args.threads}" if args.threads > 1 else "")
            + (" --worker" if args.worker else "")
            + "`",
        ]
    )


def report(bench):
    """Print the report; 1 if the states can be told apart, else 0."""
    args, timings = bench.args, bench.timings
    medians = {state: statistics.median(timings.ms[state]) for state in STATES}
    ratio = spread(medians.values())
    passed = within(medians.values(), args.tolerance)
    rows = [
        [
            state,
            len(timings.ms[state]),
            f"{medians[state]:.2f}",
            f"{percentile(timings.ms[state], 0.9):.2f}",
            len(bench.statements[state]),
        ]
        for state in STATES
    ]
    print("\n## Newsletter signup by address state\n")
    print(describe_machine(args, bench.facts, load_average()))
    print()
    print(
        markdown_table(["address state", "requests", "median ms", "p90 ms", "SQL statements"], rows)
    )
    slowest = max(medians, key=medians.get)
    fastest = min(medians, key=medians.get)
    print(
        f"\nLargest median over smallest: {ratio:.3f} ({slowest} over {fastest}); "
        f"aim ≤ {1 + args.tolerance:.2f}."
    )
    print(
        f"{timings.requests_sent} requests ({args.warmup} warm-up rounds not counted) on "
        f"{timings.connections_opened} connection(s): "
        + (
            "the server kept the connection alive."
            if timings.connections_opened == 1
            else "gunicorn's sync workers close the connection after every answer, so "
            "each request opened a new one."
        )
    )
    identical = len(set().union(*timings.bodies.values())) == 1
    print(
        "Response bodies: "
        + ("byte-identical for every request and state." if identical else "they differ.")
    )
    new_rows, states_after = bench.rows_after
    print(
        f"Rows after: {new_rows} new addresses recorded; prepared addresses still in "
        "their state: "
        + ", ".join(f"{state} {count}" for state, count in states_after.items())
        + "."
    )
    if args.worker:
        print(f"The worker's inbox took {len(bench.inbox.messages)} confirmation mail(s).")
    print_statements(bench.statements, bench.same_statements)
    failures = []
    if not passed:
        failures.append(
            f"the medians differ by {100 * (ratio - 1):.1f} %, over {100 * args.tolerance:.0f} %"
        )
    if not bench.same_statements:
        failures.append("the states run different SQL statements")
    if not identical:
        failures.append("the answers' bodies differ")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print(
            f"PASS: medians within {100 * args.tolerance:.0f} % of each other, the same "
            "statements and the same answer in every state."
        )
    return 1 if failures else 0


def print_statements(statements, same):
    print("\n### Statements per signup (in-process, literals replaced by ?)\n")
    for state in STATES:
        kinds = ", ".join(statement_kind(sql) for sql in statements[state])
        print(f"- {state}: {len(statements[state])}: {kinds}")
    print("\nSame statements in every state (shape, kind and number): " + ("yes" if same else "NO"))
    for number, sql in enumerate(statements[STATES[0]], 1):
        print(f"  {number}. {statement_shape(sql)[:300]}")
    print()
