"""The round that stops the task worker as a supervisor does, and starts it again."""

WORKER_STOPPED = "task worker stopped"


class WorkerStop:
    def __init__(self, stack, queue, evidence):
        self.stack = stack
        self.queue = queue
        self.evidence = evidence

    def rounds(self):
        """(name, fail, restore) of the round."""
        return [(WORKER_STOPPED, self.stop, self.restart)]

    def stop(self):
        self.stack.check_worker(WORKER_STOPPED)
        self.seconds = self.stack.worker.stop()
        self.stack.say(f"{WORKER_STOPPED}: the worker exited {self.seconds:.2f} s after SIGTERM")

    def restart(self):
        waiting = self.queue.counts()["waiting"]
        self.stack.worker.start()
        self.evidence[WORKER_STOPPED] = (
            waiting,
            f"exited {self.seconds:.2f} s after SIGTERM; {waiting} task(s) waiting "
            "when it was started again",
        )
