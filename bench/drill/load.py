"""Readers and subscribers under a fault: client threads, and every request's outcome."""

import itertools
import threading
import time
from urllib.parse import urlencode

from bench.drill.outcomes import KINDS, Result, classify, request, slug


class Load:
    """Rounds of load from --clients threads, each round failing one thing a third of the way in."""

    def __init__(self, stack):
        self.stack = stack
        self.results = []
        self.results_lock = threading.Lock()
        self.acknowledged = []  # signup addresses answered with success
        self.events = {}  # round -> (fault started, fault over)

    def client(self, number, drill, stop):
        stack = self.stack
        counter = itertools.count()
        kinds = itertools.cycle(KINDS[number % len(KINDS) :] + KINDS[: number % len(KINDS)])
        while not stop.is_set():
            n = next(counter)
            kind = next(kinds)
            page = stack.pages[(n + number) % len(stack.pages)]
            started, wall = time.monotonic(), time.time()
            email = ""
            if kind == "page, cacheable":
                status, body, cached = request(stack.base_url, "GET", page)
            elif kind == "page, uncached":
                # The page cache takes no address with a parameter no page reads.
                path = f"{page}?drill={stack.run_id}-{number}-{n}"
                status, body, cached = request(stack.base_url, "GET", path)
            else:
                email = f"drill-{stack.run_id}-{slug(drill)}-{number}-{n}@example.org"
                form = urlencode({**stack.signup_fields, "email": email, "source": page})
                status, body, cached = request(stack.base_url, "POST", stack.signup_path, form)
            outcome = classify(status, body)
            result = Result(
                drill,
                kind,
                started,
                outcome,
                str(status or body.decode()),
                cached,
                time.monotonic() - started,
                wall,
            )
            with self.results_lock:
                self.results.append(result)
                if email and outcome == "served":
                    self.acknowledged.append(email)

    def run_round(self, name, stop_service, start_service, seconds, outage):
        """Load for `seconds`; the service stops a third of the way in, for `outage` seconds."""
        stack = self.stack
        stop = threading.Event()
        threads = [
            threading.Thread(target=self.client, args=(number, name, stop), daemon=True)
            for number in range(stack.args.clients)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(seconds / 3)
        stack.say(f"{name}: failing it under load")
        fault_started = time.monotonic()
        stop_service()
        time.sleep(outage)
        stack.say(f"{name}: restoring it")
        start_service()
        fault_over = time.monotonic()
        self.events[name] = (fault_started, fault_over)
        time.sleep(max(seconds - (fault_over - began), stack.args.grace + 5))
        stop.set()
        for thread in threads:
            thread.join()
        stack.check_worker(name)

    def window(self, result):
        """When `result`'s request was sent: before, during or after its round's fault."""
        fault_started, fault_over = self.events[result.drill]
        if result.started < fault_started:
            return "before"
        return "during" if result.started < fault_over else "after"
