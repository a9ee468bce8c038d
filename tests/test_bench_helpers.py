"""The benchmark's arithmetic (bench/site.py): CPU accounting, wrk's summary, ABBA pairing; the
signup benchmark's comparison of states and the fault drill's accounting of mail."""

import math

import pytest

from bench.common.markdown import other_sections
from bench.common.processes import ProcStat, parse_proc_stat
from bench.common.stats import percentile
from bench.drill.tally import mail_tally
from bench.pages.cpu import accept_queue, tree_ticks
from bench.pages.report import verdict
from bench.pages.slices import (
    STATIC,
    Slice,
    abba_ratios,
    cpu_ms_per_request,
    requests_per_second,
    round_ratios,
    round_schedule,
)
from bench.pages.wrk import parse_wrk
from bench.signups.report import spread, within
from bench.signups.statements import statement_kind, statement_shape

# A real /proc/<pid>/stat line, with a command name that holds spaces and parentheses.
STAT_LINE = (
    "4242 (gunicorn: (master) x) S 1 4242 4242 0 -1 4194560 52069 130277 0 0 "
    "1234 567 89 10 20 0 1 0 123456 300000000 12000 18446744073709551615 0 0 0 0 0 0 0 "
    "16781312 134235650 0 0 0 17 1 0 0 0 0 0\n"
)


def test_proc_stat_fields_are_read_after_the_command_name():
    stat = parse_proc_stat(STAT_LINE)

    assert stat == ProcStat(ppid=1, utime=1234, stime=567, cutime=89, cstime=10)


def test_tree_ticks_count_live_workers_and_the_ones_already_reaped():
    master = ProcStat(ppid=1, utime=10, stime=5, cutime=300, cstime=40)
    workers = [
        ProcStat(ppid=42, utime=1000, stime=200, cutime=7, cstime=7),
        ProcStat(ppid=42, utime=500, stime=100, cutime=0, cstime=0),
    ]

    # The workers' own children are not gunicorn's: their cutime is left out.
    assert tree_ticks(master, workers) == 10 + 5 + 300 + 40 + 1200 + 600


def test_wrk_summary_line_is_parsed_into_milliseconds():
    output = (
        "Running 3s test @ http://127.0.0.1:8000/\n  1 threads and 16 connections\n"
        'BENCH {"requests": 900, "duration_us": 3000000, "bytes": 27000000, "p50_us": 48123, '
        '"p90_us": 70000, "p99_us": 91500, "socket_errors": 2, "status_errors": 0}\n'
    )

    stats = parse_wrk(output)

    assert stats["requests"] == 900
    assert stats["seconds"] == 3.0
    assert stats["p50_ms"] == pytest.approx(48.123)
    assert stats["p99_ms"] == pytest.approx(91.5)
    assert stats["socket_errors"] == 2


def test_a_slice_where_no_request_completed_has_no_latency_rather_than_zero():
    output = (
        'BENCH {"requests": 0, "duration_us": 2000000, "bytes": 0, "p50_us": 0, '
        '"p90_us": 0, "p99_us": 0, "socket_errors": 0, "status_errors": 0}\n'
    )

    stats = parse_wrk(output)

    assert math.isnan(stats["p50_ms"])
    assert verdict(stats["p50_ms"], "<", 100) == "n/a"


