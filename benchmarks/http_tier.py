"""The HTTP tier: a fresh database, gunicorn with production settings, wrk from a separate
process, baseline and target runs interleaved, a table and the RESULT line."""

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import database, report
from .exam import breakdown, format_breakdown, read_access_log
from .goals import compare_http, load_goals, p99_limits
from .pages import BASELINE, EXAM, PAGES_BY_NAME
from .probes import (
    check_pages,
    client_headers,
    close_open_attempts,
    common_headers,
    prime_caches,
    say,
    warm_up,
)
from .server import Gunicorn, bench_environment, run_django
from .wrk import EXAM_SCRIPT, ensure_wrk, exam_plan_source, plan_source, run_wrk

SEQUENCE_STEP = 10_000_000  # autosave sequence numbers of run n start at n * this


@dataclass(frozen=True)
class Options:
    seconds: float = 5
    rounds: int = 2
    clients: int = 16
    pages: tuple[str, ...] = ("item", "autosave", "result", "history", "dashboard", EXAM)
    keep: bool = False
    # Long enough for every client to finish whole mocks: 16 clients side by side took
    # 20-30 s a mock on this 2-core VM while busy (benchmarks/README.md).
    exam_seconds: float = 30
    breakdown: bool = False  # gunicorn's access log: each kind of exam request's time


def prepare_database(workdir: Path) -> database.BenchDatabase:
    chosen = database.choose_database(workdir)
    say(f"database: {chosen.description}")
    database.recreate(chosen)
    return chosen


def collect_static(env: dict[str, str]) -> None:
    """Production's collectstatic: the manifest storage needs it to serve any page."""
    run_django(["manage.py", "collectstatic", "--noinput", "-v", "0"], env, what="collectstatic")


def run_exam(
    *, wrk: str, server: Gunicorn, plan: dict, tokens: dict, index: int, workdir: Path
) -> report.Run:
    """One exam run: each client takes full mocks for ``exam_seconds`` (lua/exam.lua)."""
    exam = plan["pages"][EXAM]
    clients = [
        {
            "headers": client_headers(client, tokens[client["session"]], plan),
            "token": tokens[client["session"]],
        }
        for client in exam["clients"]
    ]
    source = exam_plan_source(
        base_sequence=(index + 1) * SEQUENCE_STEP,
        headers={method: common_headers(method, server.port) for method in ("GET", "POST")},
        clients=clients,
        steps=exam["steps"],
    )
    result = run_plan(
        wrk=wrk,
        server=server,
        plan_path=workdir / f"run-{index:02d}-{EXAM}.lua",
        source=source,
        connections=len(clients),
        seconds=plan["exam_seconds_per_run"],
        script=EXAM_SCRIPT,
    )
    if result.clock != "ffi":
        say("  !! wrk's Lua has no ffi (not LuaJIT): the mocks are timed to the whole second")
    return report.Run(index, EXAM, result)


def run_once(
    *, wrk: str, server: Gunicorn, plan: dict, tokens: dict, name: str, index: int, workdir: Path
) -> report.Run:
    spec = PAGES_BY_NAME[name]
    if spec.scenario:
        return run_exam(
            wrk=wrk, server=server, plan=plan, tokens=tokens, index=index, workdir=workdir
        )
    clients = [
        {
            "headers": client_headers(client, tokens[client["session"]], plan),
            "requests": client["requests"],
        }
        for client in plan["pages"][name]["clients"]
    ]
    source = plan_source(
        method=spec.method,
        marker=spec.marker,
        base_sequence=(index + 1) * SEQUENCE_STEP,
        headers=common_headers(spec.method, server.port),
        clients=clients,
    )
    result = run_plan(
        wrk=wrk,
        server=server,
        plan_path=workdir / f"run-{index:02d}-{name}.lua",
        source=source,
        connections=len(clients),
        seconds=plan["seconds_per_run"],
    )
    return report.Run(index, name, result)


def run_plan(*, wrk: str, server: Gunicorn, plan_path: Path, source: str, **options):
    """Write a run's Lua plan (kept with --keep) and run wrk on it."""
    plan_path.write_text(source, encoding="utf-8")
    return run_wrk(wrk=wrk, url=f"http://127.0.0.1:{server.port}", plan_path=plan_path, **options)


def breakdown_report(
    access_log: Path, spans: list[tuple[str, int, int]], plan: dict, exam: report.ExamSummary
) -> str:
    """Each kind of request of a mock, from gunicorn's access log of the runs."""
    with access_log.open("rb") as log:
        requests: dict[str, list] = {EXAM: [], BASELINE: []}
        for page, start, end in spans:
            if page in requests:
                log.seek(start)
                lines = log.read(end - start).decode("utf-8", "replace").splitlines()
                requests[page] += read_access_log(lines)
    baseline_ms = [ms for _, _, status, ms in requests[BASELINE] if status == 200]
    rows = breakdown(plan["pages"][EXAM]["steps"], requests[EXAM], baseline_ms, exam.cost)
    mean_baseline = sum(baseline_ms) / len(baseline_ms) if baseline_ms else 0.0
    return (
        "exam breakdown (gunicorn's access log: each request's time in the worker, exam "
        "runs; equiv. = the request's share of a mock's time x the measured cost):\n"
        + format_breakdown(rows, mean_baseline)
    )


