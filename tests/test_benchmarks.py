"""The pure parts of the benchmark: wrk output, the Lua plan, the schedule, the ratios, the
RESULT line, the goals, and the generated bank the loader benchmark reads."""

import re
import tomllib
from io import BytesIO

import pytest
from django.http.multipartparser import MultiPartParser

from benchmarks.goals import (
    GOALS_PATH,
    Goals,
    compare_http,
    compare_quick,
    load_goals,
    render_goals,
)
from benchmarks.loader import write_bank
from benchmarks.pages import (
    ANSWER_CONTENT_TYPE,
    PAGES_BY_NAME,
    TARGET_PAGES,
    answer_body,
    is_success,
)
from benchmarks.report import Run, result_line, schedule, summarize
from benchmarks.wrk import WrkResult, lua_literal, parse_wrk_output, plan_source
from quizzes.banks import read_banks

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:40123
  16 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.10ms    5.01ms  60.00ms   80.00%
  3000 requests in 5.00s, 60.00MB read
Requests/sec:    600.00
WRK_RESULT requests=3000 duration_us=5000000 ok=2990 bad=10 connect=0 read=2 write=0 \
status=10 timeout=1 p50_us=20500 p90_us=30000 p99_us=48250 max_us=60000 first_bad=302
"""

RESULT_PATTERN = re.compile(
    r"^RESULT item=\d+\.\d\d autosave=\d+\.\d\d result=\d+\.\d\d history=\d+\.\d\d "
    r"dashboard=(\d+\.\d\d|skipped) p99_item_ms=\d+ p99_autosave_ms=\d+ errors=\d+$"
)


def wrk_result(ok_per_second: float, *, p99_ms: float = 10.0, bad: int = 0) -> WrkResult:
    return WrkResult(
        requests=int(ok_per_second * 5) + bad,
        duration_s=5.0,
        ok=int(ok_per_second * 5),
        bad=bad,
        socket_errors=0,
        p50_ms=p99_ms / 2,
        p90_ms=p99_ms * 0.8,
        p99_ms=p99_ms,
        max_ms=p99_ms * 2,
        first_bad="-" if not bad else "409",
    )


def runs_for(pages_and_rates: list[tuple[str, float]]) -> list[Run]:
    return [Run(i, page, wrk_result(rate)) for i, (page, rate) in enumerate(pages_and_rates)]


def test_wrk_output_is_read_from_the_result_line():
    result = parse_wrk_output(WRK_OUTPUT)

    assert result.ok == 2990
    assert result.bad == 10
    assert result.socket_errors == 3  # read + timeout; status errors are already in "bad"
    assert result.errors == 13
    assert result.ok_per_second == pytest.approx(598.0)
    assert result.p99_ms == pytest.approx(48.25)
    assert result.first_bad == "302"


def test_wrk_output_without_the_result_line_is_an_error():
    with pytest.raises(ValueError, match="WRK_RESULT"):
        parse_wrk_output("Requests/sec: 100\n")


def test_lua_literals_escape_strings_and_nest():
    assert lua_literal('say "hi"\\\n') == '"say \\"hi\\"\\\\\\n"'
    assert lua_literal({"a": [1, True, None]}) == '{["a"] = {1, true, nil}}'


def test_plan_source_is_a_lua_chunk_with_every_client():
    source = plan_source(
        method="POST",
        marker='"saved": true',
        base_sequence=10,
        headers={"X-Forwarded-Proto": "https"},
        clients=[{"headers": {"Cookie": "sessionid=x"}, "requests": [{"path": "/a/"}]}],
    )

    assert source.startswith("return {")
    assert '["marker"] = "\\"saved\\": true"' in source
    assert '["path"] = "/a/"' in source


def test_schedule_puts_every_target_between_two_baselines():
    order = schedule(["item", "autosave"], rounds=2)

    assert order == [
        "baseline", "item", "baseline", "autosave",
        "baseline", "item", "baseline", "autosave", "baseline",
    ]  # fmt: skip


def test_ratio_compares_a_run_with_the_baselines_beside_it():
    runs = runs_for([("baseline", 1000), ("item", 150), ("baseline", 2000), ("item", 300)])
    # The last item run has only one baseline beside it (the one before).
    summaries = {s.page: s for s in summarize(runs, {})}

    # (150 / 1500 + 300 / 2000) / 2
    assert summaries["item"].ratio == pytest.approx(0.125)
    assert summaries["baseline"].ratio == 1.0


def test_errors_and_worst_p99_are_summed_and_kept():
    runs = [
        Run(0, "baseline", wrk_result(1000)),
        Run(1, "autosave", wrk_result(200, p99_ms=30, bad=2)),
        Run(2, "baseline", wrk_result(1000)),
        Run(3, "autosave", wrk_result(220, p99_ms=70, bad=1)),
        Run(4, "baseline", wrk_result(1000)),
    ]
    autosave = next(s for s in summarize(runs, {}) if s.page == "autosave")

    assert autosave.errors == 3
    assert autosave.p99_ms == 70


def test_result_line_has_the_issue_format():
    runs = runs_for(
        [("baseline", 1000)]
        + [(page.name, 100) for page in TARGET_PAGES for _ in (0,)]
        + [("baseline", 1000)]
    )
    line = result_line(summarize(runs, {}))

    assert RESULT_PATTERN.match(line), line
    assert line.endswith("errors=0")


def test_result_line_says_when_the_dashboard_was_skipped():
    pages = [p.name for p in TARGET_PAGES if p.name != "dashboard"]
    runs = runs_for([("baseline", 1000), *[(name, 100) for name in pages], ("baseline", 1000)])
    line = result_line(summarize(runs, {"dashboard": "no cohorts app yet"}))

    assert RESULT_PATTERN.match(line), line
    assert "dashboard=skipped" in line


def test_success_needs_a_200_and_the_marker():
    item = PAGES_BY_NAME["item"]

    assert is_success(item, 200, '<form id="answer-form">')
    assert not is_success(item, 200, "<form>login</form>")
    assert not is_success(item, 302, '<form id="answer-form">')


def test_answer_body_is_the_multipart_form_the_page_script_posts():
    body = answer_body("b", 12).encode()
    meta = {"CONTENT_TYPE": ANSWER_CONTENT_TYPE, "CONTENT_LENGTH": str(len(body))}

    fields, _ = MultiPartParser(meta, BytesIO(body), [], "utf-8").parse()

    assert fields.dict() == {"choice": "b", "sequence": "12"}


def test_quick_check_fails_only_over_twice_the_recorded_ratio():
    goals = Goals(quick_ratio={"item": 10.0, "history": 20.0}, check_factor=2.0)
    verdicts = {v.subject: v for v in compare_quick({"item": 20.0, "history": 41.0}, goals)}

    assert verdicts["item"].passed is True
    assert verdicts["history"].passed is False


def test_quick_check_without_a_recorded_ratio_reports_only():
    (verdict,) = compare_quick({"dashboard": 300.0}, Goals())

    assert verdict.passed is None


def test_http_targets_are_met_or_missed():
    goals = Goals(http_ratio={"item": 0.12}, http_p99_ms={"item": 50}, http_errors=0)
    verdicts = compare_http({"item": 0.10}, {"item": 40.0}, 0, goals)

    assert [v.passed for v in verdicts] == [False, True, True]


def test_goals_file_names_every_measured_page():
    goals = load_goals()

    assert set(goals.http_ratio) == {page.name for page in TARGET_PAGES}
    assert set(goals.http_p99_ms) == {"item", "autosave"}
    assert goals.check_factor == 2.0


def test_rendered_goals_read_back_the_same(tmp_path):
    goals = Goals(
        http_ratio={"item": 0.12},
        http_p99_ms={"item": 50.0},
        http_errors=0,
        quick_ratio={"item": 31.25},
        check_factor=2.0,
    )
    path = tmp_path / "goals.toml"
    path.write_text(render_goals(goals), encoding="utf-8")

    assert load_goals(path) == goals
    assert "http" in tomllib.loads(GOALS_PATH.read_text(encoding="utf-8"))


def test_generated_bank_is_valid(tmp_path):
    paths = write_bank(tmp_path, questions=45, topics=4)

    banks, errors = read_banks([tmp_path])

    assert errors == []
    assert len(paths) == 4
    assert sum(len(bank.topic.questions) for bank in banks) == 45