def test_wrk_output_without_the_summary_line_is_an_error():
    with pytest.raises(ValueError, match="no summary"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused\n")


def make_slice(page, number, requests, cpu_seconds, seconds=1.0):
    return Slice(
        page, number, requests, seconds, 1.0, 2.0, app_s=cpu_seconds * 0.8, db_s=cpu_seconds * 0.2
    )


def test_cpu_per_request_sums_gunicorn_and_postgresql_over_all_requests():
    slices = [make_slice("article", 1, 100, 1.0), make_slice("article", 1, 300, 1.0)]

    assert cpu_ms_per_request(slices) == pytest.approx(2000 / 400)
    assert requests_per_second(slices) == pytest.approx(200)


def test_schedule_flanks_every_page_pair_with_static_slices_and_alternates_the_order():
    schedule = round_schedule(["a", "b"], 2)

    assert schedule == [
        (STATIC, 1), ("a", 1), ("a", 1), (STATIC, 1), ("b", 1), ("b", 1), (STATIC, 1),
        (STATIC, 2), ("b", 2), ("b", 2), (STATIC, 2), ("a", 2), ("a", 2), (STATIC, 2),
    ]  # fmt: skip


def test_abba_ratio_compares_each_pair_with_the_static_slices_around_it():
    slices = [
        make_slice(STATIC, 1, 1000, 0.4),
        make_slice("a", 1, 100, 1.0),
        make_slice("a", 1, 100, 1.0),
        make_slice(STATIC, 1, 1000, 0.6),
        make_slice("b", 1, 50, 1.0),
        make_slice("b", 1, 50, 1.0),
        make_slice(STATIC, 1, 1000, 0.5),
    ]

    # a: 10 ms per request against (0.4 + 0.6) s over 2000 requests, 0.5 ms.
    assert abba_ratios(slices, "a", cpu_ms_per_request) == [pytest.approx(20)]
    # b: 20 ms against (0.6 + 0.5) s over 2000 requests, 0.55 ms: only its own neighbours count.
    assert abba_ratios(slices, "b", cpu_ms_per_request) == [pytest.approx(20 / 0.55)]
    assert abba_ratios(slices, "a", requests_per_second) == [pytest.approx(0.1)]


def test_a_pair_without_a_static_slice_on_both_sides_gives_no_ratio():
    slices = [make_slice("a", 1, 100, 1.0), make_slice(STATIC, 1, 1000, 0.5)]

    assert abba_ratios(slices, "a", cpu_ms_per_request) == []


def test_round_ratios_compare_two_pages_within_each_round():
    slices = [
        make_slice("home", 1, 100, 2.0),
        make_slice("article", 1, 100, 1.0),
        make_slice("home", 2, 100, 3.0),
        make_slice("article", 2, 100, 2.0),
        make_slice("home", 3, 100, 3.0),
    ]

    assert round_ratios(slices, "home", "article", cpu_ms_per_request) == [
        pytest.approx(2.0),
        pytest.approx(1.5),
    ]


@pytest.mark.parametrize(
    ("value", "op", "limit", "expected"),
    [
        (12.9, "<=", 13, "PASS"),
        (13.0, "<=", 13, "PASS"),
        (13.1, "<=", 13, "MISS"),
        (100.0, "<", 100, "MISS"),
        (0.1, ">=", 0.1, "PASS"),
        (0.09, ">=", 0.1, "MISS"),
        (math.nan, "<=", 13, "n/a"),
    ],
)
def test_verdict_reports_pass_miss_or_nothing_to_judge(value, op, limit, expected):
    assert verdict(value, op, limit) == expected


PROC_NET_TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 1 1
   1: 0100007F:1F91 00000000:0000 0A 00000000:00000007 00:00000000 00000000     0        0 2 1
   2: 0100007F:1F90 0100007F:C350 01 00000000:00000040 00:00000000 00000000     0        0 3 1
"""


def test_accept_queue_is_read_from_the_listening_socket_of_the_port():
    # 0x1F90 is 8080; the established connection on the same port does not count.
    assert accept_queue(PROC_NET_TCP, 8080) == 3
    assert accept_queue(PROC_NET_TCP, 8081) == 7
    assert accept_queue(PROC_NET_TCP, 9000) == 0


def test_percentile_is_the_nearest_rank():
    values = [5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0]

    assert percentile(values, 0.5) == 5.0
    assert percentile(values, 0.9) == 9.0
    assert percentile(values, 1.0) == 10.0
    assert percentile([42.0], 0.9) == 42.0
    assert math.isnan(percentile([], 0.9))


@pytest.mark.parametrize(
    ("medians", "expected"),
    [
        ([10.0, 10.5, 11.0, 10.2], True),  # 11 over 10: exactly 10 %
        ([10.0, 10.5, 11.01, 10.2], False),
        ([7.3, 7.3, 7.3, 7.3], True),
    ],
)
def test_signup_medians_must_lie_within_the_tolerance_of_each_other(medians, expected):
    assert spread(medians) == pytest.approx(max(medians) / min(medians))
    assert within(medians, 0.10) is expected


def test_statement_shape_hides_literals_but_keeps_what_was_asked():
    new = (
        'INSERT INTO "newsletter_subscription" ("newsletter_id", "email", "created_at") '
        "VALUES (1, 'new-1@example.org', '2026-12-07T16:00:00+00:00'::timestamptz) "
        "ON CONFLICT DO NOTHING"
    )
    confirmed = new.replace("new-1@", "o''brien-22@").replace("(1,", "(12,")
    other = new.replace(" ON CONFLICT DO NOTHING", "")

    assert statement_shape(new) == statement_shape(confirmed)
    assert statement_shape(new) != statement_shape(other)
    assert "?::timestamptz" in statement_shape(new)
    assert '"newsletter_subscription"' in statement_shape(new)
    assert statement_kind(new) == "INSERT newsletter_subscription"
    assert statement_kind("COMMIT") == "COMMIT"


def test_mail_tally_finds_the_missing_the_doubled_and_the_unasked():
    acknowledged = ["a@example.org", "B@example.org", "c@example.org"]
    recipients = ["a@example.org", "b@example.org", "b@example.org", "x@example.org"]

    tally = mail_tally(acknowledged, recipients)

    assert tally.acknowledged == 3
    assert tally.received == 4
    assert tally.missing == ["c@example.org"]
    assert tally.twice == {"b@example.org": 2}
    assert tally.unacknowledged == ["x@example.org"]
    assert tally.lost_or_doubled


def test_mail_tally_of_one_mail_each_is_clean():
    tally = mail_tally(["a@example.org", "b@example.org"], ["B@example.org", "a@example.org"])

    assert not tally.lost_or_doubled
    assert tally.unacknowledged == []


def test_rewriting_the_site_figures_keeps_the_other_benchmarks_sections():
    document = (
        "# Performance\n\nIntro.\n\n## Machine\n\n- CPU\n\n## Results\n\n| a |\n\n"
        "## How it is measured\n\n- Server.\n\n## Newsletter signup by address state\n\n"
        "| new | 7.1 |\n\n### Statements\n\n- 5\n\n## Task queue backends\n\nText.\n"
    )

    kept = other_sections(document, {"Machine", "Results", "How it is measured"})

    assert kept == [
        "## Newsletter signup by address state\n\n| new | 7.1 |\n\n### Statements\n\n- 5\n",
        "## Task queue backends\n\nText.\n",
    ]
