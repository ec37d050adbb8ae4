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
from .exam import breakdown, fill, format_breakdown, read_access_log, step_outcome
from .goals import compare_http, load_goals
from .pages import ANSWER_CONTENT_TYPE, BASELINE, EXAM, PAGES_BY_NAME, is_success
from .server import Gunicorn, bench_environment, fetch, run_django
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


def say(message: str) -> None:
    print(message, flush=True)


def prepare_database(workdir: Path) -> database.BenchDatabase:
    chosen = database.choose_database(workdir)
    say(f"database: {chosen.description}")
    database.recreate(chosen)
    return chosen


def collect_static(env: dict[str, str]) -> None:
    """Production's collectstatic: the manifest storage needs it to serve any page."""
    run_django(["manage.py", "collectstatic", "--noinput", "-v", "0"], env, what="collectstatic")


def warm_up(server: Gunicorn, plan: dict) -> dict[str, str]:
    """Visit each client's first page once: checks its session, and collects the CSRF cookie
    the page sets (the taking page's script reads it from there). Returns session -> token."""
    cookie_names = plan["cookies"]
    tokens = {}
    for page in plan["pages"].values():
        for client in page["clients"]:
            if client["session"] in tokens:
                continue
            response = fetch(
                server.port,
                client["warmup"],
                cookies={cookie_names["session"]: client["session"]},
            )
            if response.status != 200:
                raise RuntimeError(
                    f"warm-up of {client['user']} at {client['warmup']} answered "
                    f"{response.status}, not 200:\n{response.body[:500]}\n{server.log_tail()}"
                )
            tokens[client["session"]] = response.cookie(cookie_names["csrf"]) or ""
    return tokens


# Pages that cache what they render (a submitted result, the history and cohort tables):
# their first view per client renders and stores; the runs measure what follows.
CACHED_PAGES = ("result", "history", "dashboard")


def prime_caches(server: Gunicorn, plan: dict) -> int:
    """View each client's cached pages once, so the runs measure the steady state rather
    than 16 first renders squeezed into the first run. Returns how many were viewed."""
    session_cookie = plan["cookies"]["session"]
    viewed = 0
    for name in CACHED_PAGES:
        for client in plan["pages"].get(name, {}).get("clients", []):
            for path in {entry["path"] for entry in client["requests"]}:
                fetch(server.port, path, cookies={session_cookie: client["session"]})
                viewed += 1
    return viewed


def client_headers(client: dict, token: str, plan: dict) -> dict[str, str]:
    names = plan["cookies"]
    return {
        "Cookie": f"{names['session']}={client['session']}; {names['csrf']}={token}",
        "X-CSRFToken": token,
    }


def common_headers(method: str, port: int) -> dict[str, str]:
    headers = {"X-Forwarded-Proto": "https"}
    if method == "POST":
        headers |= {
            "Content-Type": ANSWER_CONTENT_TYPE,
            "Accept": "application/json",
            "Origin": f"https://127.0.0.1:{port}",
        }
    return headers


def check_pages(server: Gunicorn, plan: dict, tokens: dict[str, str]) -> None:
    """One request per page before the load, so a broken page is named up front."""
    for name, page in plan["pages"].items():
        spec = PAGES_BY_NAME[name]
        if spec.scenario:
            check_exam(server, plan, tokens)
            continue
        client = page["clients"][0]
        first = client["requests"][0]
        response = fetch(
            server.port,
            first["path"],
            method=spec.method,
            body=first.get("body", "").replace("{sequence}", "1") or None,
            headers=common_headers(spec.method, server.port)
            | client_headers(client, tokens[client["session"]], plan),
        )
        ok = is_success(spec, response.status, response.body)
        problem = "" if ok else f"  NOT A SUCCESS: {response.body[:200]!r}"
        say(f"  check {name:<10} {response.status} {len(response.body) / 1024:7.1f} KiB{problem}")


def exam_request(server: Gunicorn, plan: dict, client: dict, token: str, entry: dict, **slots):
    """One step of a mock, sent as exam.lua sends it; returns the response."""
    return fetch(
        server.port,
        fill(entry["path"], attempt=slots.get("attempt")),
        method=entry["method"],
        body=fill(entry["body"], token=token, **slots) if "body" in entry else None,
        headers=common_headers(entry["method"], server.port)
        | client_headers(client, token, plan)
        | {"Accept": entry["accept"]},
    )


