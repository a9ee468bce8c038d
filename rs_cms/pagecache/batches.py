"""One workflow, one move: the content changes and tag changes made inside a changes() block
(signals and all) are applied once, at its end, and once more at the commit."""

from contextlib import contextmanager

from rs_cms.pagecache.generation import move_now_and_at_commit, pending
from rs_cms.pagecache.tags import move_now_and_at_commit as move_tags_now_and_at_commit


@contextmanager
def changes():
    """Collect the changes made inside the block into one move of the generation (and of each
    changed tag) at its end, and one at the commit."""
    pending.batches += 1
    try:
        yield
    finally:
        pending.batches -= 1
        if not pending.batches:
            aliases, pending.batched = pending.batched, set()
            changed, pending.batched_tags = pending.batched_tags, {}
            for alias in sorted(aliases):
                move_now_and_at_commit(alias)
            for alias, names in sorted(changed.items()):
                move_tags_now_and_at_commit(names, alias)