def run_http(options: Options) -> int:
    started = time.monotonic()
    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="crss-bench-"))
    server = None
    try:
        chosen = prepare_database(workdir)
        redis_url, cache_description = database.prepare_cache()
        say(f"cache: {cache_description}")
        env = bench_environment(chosen.url, redis_url)
        collect_static(env)
        plan_file = workdir / "plan.json"
        run_django(
            [
                "-m",
                "benchmarks.seed",
                "--clients",
                str(options.clients),
                "--output",
                str(plan_file),
            ],
            env,
            what="seeding",
        )
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
        plan["seconds_per_run"] = options.seconds
        plan["exam_seconds_per_run"] = options.exam_seconds
        counts = plan["counts"]
        say(
            f"seeded in {plan['seconds']['migrate'] + plan['seconds']['seed']:.1f} s: "
            f"{counts['candidates']} candidates, cohort of {counts['cohort_learners']} learners, "
            f"{counts['attempts']} attempts, {counts['attempt_items']} attempt items; "
            f"{options.clients} clients, each its own candidate"
        )
        for name, reason in plan["skipped"].items():
            say(f"!! {name} SKIPPED: {reason}. It is measured from the first run where it exists.")

        access_log = workdir / "access.log" if options.breakdown else None
        server = Gunicorn(env, workdir / "gunicorn.log", access_log=access_log)
        server.start()
        server.wait_ready()
        say(
            f"gunicorn: {server.workers} sync workers on 127.0.0.1:{server.port} "
            f"(pid {server.process.pid}), production settings"
        )
        tokens = warm_up(server, plan)
        say(f"primed the caches: {prime_caches(server, plan)} first views of cached pages")
        check_pages(server, plan, tokens)
        server.wait_idle()

        targets = [p for p in options.pages if p in plan["pages"]]
        order = report.schedule(targets, options.rounds)
        exams = order.count(EXAM)
        say(
            f"{len(order) - exams} runs of {options.seconds:g} s"
            + (f" and {exams} exam runs of {options.exam_seconds:g} s" if exams else "")
            + f", {options.clients} connections, baseline between targets; "
            "waiting for an idle server after each"
        )
        runs = []
        log_spans: list[tuple[str, int, int]] = []  # (page, start, end) in the access log
        for index, name in enumerate(order):
            log_start = access_log.stat().st_size if access_log else 0
            run = run_once(
                wrk=wrk,
                server=server,
                plan=plan,
                tokens=tokens,
                name=name,
                index=index,
                workdir=workdir,
            )
            waited = server.wait_idle()
            if access_log:
                log_spans.append((name, log_start, access_log.stat().st_size))
            if name == EXAM and run.result.open_attempts:
                close_open_attempts(server, plan, tokens, run.result)
                waited += server.wait_idle()
            runs.append(run)
            r = run.result
            mocks = f"  {r.mocks} mocks" if name == EXAM else ""
            say(
                f"  run {index + 1:>2}/{len(order)} {name:<10} {r.ok_per_second:>8.1f} req/s "
                f"p50 {r.p50_ms:>6.1f} ms  p99 {r.p99_ms:>6.1f} ms  errors {r.errors}"
                f"{f' (first: {r.first_bad})' if r.errors else ''}{mocks}  "
                f"idle after {waited:.1f} s"
            )
        server.stop()
        server = None

        goals = load_goals()
        skipped = {k: v for k, v in plan["skipped"].items() if k in options.pages}
        summaries = report.summarize(runs, skipped)
        by_page = {s.page: s for s in summaries if not s.skipped}
        exam = None
        if EXAM in plan["pages"]:
            exam = report.summarize_exam(
                runs, len(plan["pages"][EXAM]["steps"]), len(os.sched_getaffinity(0))
            )
        say("")
        say(report.format_table(summaries, goals.http_ratio))
        if exam is not None:
            say("")
            say(report.format_exam(exam, goals.http_exam_cost))
            if access_log:
                say("")
                say(breakdown_report(access_log, log_spans, plan, exam))
        baseline = report.baseline_per_second(summaries)
        limits = p99_limits(goals, baseline)
        verdicts = compare_http(
            {p: by_page[p].ratio if p in by_page else None for p in goals.http_ratio},
            {p: by_page[p].p99_ms if p in by_page else None for p in goals.http_p99_ms},
            sum(s.errors for s in summaries),
            goals,
            exam_cost=exam.cost if exam else None,
            p99_limits=limits,
        )
        say("")
        say(
            f"targets (benchmarks/goals.toml), {chosen.vendor}, {time.monotonic() - started:.0f} s:"
        )
        say(report.format_verdicts(verdicts))
        if scale := report.format_p99_scale(goals, baseline):
            say(scale)
        if needs := report.p99_needs(summaries, limits, options.clients):
            say(needs)
        say(report.result_line(summaries, exam, limits))
        return 1 if any(s.errors for s in summaries) else 0
    finally:
        if server is not None:
            server.stop()
        if options.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
