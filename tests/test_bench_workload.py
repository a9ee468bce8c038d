"""The newsroom workload bench's arithmetic (bench/workload.py): Zipf shares, merged percentiles,
ratios to the static slices around a phase, wrk's and the editor's output, the report's
place in docs/performance.md."""

import json
import math

import pytest

from bench.common.markdown import other_sections, replace_section
from bench.pages.slices import STATIC, Slice
from bench.workloads.editor import count_actions
from bench.workloads.figures import (
    NEW,
    OLD,
    Phase,
    cpu_over_static,
    merged_percentile,
    miss_share,
    old_over_new,
    phase_seed,
    statics_around,
    zipf_top_share,
)
from bench.workloads.traffic import LUA_READERS, QUANTILES, parse_readers, quantile


def make_phase(design, number, requests, cpu_seconds, misses=0, quantiles=()):
    return Phase(
        design,
        number,
        requests=requests,
        seconds=60.0,
        misses=misses,
        hits=requests - misses,
        app_s=cpu_seconds * 0.75,
        db_s=cpu_seconds * 0.25,
        quantiles=list(quantiles),
    )


def make_static(number, requests, cpu_seconds):
    return Slice(STATIC, number, requests, 15.0, 1.0, 2.0, app_s=cpu_seconds)


def test_zipf_with_exponent_one_gives_rank_one_twice_rank_two():
    first = zipf_top_share(1000, 1.0, 1)
    two = zipf_top_share(1000, 1.0, 2)

    assert two - first == pytest.approx(first / 2)
    assert zipf_top_share(1000, 1.0, 1000) == pytest.approx(1.0)


def test_a_steeper_zipf_gives_the_top_stories_more_views():
    assert zipf_top_share(100_000, 1.2, 10) > zipf_top_share(100_000, 1.0, 10)


def test_each_abba_pair_sees_one_request_stream_and_warmups_another():
    assert [phase_seed(n) for n in (1, 2, 3, 4)] == [1, 1, 2, 2]


def test_miss_share_counts_misses_among_all_requests():
    phases = [make_phase(NEW, 1, 1000, 1.0, misses=100), make_phase(NEW, 4, 3000, 1.0, misses=0)]

    assert miss_share(phases) == pytest.approx(100 / 4000)
    assert math.isnan(miss_share([]))


def test_a_phase_is_divided_by_the_static_slices_right_before_and_after_it():
    statics = [make_static(n, 1000, cpu) for n, cpu in enumerate([0.2, 0.4, 0.6, 0.8, 1.0], 1)]

    assert statics_around(statics, [1]) == statics[0:2]
    assert statics_around(statics, [2, 3]) == statics[1:4]
    assert statics_around(statics, [1, 4]) == [statics[0], statics[1], statics[3], statics[4]]
    # Phase 2: 1 s over 100 requests, 10 ms; statics 2 and 3: 1 s over 2000, 0.5 ms.
    assert cpu_over_static([make_phase(OLD, 2, 100, 1.0)], statics) == pytest.approx(20)


def test_old_over_new_over_all_phases_and_per_abba_pair():
    phases = [
        make_phase(NEW, 1, 1000, 1.0),
        make_phase(OLD, 2, 1000, 6.0),
        make_phase(OLD, 3, 1000, 4.0),
        make_phase(NEW, 4, 1000, 1.0),
    ]

    overall, pairs = old_over_new(phases)

    assert overall == pytest.approx(5.0)
    assert pairs == [pytest.approx(6.0), pytest.approx(4.0)]


def test_merged_percentile_weighs_each_phase_by_its_requests():
    fast = [(p, 1.0) for p in QUANTILES]
    slow = [(p, 9.0) for p in QUANTILES]
    # Three quarters of the requests were fast: the median is fast, the 99th slow.
    phases = [
        make_phase(NEW, 1, 3000, 1.0, quantiles=fast),
        make_phase(NEW, 4, 1000, 1.0, quantiles=slow),
    ]

    assert merged_percentile(phases, 50) == 1.0
    assert merged_percentile(phases, 99) == 9.0
    assert merged_percentile(phases[:1], 99) == 1.0


