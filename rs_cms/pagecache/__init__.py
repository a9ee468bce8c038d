"""The page cache: whole public pages for anonymous readers, and the content generation that
retires them (generation.py, middleware.py).

What the apps that own the content use, and all they use:
- `content_changed(using)` after a change readers could see;
- `changes()` around a workflow that changes several rows, so it moves the generation once;
- `set_schedule(next_change_after, changed_between)` once at start-up: when pages next change
  by themselves, and which tags such changes touched (schedule.py);
- `tag_page()`, `shows()` while a page renders: what it shows, as tags; `tags_changed(tags)`
  after a change, so only the pages showing it are retired (tags.py);
- `read_with_generation()`, `known_generation()` and `next_scheduled_change()` for
  fragments kept beside the pages, under the same generation;
- `hole(name, argument)` for a part filled in whenever the page is served (holes.py), with
  a `Filling` from the filler named in settings.PAGE_CACHE_HOLES;
- `fragment()`, `fragment_batch()` while a page renders: parts of it kept under the tags they show,
  reused while those stay current (fragments.py); `prefetch_fragments()` to read a page's
  fragments in one trip before it renders.
"""

from rs_cms.pagecache.batches import changes
from rs_cms.pagecache.fragments import fragment, fragment_batch
from rs_cms.pagecache.fragments import prefetch as prefetch_fragments
from rs_cms.pagecache.generation import content_changed, known_generation, read_with_generation
from rs_cms.pagecache.holes import Filling, hole
from rs_cms.pagecache.schedule import next_scheduled_change, set_schedule
from rs_cms.pagecache.tags import shows, tag_page, tags_changed

__all__ = [
    "Filling",
    "changes",
    "content_changed",
    "fragment",
    "fragment_batch",
    "hole",
    "known_generation",
    "next_scheduled_change",
    "prefetch_fragments",
    "read_with_generation",
    "set_schedule",
    "shows",
    "tag_page",
    "tags_changed",
]
