"""Confirmation mails against acknowledged signups: none missing, none twice."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class MailTally:
    """Addresses compared case-insensitively."""

    acknowledged: int
    received: int
    missing: list = field(default_factory=list)
    twice: dict = field(default_factory=dict)  # address -> copies received
    unacknowledged: list = field(default_factory=list)

    @property
    def lost_or_doubled(self):
        return bool(self.missing or self.twice)


def mail_tally(acknowledged, recipients):
    """Which acknowledged addresses got no mail, which more than one, which one unasked."""
    # Unasked: mailed though no answer told the client so (a request cut off after the server
    # did its work): not a fault, but shown.
    wanted = {address.lower() for address in acknowledged}
    received = Counter(recipient.lower() for recipient in recipients)
    return MailTally(
        acknowledged=len(wanted),
        received=sum(received.values()),
        missing=sorted(wanted - received.keys()),
        twice={address: count for address, count in sorted(received.items()) if count > 1},
        unacknowledged=sorted(received.keys() - wanted),
    )
