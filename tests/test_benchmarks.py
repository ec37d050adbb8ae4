"""The pure parts of the benchmark: wrk output, the Lua plan, the schedule, the ratios, the
RESULT line, the goals, the exam scenario's mock and cost, and the generated bank the loader
benchmark reads. One test runs exam.lua under wrk against a fake server (skipped without
wrk); it asserts what was sent and answered, never how fast."""

import re
import shutil
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.http import QueryDict

from benchmarks.exam import (
    MockUrls,
    breakdown,
    exam_cost,
    kind_of,
    lua_attempt_pattern,
    mock_steps,
    mocks_per_core_hour,
    read_access_log,
    step_kinds,
    step_outcome,
    steps_per_kind,
)
from benchmarks.goals import (
    GOALS_PATH,
    Goals,
    compare_http,
    compare_quick,
    load_goals,
    p99_limits,
    render_goals,
)
from benchmarks.loader import write_bank
from benchmarks.pages import (
    ANSWER_CONTENT_TYPE,
    EXAM,
    PAGES_BY_NAME,
    TARGET_PAGES,
    answer_body,
    is_success,
)
from benchmarks.report import (
    Run,
    baseline_per_second,
    format_p99_scale,
    p99_needs,
    result_line,
    schedule,
    summarize,
    summarize_exam,
)
from benchmarks.wrk import (
    EXAM_SCRIPT,
    WrkResult,
    exam_plan_source,
    lua_literal,
    parse_wrk_output,
    plan_source,
    run_wrk,
)
from quizzes.authoring.banks import read_banks

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
    r"dashboard=(\d+\.\d\d|skipped) exam_cost=(\d+|skipped) p99_item_ms=\d+ "
    r"p99_autosave_ms=\d+ (p99_limit_ms=\d+ )?errors=\d+$"
)
EXAM_OUTPUT = (
    "WRK_RESULT requests=2400 duration_us=20000000 ok=2400 bad=0 connect=0 read=0 write=0 "
    "status=0 timeout=0 p50_us=100000 p90_us=150000 p99_us=400000 max_us=900000 first_bad=- "
    "threads=16 mocks=30 mock_seconds=300.000000 mock_clients=15 open=3:812,9:start clock=ffi\n"
)
URLS = MockUrls(
    start="/exams/full-mock/start/",
    attempt="/attempts/{attempt}/",
    item="/attempts/{attempt}/items/{n}/",
    answer="/attempts/{attempt}/items/{n}/answer/",
    mark="/attempts/{attempt}/items/{n}/mark/",
    review="/attempts/{attempt}/review/",
    submit="/attempts/{attempt}/submit/",
    result="/attempts/{attempt}/result/",
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


def test_a_p99_miss_says_what_throughput_the_limit_asks_of_this_machine():
    runs = [
        Run(0, "baseline", wrk_result(2000)),
        Run(1, "item", wrk_result(250, p99_ms=90)),
        Run(2, "baseline", wrk_result(2000)),
        Run(3, "autosave", wrk_result(600, p99_ms=40)),
        Run(4, "baseline", wrk_result(2000)),
    ]

    needs = p99_needs(summarize(runs, {}), {"item": 50.0, "autosave": 50.0}, clients=16)

    # 250 req/s with a 90 ms tail: 50 ms takes 250 * 90 / 50 = 450 req/s, 0.225 of 2000.
    assert "item p99: 16 clients at 250 req/s" in needs
    assert "50 ms at p99 needs about 450 req/s, a ratio of 0.23" in needs
    assert "autosave" not in needs  # within its limit


def test_result_line_has_the_issue_format():
    runs = runs_for(
        [("baseline", 1000)]
        + [(page.name, 100) for page in TARGET_PAGES for _ in (0,)]
        + [("baseline", 1000)]
    )
    line = result_line(summarize(runs, {}), p99_limits={"item": 191.6, "autosave": 191.6})

    assert RESULT_PATTERN.match(line), line
    assert "exam_cost=skipped" in line
    assert " p99_limit_ms=192 " in line
    assert line.endswith("errors=0")


def test_result_line_gives_each_p99_limit_when_they_differ():
    runs = runs_for([("baseline", 1000), ("item", 100), ("autosave", 200), ("baseline", 1000)])
    line = result_line(summarize(runs, {}), p99_limits={"item": 60.0, "autosave": 80.0})

    assert " p99_item_limit_ms=60 p99_autosave_limit_ms=80 " in line
    assert "p99_limit_ms" not in line


def test_p99_limits_scale_with_the_machine_of_the_run():
    goals = Goals(http_p99_ms={"item": 50.0, "autosave": 40.0}, http_p99_reference_baseline=6000)

    # Half the reference's speed: every request waits twice as long, and so may the tail.
    assert p99_limits(goals, 3000.0) == {"item": 100.0, "autosave": 80.0}
    # A faster machine than the reference is held to a tighter tail.
    assert p99_limits(goals, 12000.0) == {"item": 25.0, "autosave": 20.0}
    # Without a reference (or without a baseline run) the limits hold as written.
    assert p99_limits(Goals(http_p99_ms={"item": 50.0}), 3000.0) == {"item": 50.0}
    assert p99_limits(goals, None) == {"item": 50.0, "autosave": 40.0}


def test_a_tail_is_judged_against_the_scaled_limit():
    goals = Goals(http_p99_ms={"item": 50.0}, http_p99_reference_baseline=6000)
    runs = [
        Run(0, "baseline", wrk_result(1500)),
        Run(1, "item", wrk_result(200, p99_ms=150)),
        Run(2, "baseline", wrk_result(1500)),
    ]
    summaries = summarize(runs, {})
    baseline = baseline_per_second(summaries)
    limits = p99_limits(goals, baseline)

    def verdict(p99_ms):
        found = compare_http({}, {"item": p99_ms}, 0, goals, p99_limits=limits)
        return next(v for v in found if v.subject == "item p99 ms")

    assert baseline == pytest.approx(1500)
    assert limits == {"item": pytest.approx(200)}  # 50 ms x 6000 / 1500
    assert verdict(150.0).passed is True
    assert verdict(201.0).passed is False
    assert "limits are for a baseline of 6,000 req/s" in format_p99_scale(goals, baseline)
    assert "so each limit is x4.00" in format_p99_scale(goals, baseline)
    assert p99_needs(summaries, limits, clients=16) == ""  # nothing over its limit


def test_result_line_gives_the_exam_cost_per_full_mock():
    exam = exam_result(mocks_per_second=1.25)
    runs = [Run(0, "baseline", wrk_result(900)), Run(1, EXAM, exam)]
    runs += [Run(2, "baseline", wrk_result(1100))]
    summary = summarize_exam(runs, requests_per_mock=120, cores=2)
    line = result_line(summarize(runs, {}), summary)

    assert summary.cost == pytest.approx(800)  # 1000 baseline requests/s / 1.25 mocks/s
    assert summary.per_core_hour == pytest.approx(3600 * 1.25 / 2)
    assert " exam_cost=800 " in line


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


def test_answer_body_is_the_urlencoded_form_the_page_script_posts():
    assert ANSWER_CONTENT_TYPE == "application/x-www-form-urlencoded"
    assert QueryDict(answer_body("b", 12)).dict() == {"choice": "b", "sequence": "12"}
    # The sequence slot is left for wrk to fill.
    assert answer_body("a", "{sequence}") == "choice=a&sequence={sequence}"


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


def test_the_exam_cost_is_a_target_at_most():
    goals = Goals(http_exam_cost=800.0)

    def verdict(cost):
        return next(
            v for v in compare_http({}, {}, 0, goals, exam_cost=cost) if "exam" in v.subject
        )

    assert verdict(799.0).passed is True
    assert verdict(801.0).passed is False
    assert verdict(None).passed is None  # not measured (--pages without exam)


def test_goals_file_names_every_measured_page():
    goals = load_goals()

    assert set(goals.http_ratio) == {page.name for page in TARGET_PAGES if not page.scenario}
    assert set(goals.http_p99_ms) == {"item", "autosave"}
    assert goals.http_p99_reference_baseline == 6000  # issue 8's reference machine
    assert goals.http_exam_cost == 800
    assert goals.check_factor == 2.0


def test_rendered_goals_read_back_the_same(tmp_path):
    goals = Goals(
        http_ratio={"item": 0.12},
        http_p99_ms={"item": 50.0},
        http_p99_reference_baseline=6000.0,
        http_errors=0,
        http_exam_cost=800.0,
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


def exam_result(*, mocks_per_second: float, threads: int = 16) -> WrkResult:
    return WrkResult(
        requests=1200,
        duration_s=20.0,
        ok=1200,
        bad=0,
        socket_errors=0,
        p50_ms=100.0,
        p90_ms=150.0,
        p99_ms=400.0,
        max_ms=900.0,
        first_bad="-",
        threads=threads,
        mocks=32,
        mock_seconds=32 / mocks_per_second * threads,
        mock_clients=threads,
    )


def test_a_full_mock_is_the_page_scripts_sequence_of_requests():
    steps = mock_steps(URLS, 100, item_marker='id="answer-form"', result_marker='id="item-100"')
    kinds = [step["kind"] for step in steps]

    assert len(steps) == 120
    assert steps_per_kind(steps) == {
        "start": 1, "load": 1, "save": 100, "mark": 5, "change": 10,
        "review": 1, "submit": 1, "result": 1,
    }  # fmt: skip
    assert kinds[:3] == ["start", "load", "save"]
    assert kinds[-3:] == ["review", "submit", "result"]
    saves = [QueryDict(s["body"]) for s in steps if s["kind"] == "save"]
    changes = [s for s in steps if s["kind"] == "change"]
    assert {save["choice"] for save in saves} == {"a"}
    assert [c["path"] for c in changes] == [
        f"/attempts/{{attempt}}/items/{n}/answer/" for n in range(10, 101, 10)
    ]
    assert all(QueryDict(c["body"])["choice"] == "b" for c in changes)
    # Every POST is a urlencoded form; the start and the submit carry the CSRF token.
    assert {s["method"] for s in steps if "body" in s} == {"POST"}
    assert steps[0]["body"] == steps[-2]["body"] == "csrfmiddlewaretoken={token}"
    assert all(s["accept"] == "application/json" for s in steps if s["kind"] in ("save", "mark"))


def test_each_step_needs_its_own_answer():
    steps = mock_steps(URLS, 100, item_marker="ITEM", result_marker="RESULT")
    start, save = steps[0], steps[2]
    mark = next(s for s in steps if s["kind"] == "mark")
    submit = steps[-2]

    assert step_outcome(start, 302, "/attempts/812/", "", None) == (True, "812")
    assert step_outcome(start, 302, "/exams/", "", None) == (False, None)
    assert step_outcome(start, 403, "", "CSRF", None) == (False, None)
    assert step_outcome(save, 200, "", '{"saved": true, "position": 1}', "812")[0]
    assert not step_outcome(save, 409, "", '{"saved": false}', "812")[0]
    # The mark's JSON answer, or the plain form's redirect back to the item; never the login.
    assert step_outcome(mark, 200, "", '{"marked": true, "position": 7}', "812")[0]
    assert step_outcome(mark, 302, "/attempts/812/items/7/", "", "812")[0]
    login = "/accounts/login/?next=/attempts/812/items/7/mark/"
    assert not step_outcome(mark, 302, login, "", "812")[0]
    assert step_outcome(submit, 302, "/attempts/812/result/", "", "812")[0]
    assert not step_outcome(submit, 302, "/attempts/813/result/", "", "812")[0]


def test_the_attempt_id_pattern_for_lua():
    assert lua_attempt_pattern("/attempts/{attempt}/") == "^/attempts/(%d+)/$"
    assert lua_attempt_pattern("/a-b.c/{attempt}/x") == "^/a%-b%.c/(%d+)/x$"


def test_exam_cost_is_baseline_requests_per_full_mock():
    # A baseline request takes 1/2000 s of the server, a mock 1/2.5 s: 800 baseline requests.
    assert exam_cost(2000.0, 2.5) == pytest.approx(800)
    assert exam_cost(2000.0, 0.0) is None
    assert mocks_per_core_hour(2.5, 2) == pytest.approx(4500)


def test_exam_fields_are_read_from_the_result_line():
    result = parse_wrk_output(EXAM_OUTPUT)

    assert result.mocks == 30
    assert result.open_attempts == ((3, "812"), (9, "start"))
    # 30 mocks in 300 client-seconds: 10 s a mock, 16 clients side by side (the one that
    # finished no mock counts at the others' pace).
    assert result.mocks_per_second == pytest.approx(1.6)
    assert parse_wrk_output(WRK_OUTPUT).open_attempts == ()


def test_exam_plan_source_is_a_lua_chunk_with_the_steps():
    steps = mock_steps(URLS, 2, item_marker="ITEM", result_marker="RESULT")
    source = exam_plan_source(
        base_sequence=10,
        headers={"GET": {}, "POST": {"Content-Type": ANSWER_CONTENT_TYPE}},
        clients=[{"headers": {"Cookie": "sessionid=x"}, "token": "t"}],
        steps=steps,
    )

    assert source.startswith("return {")
    assert '["capture"] = "^/attempts/(%d+)/$"' in source
    assert '["302"] = "/attempts/{attempt}/result/"' in source


def test_the_breakdown_sorts_the_access_log_by_kind_of_request():
    steps = mock_steps(URLS, 100, item_marker="ITEM", result_marker="RESULT")
    kinds = step_kinds(steps)
    log = [
        "POST /exams/full-mock/start/ 302 80000",
        "POST /attempts/5/items/10/answer/ 200 4000",
        "POST /attempts/5/items/11/answer/ 200 6000",
        "GET /attempts/5/result/ 200 40000",
        "gunicorn says something else",
    ]
    requests = read_access_log(log)

    assert kind_of("POST", "/attempts/5/items/7/mark/", kinds) == "mark"
    assert kind_of("GET", "/attempts/5/items/7/mark/", kinds) is None
    rows = {row.kind: row for row in breakdown(steps, requests, [1.0, 1.0], cost=1000.0)}
    assert set(rows) == {"start", "save", "result"}
    assert rows["save"].per_mock == 110  # the changed answers are saves
    assert rows["save"].mean_ms == pytest.approx(5.0)
    assert rows["start"].to_baseline == pytest.approx(80.0)
    # One mock: 80 + 110 x 5 + 40 = 670 ms; the save's share is 550 / 670 of the cost.
    assert rows["save"].equivalents == pytest.approx(1000 * 550 / 670)


class FakeExamServer(BaseHTTPRequestHandler):
    """The exam's endpoints, answering as the app does, recording what breaks the rules."""

    attempts = {}  # session -> [attempt id, last sequence]
    problems = []
    lock = threading.Lock()
    next_id = [100]

    def log_message(self, *args):
        pass

    def answer(self, status: int, body: str = "", location: str = "") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body.encode())

    def session(self) -> str:
        return self.headers.get("Cookie", "").split(";")[0]

    def do_GET(self):
        markers = {"items/1/": "ITEM", "review/": 'id="submit-form"', "result/": "RESULT"}
        found = next((m for end, m in markers.items() if self.path.endswith(end)), None)
        self.answer(200 if found else 404, found or "")

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        session = self.session()
        with self.lock:
            token = [self.headers.get("X-CSRFToken")]
            if self.path.endswith(("/start/", "/submit/")) and form["csrfmiddlewaretoken"] != token:
                self.problems.append(f"token of {self.path}")
            if self.path.endswith("/start/"):
                self.next_id[0] += 1
                self.attempts[session] = [self.next_id[0], 0]
                return self.answer(302, location=f"/attempts/{self.next_id[0]}/")
            attempt, last = self.attempts[session]
            if not self.path.startswith(f"/attempts/{attempt}/"):
                self.problems.append(f"{self.path} is not attempt {attempt}")
            if self.path.endswith("/answer/"):
                sequence = int(form["sequence"][0])
                if sequence <= last or self.headers.get("Accept") != "application/json":
                    self.problems.append(f"sequence {sequence} after {last}")
                self.attempts[session][1] = sequence
                return self.answer(200, '{"saved": true}')
            if self.path.endswith("/mark/"):
                return self.answer(302, location=self.path.removesuffix("mark/"))
            if self.path.endswith("/submit/"):
                return self.answer(302, location=f"/attempts/{attempt}/result/")
        return self.answer(404)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_exam_lua_takes_whole_mocks_under_wrk(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeExamServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        plan_path = tmp_path / "plan.lua"
        plan_path.write_text(
            exam_plan_source(
                base_sequence=1000,
                headers={"GET": {}, "POST": {"Content-Type": ANSWER_CONTENT_TYPE}},
                clients=[
                    {"headers": {"Cookie": f"s={n}", "X-CSRFToken": f"t{n}"}, "token": f"t{n}"}
                    for n in (1, 2)
                ],
                steps=mock_steps(URLS, 10, item_marker="ITEM", result_marker="RESULT"),
            )
        )
        result = run_wrk(
            wrk=shutil.which("wrk"),
            url=f"http://127.0.0.1:{server.server_address[1]}",
            plan_path=plan_path,
            connections=2,
            seconds=1,
            script=EXAM_SCRIPT,
        )
    finally:
        server.shutdown()
        server.server_close()

    assert FakeExamServer.problems == []
    assert result.errors == 0, result.first_bad
    assert result.mocks >= 1
    assert result.threads == 2
    assert result.clock == "ffi"
