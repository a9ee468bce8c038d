"""Signups timed over HTTP: round-robin over the states, from one thread on one connection."""

import http.client
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from bench.signups.addresses import SIGNUP_PATH, STATES, address


@dataclass
class Timings:
    ms: dict  # state -> each counted request's time
    bodies: dict  # state -> the distinct bodies answered
    connections_opened: int
    requests_sent: int


def time_signups(port, run_id, requests, warmup, cleanups):
    """`warmup` uncounted rounds, then `requests` counted ones, each a signup per state."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cleanups.callback(connection.close)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    timings = {state: [] for state in STATES}
    bodies = {state: set() for state in STATES}
    connections_opened = 0
    rounds = warmup + requests
    for number in range(rounds):
        for state in STATES:
            # A new address is one no row holds yet: made up as the others were prepared.
            body = urlencode({"email": address(state, run_id, number), "source": "/"})
            # http.client reopens by itself when the server closed the connection.
            connections_opened += connection.sock is None
            started = time.perf_counter()
            connection.request("POST", SIGNUP_PATH, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise SystemExit(f"signup ({state}) answered {response.status}")
            if number >= warmup:
                timings[state].append(elapsed * 1000)
                bodies[state].add(content)
    return Timings(timings, bodies, connections_opened, rounds * len(STATES))
