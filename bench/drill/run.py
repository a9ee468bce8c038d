"""The fault drill from start to end: the stack, the rounds, the drain, the verdict."""

from bench.common.lifecycle import Run
from bench.drill.load import Load
from bench.drill.logs import gunicorn_boots, print_logs
from bench.drill.mail_report import report_mail
from bench.drill.records import lost_signups, snapshot
from bench.drill.report import judge_rounds, print_lost, print_requests
from bench.drill.scenarios.mail import MailFaults
from bench.drill.scenarios.services import service_rounds
from bench.drill.scenarios.worker import WorkerStop
from bench.drill.stack import Stack
from bench.drill.task_queue import TaskQueue


class Drill(Run):
    def __init__(self, args):
        super().__init__(args)
        self.failures = []
        self.evidence = {}  # round -> (how often the fault was met, in words)

    def run(self):
        args = self.args
        workdir = self.scratch_folder("rs-cms-fault-drill-")
        stack = Stack(args, workdir, self.cleanups, self.failures)
        stack.prepare()
        stack.start()
        stack.choose_pages()
        load = Load(stack)
        queue = TaskQueue(stack)
        database = stack.postgres.url()
        before = snapshot(database)
        for name, fail, restore in service_rounds(stack):
            load.run_round(name, fail, restore, args.seconds, args.outage)
        quiet_rounds = [
            *MailFaults(stack, self.evidence, args.slow_reply).rounds(),
            *WorkerStop(stack, queue, self.evidence).rounds(),
        ]
        for name, fail, restore in quiet_rounds:
            load.run_round(name, fail, restore, args.mail_seconds, args.mail_outage)
        drained = queue.drain(args.drain_timeout, args.settle)
        after = snapshot(database)

        print_requests(load)
        lost = lost_signups(database, stack.run_id, load.acknowledged)
        if print_lost(before, after, load.acknowledged, lost):
            self.failures.append("data was lost")
        judge_rounds(load, args, gunicorn_boots(stack.log_path), self.failures)
        report_mail(stack, queue, self.evidence, load.acknowledged, drained, args, self.failures)
        print_logs(stack.log_path, stack.worker_log)
        print()
        if self.failures:
            for failure in self.failures:
                print(f"FAIL: {failure}")
            return 1
        print(
            "PASS: nothing lost, no 500, service resumed by itself after each fault; readers "
            "never waited on the mail server or the worker; every acknowledged signup got "
            "exactly one confirmation mail."
        )
        return 0