def drive_mock(
    server: Gunicorn, plan: dict, client: dict, token: str, times: dict | None = None
) -> list[str]:
    """One whole mock for ``client``, from Python, checking each answer as exam.lua does.
    Returns the problems (empty when every step answered as it should); ``times`` gets
    each kind of step's response times (s)."""
    attempt = None
    problems = []
    for sequence, entry in enumerate(plan["pages"][EXAM]["steps"], start=1):
        sent = time.perf_counter()
        response = exam_request(
            server, plan, client, token, entry, attempt=attempt, sequence=sequence
        )
        if times is not None:
            times.setdefault(entry["kind"], []).append(time.perf_counter() - sent)
        location = dict((k.lower(), v) for k, v in response.headers).get("location", "")
        good, attempt = step_outcome(entry, response.status, location, response.body, attempt)
        if not good:
            problems.append(
                f"{entry['kind']} {entry['method']} {fill(entry['path'], attempt=attempt)}: "
                f"{response.status} {location} {response.body[:200]!r}"
            )
            if attempt is None:
                break  # no attempt: nothing after the start can work
    return problems


def check_exam(server: Gunicorn, plan: dict, tokens: dict[str, str]) -> None:
    """One whole mock before the load, so that a broken step is named up front."""
    exam = plan["pages"][EXAM]
    client = exam["clients"][0]
    times: dict[str, list[float]] = {"baseline": []}
    baseline = plan["pages"][BASELINE]["clients"][0]["requests"][0]["path"]
    headers = client_headers(client, tokens[client["session"]], plan)
    for _ in range(20):  # the same client's bare request, for scale
        sent = time.perf_counter()
        fetch(server.port, baseline, headers=headers)
        times["baseline"].append(time.perf_counter() - sent)
    started = time.monotonic()
    problems = drive_mock(server, plan, client, tokens[client["session"]], times)
    elapsed = time.monotonic() - started
    steps = len(exam["steps"])
    # One client alone: each kind's response time, before any load.
    each = ", ".join(
        f"{kind} {sum(found) / len(found) * 1000:.1f}" for kind, found in times.items()
    )
    say(
        f"  check {EXAM:<10} one full mock of {exam['exam']}: {steps} requests in {elapsed:.1f} s"
        f" (ms each: {each})"
        + (f"  {len(problems)} NOT A SUCCESS, first: {problems[0]}" if problems else "")
    )


def close_open_attempts(server: Gunicorn, plan: dict, tokens: dict, result) -> int:
    """Submit the attempts the run left in progress, so that the next exam run starts every
    client on a new mock (a resumed one would have its answers already saved). Returns how
    many it submitted."""
    exam = plan["pages"][EXAM]
    start, submit = exam["steps"][0], next(s for s in exam["steps"] if s["kind"] == "submit")
    closed = 0
    for thread, attempt in result.open_attempts:
        client = exam["clients"][(thread - 1) % len(exam["clients"])]
        token = tokens[client["session"]]
        if attempt == "start":  # the start was on the wire: start again to learn its id
            response = exam_request(server, plan, client, token, start)
            location = dict((k.lower(), v) for k, v in response.headers).get("location", "")
            good, attempt = step_outcome(start, response.status, location, "", None)
            if not good:
                continue
        exam_request(server, plan, client, token, submit, attempt=attempt)
        closed += 1
    return closed


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
        verdicts = compare_http(
            {p: by_page[p].ratio if p in by_page else None for p in goals.http_ratio},
            {p: by_page[p].p99_ms if p in by_page else None for p in goals.http_p99_ms},
            sum(s.errors for s in summaries),
            goals,
            exam_cost=exam.cost if exam else None,
        )
        say("")
        say(
            f"targets (benchmarks/goals.toml), {chosen.vendor}, {time.monotonic() - started:.0f} s:"
        )
        say(report.format_verdicts(verdicts))
        say(report.result_line(summaries, exam))
        return 1 if any(s.errors for s in summaries) else 0
    finally:
        if server is not None:
            server.stop()
        if options.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
