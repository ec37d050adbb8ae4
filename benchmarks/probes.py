"""The requests the HTTP tier sends itself, outside wrk: the warm-up that collects each
client's CSRF token, priming the cached pages, one request per page (and one whole mock)
before the load so that a broken page is named up front, and closing the mocks a run left
open."""

import time

from .exam import fill, step_outcome
from .pages import ANSWER_CONTENT_TYPE, BASELINE, EXAM, PAGES_BY_NAME, is_success
from .server import Gunicorn, fetch


def say(message: str) -> None:
    print(message, flush=True)


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
