"""The HTTP tier: a fresh database, gunicorn with production settings, wrk from a separate
process, baseline and target runs interleaved, a table and the RESULT line."""

import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import database, report
from .goals import compare_http, load_goals
from .pages import ANSWER_CONTENT_TYPE, PAGES_BY_NAME, is_success
from .server import Gunicorn, bench_environment, fetch, run_django
from .wrk import ensure_wrk, plan_source, run_wrk

SEQUENCE_STEP = 10_000_000  # autosave sequence numbers of run n start at n * this


@dataclass(frozen=True)
class Options:
    seconds: float = 5
    rounds: int = 2
    clients: int = 16
    pages: tuple[str, ...] = ("item", "autosave", "result", "history", "dashboard")
    keep: bool = False


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


def run_once(
    *, wrk: str, server: Gunicorn, plan: dict, tokens: dict, name: str, index: int, workdir: Path
) -> report.Run:
    spec = PAGES_BY_NAME[name]
    clients = [
        {
            "headers": client_headers(client, tokens[client["session"]], plan),
            "requests": client["requests"],
        }
        for client in plan["pages"][name]["clients"]
    ]
    plan_path = workdir / f"run-{index:02d}-{name}.lua"
    plan_path.write_text(
        plan_source(
            method=spec.method,
            marker=spec.marker,
            base_sequence=(index + 1) * SEQUENCE_STEP,
            headers=common_headers(spec.method, server.port),
            clients=clients,
        ),
        encoding="utf-8",
    )
    result = run_wrk(
        wrk=wrk,
        url=f"http://127.0.0.1:{server.port}",
        plan_path=plan_path,
        connections=len(clients),
        seconds=plan["seconds_per_run"],
    )
    return report.Run(index, name, result)


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
        counts = plan["counts"]
        say(
            f"seeded in {plan['seconds']['migrate'] + plan['seconds']['seed']:.1f} s: "
            f"{counts['candidates']} candidates, cohort of {counts['cohort_learners']} learners, "
            f"{counts['attempts']} attempts, {counts['attempt_items']} attempt items; "
            f"{options.clients} clients, each its own candidate"
        )
        for name, reason in plan["skipped"].items():
            say(f"!! {name} SKIPPED: {reason}. It is measured from the first run where it exists.")

        server = Gunicorn(env, workdir / "gunicorn.log")
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
        say(
            f"{len(order)} runs of {options.seconds:g} s, {options.clients} connections, "
            "baseline between targets; waiting for an idle server after each"
        )
        runs = []
        for index, name in enumerate(order):
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
            runs.append(run)
            r = run.result
            say(
                f"  run {index + 1:>2}/{len(order)} {name:<10} {r.ok_per_second:>8.1f} req/s "
                f"p50 {r.p50_ms:>6.1f} ms  p99 {r.p99_ms:>6.1f} ms  errors {r.errors}"
                f"{f' (first: {r.first_bad})' if r.errors else ''}  idle after {waited:.1f} s"
            )
        server.stop()
        server = None

        goals = load_goals()
        skipped = {k: v for k, v in plan["skipped"].items() if k in options.pages}
        summaries = report.summarize(runs, skipped)
        by_page = {s.page: s for s in summaries if not s.skipped}
        say("")
        say(report.format_table(summaries, goals.http_ratio))
        verdicts = compare_http(
            {p: by_page[p].ratio if p in by_page else None for p in goals.http_ratio},
            {p: by_page[p].p99_ms if p in by_page else None for p in goals.http_p99_ms},
            sum(s.errors for s in summaries),
            goals,
        )
        say("")
        say(
            f"targets (benchmarks/goals.toml), {chosen.vendor}, {time.monotonic() - started:.0f} s:"
        )
        say(report.format_verdicts(verdicts))
        say(report.result_line(summaries))
        return 1 if any(s.errors for s in summaries) else 0
    finally:
        if server is not None:
            server.stop()
        if options.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