def test_merged_percentile_of_one_phase_is_its_own():
    quantiles = [(p, p / 10) for p in QUANTILES]

    assert merged_percentile([make_phase(NEW, 1, 500, 1.0, quantiles=quantiles)], 99) == 9.9
    assert math.isnan(merged_percentile([make_phase(NEW, 1, 0, 0.0)], 50))


def test_the_lua_script_reports_every_quantile_the_report_reads():
    assert {50, 99} <= set(QUANTILES)
    assert max(QUANTILES) < 100
    assert "{QUANTILES}" not in LUA_READERS
    assert 'thread:get("misses")' in LUA_READERS


def test_readers_summary_is_parsed_into_counts_and_milliseconds():
    output = (
        "Running 1m test @ http://127.0.0.1:8000/\n"
        'WORKLOAD {"requests": 12000, "duration_us": 60000000, "hits": 9000, "misses": 2990, '
        '"uncached": 10, "socket_errors": 0, "status_errors": 1}\n'
        "QUANTILES [[50, 4200], [99, 81500]]\n"
    )

    summary = parse_readers(output)

    assert summary["seconds"] == 60.0
    assert (summary["hits"], summary["misses"], summary["uncached"]) == (9000, 2990, 10)
    assert quantile(summary["quantiles"], 50) == pytest.approx(4.2)
    assert quantile(summary["quantiles"], 99) == pytest.approx(81.5)


def test_readers_without_a_request_have_no_latency_rather_than_zero():
    output = (
        'WORKLOAD {"requests": 0, "duration_us": 1000000, "hits": 0, "misses": 0, '
        '"uncached": 0, "socket_errors": 3, "status_errors": 0}\nQUANTILES [[50, 0]]\n'
    )

    assert math.isnan(quantile(parse_readers(output)["quantiles"], 50))


def test_readers_output_without_the_summary_is_an_error():
    with pytest.raises(ValueError, match="no workload summary"):
        parse_readers("unable to connect to 127.0.0.1:8000 Connection refused\n")


def test_the_editor_counts_only_what_it_did_inside_the_measured_minutes():
    lines = [
        {"action": "ready", "at": 90.0},
        {"action": "save", "at": 95.0, "article": 1, "ms": 40.0},
        {"action": "save", "at": 105.0, "article": 2, "ms": 40.0},
        {"action": "publish", "at": 110.0, "article": 3, "ms": 90.0},
        {"action": "save", "at": 170.0, "article": 4, "ms": 40.0},
    ]
    log = "Django says hello\n" + "\n".join(json.dumps(line) for line in lines) + "\n"

    assert count_actions(log, 100.0, 160.0) == {"save": 1, "publish": 1}


DOCUMENT = (
    "# Performance\n\n> A note.\n\nIntro.\n\n## Machine\n\n- CPU\n\n"
    "## Newsroom workload\n\nOld figures.\n\n### Targets\n\n| a |\n\n"
    "## Task queue backends\n\nText.\n"
)


def test_the_workload_section_replaces_its_last_run_in_place_keeping_the_rest():
    text = replace_section(DOCUMENT, "Newsroom workload", "## Newsroom workload\n\nNew.\n")

    assert text == (
        "# Performance\n\n> A note.\n\nIntro.\n\n## Machine\n\n- CPU\n\n"
        "## Newsroom workload\n\nNew.\n\n## Task queue backends\n\nText.\n"
    )


def test_the_workload_section_is_appended_when_the_file_has_none():
    document = "# Performance\n\n## Machine\n\n- CPU\n"

    text = replace_section(document, "Newsroom workload", "## Newsroom workload\n\nNew.\n")

    assert text == "# Performance\n\n## Machine\n\n- CPU\n\n## Newsroom workload\n\nNew.\n"
    assert replace_section("", "Newsroom workload", "## Newsroom workload\n") == (
        "## Newsroom workload\n"
    )


def test_the_site_bench_keeps_the_workload_section_with_its_subsections():
    kept = other_sections(DOCUMENT, {"Machine", "Results", "How it is measured"})

    assert kept == [
        "## Newsroom workload\n\nOld figures.\n\n### Targets\n\n| a |\n",
        "## Task queue backends\n\nText.\n",
    ]
