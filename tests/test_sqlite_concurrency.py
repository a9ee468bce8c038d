"""The quick-start database (SQLite, as `make run` sets it up) holds concurrent writers: the web
server's threads and the task worker, each in its own process or connection."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 8
TRANSACTIONS = 25

# Each writer reads, then writes, in one transaction: the pattern that, with SQLite's default
# deferred transactions, fails at once with "database is locked" when another connection has
# written since the read (a busy timeout cannot help: the reader's snapshot is stale).
WRITER = f"""
import os
from django.db import transaction
from newsletter.models import Newsletter, Subscription
newsletter = Newsletter.objects.get(slug="weekly-round-up")
writer = os.environ["WRITER"]
failures = 0
for n in range({TRANSACTIONS}):
    try:
        with transaction.atomic():
            count = Subscription.objects.filter(newsletter=newsletter).count()
            Subscription.objects.create(
                newsletter=newsletter, email=f"w{{writer}}-{{n}}-{{count}}@example.org"
            )
    except Exception as error:
        failures += 1
        print("FAILED:", error)
print("failures", failures)
"""


@pytest.fixture
def sqlite_site(tmp_path):
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SQLITE_BUSY_TIMEOUT": "30",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from newsletter.models import Newsletter; "
            "Newsletter.objects.create(name='The Weekly Round-up', slug='weekly-round-up')",
        ],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=120,
    )
    return environment, tmp_path / "db.sqlite3"


@pytest.mark.timeout(300)
def test_concurrent_writers_wait_their_turn_instead_of_failing(sqlite_site):
    environment, path = sqlite_site
    writers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", WRITER],
            cwd=ROOT,
            env={**environment, "WRITER": str(number)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for number in range(WRITERS)
    ]
    outputs = [writer.communicate(timeout=240)[0] for writer in writers]

    assert [writer.returncode for writer in writers] == [0] * WRITERS, outputs
    assert all(output.strip().endswith("failures 0") for output in outputs), outputs
    with sqlite3.connect(path) as database:
        [(rows,)] = database.execute("SELECT count(*) FROM newsletter_subscription")
        [(journal,)] = database.execute("PRAGMA journal_mode")
    assert rows == WRITERS * TRANSACTIONS
    assert journal == "wal"
