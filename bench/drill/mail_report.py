"""The drill's mail, once the queue is drained: one confirmation per acknowledged signup."""

import re

from bench.common.markdown import markdown_table
from bench.drill.records import unrecorded
from bench.drill.tally import mail_tally


def report_mail(stack, queue, evidence, acknowledged, drained, args, failures):
    counts = queue.counts()
    tally = mail_tally(acknowledged, stack.inbox.recipients())
    mailed_unrecorded = sorted(
        set(stack.inbox.recipients()) & unrecorded(stack.postgres.url(), stack.run_id)
    )
    orphans = queue.orphans()
    worker_log = stack.worker_log.read_text(errors="replace")
    retried = len(re.findall(r"Confirmation mail to subscription \d+ failed on try", worker_log))
    given_up = len(re.findall(r"Giving up the confirmation mail", worker_log))
    print("\n## Mail\n")
    print(
        markdown_table(
            ["round", "the fault, as met"],
            [[drill, text] for drill, (_, text) in evidence.items()],
        )
    )
    print()
    print(
        markdown_table(
            ["", "count"],
            [
                ["signups answered with success (all rounds)", tally.acknowledged],
                ["confirmation mails the inbox took", tally.received],
                ["acknowledged addresses with no mail", len(tally.missing)],
                ["addresses mailed more than once", len(tally.twice)],
                [
                    "mails to an address whose answer the client never got",
                    len(tally.unacknowledged),
                ],
                [
                    "addresses mailed whose row records no mail sent",
                    len(mailed_unrecorded),
                ],
                ["tries that failed and were retried (worker's log)", retried],
                ["messages given up (worker's log)", given_up],
                [
                    "tasks successful / failed (failed tries included)",
                    f"{counts['successful']} / {counts['failed']}",
                ],
                [
                    "tasks still waiting / running / left running by a worker gone",
                    f"{counts['waiting']} / {counts['running']} / {counts['orphaned']}",
                ],
                ["worker exits nobody asked for", len(stack.worker.exits)],
            ],
        )
    )
    if drained is None:
        failures.append(
            f"the queue was not empty {args.drain_timeout} s after the last round "
            f"({counts['due']} due, {counts['deferred']} deferred, {counts['running']} "
            "running)"
        )
    else:
        print(
            f"\nThe queue was empty {drained:.1f} s after the last round; then "
            f"{args.settle:g} s more for any second copy."
        )
    if tally.missing:
        failures.append(
            f"{len(tally.missing)} acknowledged signups got no confirmation mail "
            f"(first: {', '.join(tally.missing[:3])})"
        )
    if tally.twice:
        failures.append(
            f"{len(tally.twice)} addresses got more than one confirmation mail "
            f"(first: {', '.join(f'{a} ×{n}' for a, n in list(tally.twice.items())[:3])})"
        )
    if given_up:
        failures.append(f"{given_up} confirmation mails were given up")
    if orphans:
        failures.append(
            f"{len(orphans)} task(s) left RUNNING for good by a worker that exited: "
            + "; ".join(
                f"{path.rsplit('.', 1)[-1]}{tuple(arguments.get('args', []))} "
                f"started {started:%H:%M:%S}"
                for path, arguments, started, _ in orphans[:3]
            )
        )
    if mailed_unrecorded:
        failures.append(
            f"{len(mailed_unrecorded)} address(es) got their mail but the row records none "
            f"sent (its claim still held): {', '.join(mailed_unrecorded[:3])}"
        )
    for drill, (met, _) in evidence.items():
        if not met:
            failures.append(f"the {drill} round met no mail: it drilled nothing")
