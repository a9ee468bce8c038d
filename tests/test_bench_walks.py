"""The site bench's article walks (bench/pages/walks.py): ranges of articles, the cache keys it
deletes, what wrk's walk prints, and the report that keeps the other benchmarks' sections."""

import fnmatch
import math

from bench.common.markdown import other_sections
from bench.pages import walks
from bench.pages.report import miss_share
from bench.pages.slices import Slice
from bench.pages.walks import COLD, FRAGMENTS, delete_keys, paths_needed, split_ranges
from bench.pages.wrk import LUA_WALK, parse_walk
from rs_cms.pagecache import fragments, middleware


def test_every_slice_of_every_walk_gets_its_own_articles():
    paths = [f"/s/{n}/" for n in range(10_000)]

    ranges = split_ranges(paths, (FRAGMENTS, COLD), slices=3, seconds=2)

    assert [len(each) for each in ranges[FRAGMENTS]] == [1200] * 3
    assert [len(each) for each in ranges[COLD]] == [600] * 3
    walked = [path for each in (*ranges[FRAGMENTS], *ranges[COLD]) for path in each]
    assert len(walked) == len(set(walked)) == paths_needed((FRAGMENTS, COLD), 3, 2)


def test_too_few_articles_shrink_every_range_alike_and_stay_disjoint():
    paths = [f"/s/{n}/" for n in range(900)]

    ranges = split_ranges(paths, (FRAGMENTS, COLD), slices=2, seconds=1)

    # 1,800 wanted from 900: each range half the size it wanted.
    assert [len(each) for each in ranges[FRAGMENTS]] == [300, 300]
    assert [len(each) for each in ranges[COLD]] == [150, 150]
    walked = [path for each in (*ranges[FRAGMENTS], *ranges[COLD]) for path in each]
    assert len(walked) == len(set(walked))


def test_the_bench_deletes_the_keys_the_page_cache_writes():
    assert middleware.PAGE_KEY_PREFIX == walks.PAGE_KEY_PREFIX
    assert fragments.FRAGMENT_KEY_PREFIX == walks.FRAGMENT_KEY_PREFIX


class FakeRedis:
    def __init__(self, keys):
        self.keys = set(keys)

    def scan_iter(self, match, count):
        return iter([key for key in sorted(self.keys) if fnmatch.fnmatchcase(key, match)])

    def delete(self, *keys):
        found = self.keys & set(keys)
        self.keys -= found
        return len(found)


def test_deleting_pages_keeps_fragments_tag_versions_and_the_chrome():
    redis = FakeRedis(
        [
            ":1:pagecache:v4:abc",
            ":1:pagecache:v4:def",
            ":1:pagecache:fragment:v1:body:123",
            ":1:pagecache:generation",
            ":1:pagecache:tag:article:7",
            ":1:chrome:rail",
        ]
    )

    assert delete_keys(redis, walks.PAGE_KEYS) == 2

    assert redis.keys == {
        ":1:pagecache:fragment:v1:body:123",
        ":1:pagecache:generation",
        ":1:pagecache:tag:article:7",
        ":1:chrome:rail",
    }


def test_walk_counts_are_read_from_the_line_its_lua_prints():
    output = 'BENCH {"requests": 10}\nWALK {"answered": 900, "misses": 897, "wraps": 0}\nother\n'

    assert parse_walk(output) == {"answered": 900, "misses": 897, "wraps": 0}
    assert parse_walk('BENCH {"requests": 10}\n') == {}
    # The walk prints the summary line too, and counts the page cache's answers.
    assert "summary_line(summary, latency)" in LUA_WALK
    assert 'headers["X-Page-Cache"]' in LUA_WALK


def test_miss_share_counts_answers_over_all_slices_of_a_walk():
    slices = [
        Slice("article-miss", 1, 100, 1.0, 1.0, 2.0, answered=100, misses=100),
        Slice("article-miss", 1, 300, 1.0, 1.0, 2.0, answered=300, misses=290),
    ]

    assert miss_share(slices) == 390 / 400
    assert math.isnan(miss_share([]))


def test_rewriting_the_site_figures_keeps_the_newsroom_workload_section():
    document = (
        "# Performance\n\n## Results\n\n| a |\n\n## Misses on the article walks\n\n| b |\n\n"
        "## How it is measured\n\n- Server.\n\n## Newsroom workload\n\n| edits | 3 |\n"
    )

    kept = other_sections(
        document, {"Results", "Misses on the article walks", "How it is measured"}
    )

    assert kept == ["## Newsroom workload\n\n| edits | 3 |\n"]
