"""The article walks: wrk asks for each of a range of articles once, every request a page-cache
miss, with the articles' fragments already kept (as after another article's edit) or nothing
kept but the site-wide chrome (an article nobody has asked for yet)."""

import time
from concurrent.futures import ThreadPoolExecutor

from bench.common.client import send

FRAGMENTS = "fragments"
COLD = "cold"
# The misses per second a slice's range is sized for: well above what 2 workers serve, so a
# walk never runs out. A cold miss renders everything, so it needs fewer.
MISSES_PER_SECOND = {FRAGMENTS: 600, COLD: 300}
# As rs_cms/pagecache/middleware.py and fragments.py name their keys (the package cannot be
# imported before Django is set up; tests/test_bench_helpers.py holds them equal).
PAGE_KEY_PREFIX = "pagecache:v4:"
FRAGMENT_KEY_PREFIX = "pagecache:fragment:v1:"
# Django's key function puts a version (and any KEY_PREFIX) before ours.
PAGE_KEYS = f"*{PAGE_KEY_PREFIX}*"
FRAGMENT_KEYS = f"*{FRAGMENT_KEY_PREFIX}*"
# Clients of the warm-up: as many as the server has workers, and one more in flight.
WARM_UP_CLIENTS = 3


def paths_needed(walks, slices, seconds):
    """How many distinct articles the walks want: `slices` ranges each, none repeated."""
    return sum(MISSES_PER_SECOND[walk] * seconds * slices for walk in walks)


def split_ranges(paths, walks, slices, seconds):
    """{walk: [one range of paths per slice]}, all disjoint; shrunk evenly when short."""
    wanted = {walk: MISSES_PER_SECOND[walk] * seconds for walk in walks}
    total = sum(wanted.values()) * slices
    scale = min(1.0, len(paths) / total) if total else 0.0
    ranges, start = {}, 0
    for walk in walks:
        size = int(wanted[walk] * scale)
        ranges[walk] = [paths[start + n * size : start + (n + 1) * size] for n in range(slices)]
        start += size * slices
    return ranges


def count_keys(redis, pattern):
    return sum(1 for _ in redis.scan_iter(match=pattern, count=1000))


def delete_keys(redis, pattern):
    """Deletes the keys matching `pattern`: how many."""
    deleted, batch = 0, []
    for key in redis.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) == 500:
            deleted += redis.delete(*batch)
            batch = []
    if batch:
        deleted += redis.delete(*batch)
    return deleted


class Walks:
    """Each walk page's ranges of articles, handed out one per slice, and the cache set for it."""

    def __init__(self, base_url, redis, ranges, chrome_path, folder):
        self.base_url = base_url
        self.redis = redis
        self.ranges = {walk: list(each) for walk, each in ranges.items()}
        self.chrome_path = chrome_path
        self.folder = folder
        self.made = 0

    def prepare(self, page):
        """The next range's paths file, the cache set for its walk: (file, paths, fragments)."""
        paths = self.ranges[page.walk].pop(0)
        self.made += 1
        paths_file = self.folder / f"walk-{self.made}.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        if page.walk == FRAGMENTS:
            self.warm_up(paths)
            delete_keys(self.redis, PAGE_KEYS)
        else:
            # A running site always has its chrome (the rail, the menus) warm: an uncached
            # slice may have flushed it.
            send(self.base_url, "GET", self.chrome_path)
            # Requests the last slice left queued may still store a fragment: again until none.
            for _ in range(20):
                delete_keys(self.redis, PAGE_KEYS)
                delete_keys(self.redis, FRAGMENT_KEYS)
                time.sleep(0.5)
                if not count_keys(self.redis, FRAGMENT_KEYS):
                    break
        pages = count_keys(self.redis, PAGE_KEYS)
        fragments = count_keys(self.redis, FRAGMENT_KEYS)
        if pages or (page.walk == FRAGMENTS) != bool(fragments):
            raise SystemExit(
                f"{page.label}: {pages} pages and {fragments} fragments kept before its slice"
            )
        return paths_file, len(paths), fragments

    def warm_up(self, paths):
        """Each path asked for once, so its page and fragments are kept."""

        def get(path):
            status, _, _ = send(self.base_url, "GET", path)
            return path, status

        with ThreadPoolExecutor(WARM_UP_CLIENTS) as pool:
            for path, status in pool.map(get, paths):
                if status != 200:
                    raise SystemExit(f"warm-up: GET {path} answered {status}")

    def tidy(self):
        """After a walk: its pages and fragments go, so memory stays bounded."""
        delete_keys(self.redis, PAGE_KEYS)
        delete_keys(self.redis, FRAGMENT_KEYS)
