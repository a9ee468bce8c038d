"""The drill's requests by round, window and kind; what was lost; the rounds' verdicts."""

from collections import Counter

from bench.common.markdown import markdown_table
from bench.common.web_server import WORKERS
from bench.drill.outcomes import KINDS, OUTCOMES, WINDOWS, max_ms, median_ms
from bench.drill.scenarios.mail import REFUSING_SERVER, SILENT_SERVER, SLOW_SERVER
from bench.drill.scenarios.services import POSTGRESQL, REDIS
from bench.drill.scenarios.worker import WORKER_STOPPED

# The rounds where readers must notice nothing: every request served, none slow.
QUIET_ROUNDS = [SILENT_SERVER, REFUSING_SERVER, SLOW_SERVER, WORKER_STOPPED]


def print_requests(load):
    rows = []
    for drill in load.events:
        for window in WINDOWS:
            for kind in KINDS:
                chosen = [
                    r
                    for r in load.results
                    if r.drill == drill and r.kind == kind and load.window(r) == window
                ]
                counts = Counter(r.outcome for r in chosen)
                hits = sum(r.cache == "hit" for r in chosen)
                rows.append(
                    [drill, window, kind, len(chosen)]
                    + [counts[outcome] for outcome in OUTCOMES]
                    + [hits if kind == "page, cacheable" else ""]
                    + [f"{median_ms(chosen):.0f}" if chosen else "–"]
                    + [f"{max_ms(chosen):.0f}" if chosen else "–"]
                )
    print("\n## Requests\n")
    print(
        markdown_table(
            [
                "fault",
                "window",
                "kind",
                "requests",
                *OUTCOMES,
                "page-cache hits",
                "p50 ms",
                "max ms",
            ],
            rows,
        )
    )
    print(
        "\nWindows, by when a request was sent: before the fault, between it and the "
        "service being restored, after that. Page-cache hits are answers served from the "
        "cache (X-Page-Cache: hit)."
    )
    totals = Counter(r.outcome for r in load.results)
    print(
        f"\nIn all: {len(load.results)} requests, {totals['served']} served, "
        f"{len(load.results) - totals['served']} failed ("
        + ", ".join(f"{totals[outcome]} {outcome}" for outcome in OUTCOMES[1:])
        + ")."
    )
    details = Counter(
        r.detail for r in load.results if r.outcome in {"other answer", "connection error"}
    )
    if details:
        print(
            "Other answers and connection errors: "
            + "; ".join(f"{detail} ×{count}" for detail, count in details.most_common(5))
        )


def print_lost(before, after, acknowledged, lost_signups):
    """The Lost table; whether anything was lost."""
    articles_before, subscriptions_before = before
    articles_after, subscriptions_after = after
    lost_articles = articles_before - articles_after
    lost_subscriptions = subscriptions_before - subscriptions_after
    print("\n## Lost\n")
    print(
        markdown_table(
            [
                "what",
                "before the drill",
                "answered with success",
                "in the database after",
                "lost",
            ],
            [
                ["articles", len(articles_before), "", len(articles_after), len(lost_articles)],
                [
                    "subscriptions there before",
                    len(subscriptions_before),
                    "",
                    len(subscriptions_before & subscriptions_after),
                    len(lost_subscriptions),
                ],
                [
                    "signups during the drill",
                    "",
                    len(acknowledged),
                    len(acknowledged) - len(lost_signups),
                    len(lost_signups),
                ],
            ],
        )
    )
    return bool(lost_articles or lost_subscriptions or lost_signups)


def judge_rounds(load, args, boots, failures):
    """Failures of the service rounds and of the quiet ones, with what explains slow requests."""
    results = load.results
    totals = Counter(r.outcome for r in results)
    unexpected = totals["500"] + totals["other answer"]
    if unexpected:
        failures.append(f"{unexpected} answers were neither served nor the friendly 503")
    database_fault = load.events.get(POSTGRESQL)
    if database_fault:
        judge_database_round(results, database_fault[1], args.grace, failures)
    cache_failures = [r for r in results if r.drill == REDIS and r.outcome != "served"]
    if cache_failures:
        failures.append(f"{len(cache_failures)} requests failed while only Redis was down")
    # The workers gunicorn started after its first ones: replacements.
    boots = boots[WORKERS:]
    for drill in QUIET_ROUNDS:
        mine = [r for r in results if r.drill == drill]
        failed = [r for r in mine if r.outcome != "served"]
        slow = [r for r in mine if r.seconds >= args.slow_limit]
        if failed:
            failures.append(f"{len(failed)} requests failed in the {drill} round")
        if slow:
            failures.append(
                f"{len(slow)} requests took {args.slow_limit:g} s or more in the "
                f"{drill} round (slowest {max_ms(slow):.0f} ms)"
            )
        for r in slow:
            # What else was going on: a gunicorn worker replaced (max_requests) around it.
            near = [boot for boot in boots if r.wall - 5 <= boot <= r.wall + r.seconds]
            print(
                f"  slow: {r.kind} in the {drill} round ({load.window(r)}), "
                f"{r.seconds * 1000:.0f} ms"
                + (
                    f"; gunicorn started a worker {near[0] - r.wall:+.1f} s from its sending"
                    if near
                    else ""
                )
            )
    print(
        f"\ngunicorn replaced a worker {len(boots)} time(s) during the drill "
        f"(--max-requests {args.max_requests})"
        + (
            ": at " + ", ".join(f"{boot - load.stack.began_wall:.0f} s" for boot in boots)
            if boots
            else "."
        )
    )


def judge_database_round(results, back_at, grace, failures):
    """Every request served from `grace` seconds after PostgreSQL was back, and some met it."""
    late = [r for r in results if r.drill == POSTGRESQL and r.started >= back_at + grace]
    if not late or any(r.outcome != "served" for r in late):
        failures.append(
            f"the site did not serve every request from {grace} s after PostgreSQL was back"
        )
    if not any(r.outcome == "friendly 503" for r in results):
        failures.append("no request met the outage: the drill drilled nothing")
    first = min(
        (
            r.started
            for r in results
            if r.drill == POSTGRESQL
            and r.kind != "page, cacheable"
            and r.started >= back_at
            and r.outcome == "served"
        ),
        default=None,
    )
    if first is not None:
        print(
            f"\nFirst database read served {first - back_at:.2f} s after "
            "PostgreSQL was back (no restart of the app)."
        )
