"""The SQL of one signup per state, in-process: the same statements whatever the state."""

import re

from bench.signups.addresses import SIGNUP_PATH, STATES, address


def statement_shape(sql):
    """A statement with its literals (strings, numbers) replaced by ?: what, not which row."""
    shape = re.sub(r"'(?:[^']|'')*'", "?", sql)
    shape = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", "?", shape)
    return " ".join(shape.split())


def statement_kind(sql):
    """A statement's verb and first table, e.g. `INSERT newsletter_subscription`."""
    words = sql.split()
    verb = words[0].upper() if words else ""
    table = re.search(r'\b(?:INTO|FROM|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
    return f"{verb} {table.group(1)}" if table else verb


def count_statements(run_id, number):
    """(SQL by state, whether every state ran the same shapes), after a warm-up signup."""
    # Imported once the bench has set Django up.
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    # The first request of a process fills caches (the site chrome, the newsletter): not
    # what a signup costs.
    client.post(SIGNUP_PATH, {"email": f"warm-{run_id}@example.org", "source": "/"})
    statements = {}
    for state in STATES:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                SIGNUP_PATH, {"email": address(state, run_id, number), "source": "/"}
            )
        if response.status_code != 200:
            raise SystemExit(f"in-process signup ({state}) answered {response.status_code}")
        statements[state] = [query["sql"] for query in captured]
    shapes = {state: [statement_shape(sql) for sql in statements[state]] for state in STATES}
    return statements, all(shapes[state] == shapes[STATES[0]] for state in STATES)
