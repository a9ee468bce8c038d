"""A bench's run and its cleanup, which nothing (Ctrl-C, TERM, HUP, an error) may skip."""

import contextlib
import shutil
import signal
import tempfile
from pathlib import Path


class Run:
    """A bench or drill: run() returns its exit status; cleanups undo whatever it made."""

    def __init__(self, args):
        self.args = args
        self.cleanups = contextlib.ExitStack()

    def scratch_folder(self, prefix):
        """A temporary folder, removed with everything in it at cleanup."""
        folder = Path(tempfile.mkdtemp(prefix=prefix))
        self.cleanups.callback(shutil.rmtree, folder, ignore_errors=True)
        return folder

    def cleanup(self):
        self.cleanups.close()


def raise_exit(signum, frame):
    raise SystemExit(128 + signum)


def stop_on_signals():
    """TERM and HUP end a bench as Ctrl-C does: through its cleanup."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, raise_exit)


def run_and_clean_up(bench, leftovers):
    """bench.run(), then bench.cleanup() whatever stopped it; returns what run() returned."""
    stop_on_signals()
    try:
        return bench.run()
    except KeyboardInterrupt:
        raise SystemExit("interrupted") from None
    finally:
        # A second Ctrl-C must not leave a database or a server behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print(f"cleaning up: {leftovers}")
        bench.cleanup()


def exit_after(bench, leftovers):
    """Exit with the status bench.run() returned (0 for None), once it is cleaned up."""
    raise SystemExit(run_and_clean_up(bench, leftovers))


def add_pg_bin(parser):
    """The option of the benches that make their own PostgreSQL cluster."""
    parser.add_argument("--pg-bin", help="folder of initdb and pg_ctl (default: the newest)")
