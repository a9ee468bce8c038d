"""Reports of an ongoing fault, at most one a period, with a count of what happened between."""

import math
import threading
import time


class LogThrottle:
    """At most one report a period; the occurrences in between are counted for the next one.
    Shared by the threads of a process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reported_at = -math.inf
        self.unreported = 0

    def due(self, every):
        """(True, occurrences since the last report) when the last was `every` seconds ago or
        more; otherwise (False, 0), and this occurrence is counted for the next one."""
        now = time.monotonic()
        with self.lock:
            if now - self.reported_at < every:
                self.unreported += 1
                return False, 0
            self.reported_at = now
            earlier, self.unreported = self.unreported, 0
            return True, earlier

    def count(self):
        """An occurrence that is never itself a reason to report."""
        with self.lock:
            self.unreported += 1

    def reported(self):
        """A report made regardless of the period (a fault starting): the period starts now."""
        with self.lock:
            self.reported_at = time.monotonic()
            self.unreported = 0

    def forget(self):
        """The fault is over: nothing left to count."""
        with self.lock:
            self.unreported = 0
