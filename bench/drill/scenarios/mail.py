"""The rounds where readers must notice nothing: the mail server silent, refusing, slow."""

import re

SILENT_SERVER = "mail server silent"
REFUSING_SERVER = "mail server refusing"
SLOW_SERVER = "mail server slow"
# The worker's warning for a try the mail server refused (its traceback follows it).
REFUSED_TRY = re.compile(r"Confirmation mail to subscription \d+ failed on try \d+ \(.*refused")


class MailFaults:
    """What each mail round puts in the inbox's place, and the proof the worker met it."""

    def __init__(self, stack, evidence, slow_reply):
        self.stack = stack
        # Round -> (how often the fault was met, that said in words).
        self.evidence = evidence
        self.slow_reply = slow_reply

    def rounds(self):
        """(name, fail, restore) of each round."""
        return [
            (SILENT_SERVER, self.stack.silence_mail, self.restore_after_silence),
            (REFUSING_SERVER, self.refuse, self.restore_after_refusal),
            (SLOW_SERVER, self.slow_down, self.restore_speed),
        ]

    def restore_after_silence(self):
        met = self.stack.unsilence_mail()
        self.evidence[SILENT_SERVER] = (met, f"{met} connection(s) from the worker met silence")

    def refused_tries(self):
        return len(REFUSED_TRY.findall(self.stack.worker_log.read_text(errors="replace")))

    def refuse(self):
        self.refused_before = self.refused_tries()
        self.stack.mail_server.stop()

    def restore_after_refusal(self):
        self.stack.mail_server.start()
        met = self.refused_tries() - self.refused_before
        self.evidence[REFUSING_SERVER] = (met, f"{met} try(s) refused, by the worker's log")

    def slow_down(self):
        self.slow_since = len(self.stack.inbox.messages)
        self.stack.inbox.delay = self.slow_reply

    def restore_speed(self):
        self.stack.inbox.delay = 0.0
        met = len(self.stack.inbox.messages) - self.slow_since
        self.evidence[SLOW_SERVER] = (
            met,
            f"{met} message(s) taken {self.slow_reply:g} s after their data",
        )
