"""The ``exam`` scenario: one whole full mock per client, as the taking page's script takes
it, and what a mock costs the server.

Pure: the steps of a mock (paths with slots that the Lua script or ``http_tier`` fills),
the answer each step must get, and the cost arithmetic. ``lua/exam.lua`` plays the same
steps under wrk; ``probes.drive_mock`` plays them once in Python before the load.

One mock, per client (its own candidate, session and CSRF cookie):

1. ``POST /exams/<full mock>/start/`` (a form: ``csrfmiddlewaretoken``): 302 to
   ``/attempts/<id>/``; the id is read from the ``Location``.
2. ``GET /attempts/<id>/items/1/``: the taking page, loaded once (it carries every item).
3. A save per item, in order: ``choice=a&sequence=N`` (urlencoded, ``Accept:
   application/json``, ``X-CSRFToken``), answered ``{"saved": true, ...}``; a few items
   are marked on the way (``marked=on``).
4. Every tenth answer changed to ``b`` (a higher sequence number: it only grows).
5. ``GET /attempts/<id>/review/``; ``POST /attempts/<id>/submit/``: 302 to the result;
   ``GET /attempts/<id>/result/``: its first view, which renders and caches it.

Then the next mock: the start makes a new attempt, the last one being submitted.
"""

import re
from dataclasses import dataclass

from .pages import MARKED_MARKER, REVIEW_MARKER, TOKEN_SLOT, answer_body, form_body

ATTEMPT_SLOT = "{attempt}"  # the attempt id, read from the start's Location
POSITION_SLOT = "{n}"
FIRST_CHOICE = "a"  # every question has choices a and b (checked when seeding)
CHANGED_CHOICE = "b"
CHANGE_EVERY = 10  # every tenth answer is changed once all items are answered
MARK_FIRST, MARK_EVERY = 7, 20  # items 7, 27, 47, 67 and 87 of 100 are marked
SAVED_MARKER = '"saved": true'
JSON = "application/json"
HTML = "text/html,application/xhtml+xml"


@dataclass(frozen=True)
class MockUrls:
    """The paths of a mock, ``{attempt}`` and ``{n}`` standing for the id and position."""

    start: str
    attempt: str  # where the start redirects: /attempts/{attempt}/
    item: str
    answer: str
    mark: str
    review: str
    submit: str
    result: str


def step(kind: str, method: str, path: str, expect: dict[int, str], **extra) -> dict:
    """One request of a mock. ``expect`` maps each acceptable status to what proves the
    answer real: a 200's body must contain it, a redirect's ``Location`` must start with it
    (a redirect to the login page carries the wanted path in its ``next``)."""
    return {
        "kind": kind,
        "method": method,
        "path": path,
        "expect": {str(status): wanted for status, wanted in expect.items()},
        "accept": JSON if kind in ("save", "change", "mark") else HTML,
        **extra,
    }


def mock_steps(
    urls: MockUrls, item_count: int, *, item_marker: str, result_marker: str
) -> list[dict]:
    """Every request of one full mock, in order (see the module's docstring)."""

    def at(template: str, position: int) -> str:
        return template.replace(POSITION_SLOT, str(position))

    def save(kind: str, position: int, choice: str) -> dict:
        return step(
            kind,
            "POST",
            at(urls.answer, position),
            {200: SAVED_MARKER},
            body=answer_body(choice, "{sequence}"),
        )

    steps = [
        step(
            "start",
            "POST",
            urls.start,
            {302: urls.attempt.split(ATTEMPT_SLOT)[0]},
            body=form_body({"csrfmiddlewaretoken": TOKEN_SLOT}),
            # The attempt id in the Location: as a template (Python) and a Lua pattern.
            location=urls.attempt,
            capture=lua_attempt_pattern(urls.attempt),
        ),
        step("load", "GET", at(urls.item, 1), {200: item_marker}),
    ]
    for position in range(1, item_count + 1):
        steps.append(save("save", position, FIRST_CHOICE))
        if position % MARK_EVERY == MARK_FIRST % MARK_EVERY:
            # The mark's JSON answer, or (a plain form) the redirect back to the item.
            steps.append(
                step(
                    "mark",
                    "POST",
                    at(urls.mark, position),
                    {200: MARKED_MARKER, 302: at(urls.item, position)},
                    body=form_body({"marked": "on"}),
                )
            )
    steps += [
        save("change", position, CHANGED_CHOICE)
        for position in range(CHANGE_EVERY, item_count + 1, CHANGE_EVERY)
    ]
    steps += [
        step("review", "GET", urls.review, {200: REVIEW_MARKER}),
        step(
            "submit",
            "POST",
            urls.submit,
            {302: urls.result},
            body=form_body({"csrfmiddlewaretoken": TOKEN_SLOT}),
        ),
        step("result", "GET", urls.result, {200: result_marker}),
    ]
    return steps


def steps_per_kind(steps: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in steps:
        counts[entry["kind"]] = counts.get(entry["kind"], 0) + 1
    return counts


def attempt_pattern(attempt_url: str) -> re.Pattern:
    """The start's ``Location`` with the attempt id as the group: ``^/attempts/(\\d+)/$``."""
    before, after = attempt_url.split(ATTEMPT_SLOT)
    return re.compile(f"^{re.escape(before)}(\\d+){re.escape(after)}$")


def lua_attempt_pattern(attempt_url: str) -> str:
    """The same as a Lua pattern (``%`` escapes Lua's magic characters)."""
    before, after = attempt_url.split(ATTEMPT_SLOT)

    def escape(text: str) -> str:
        return re.sub(r"([\^$()%.\[\]*+\-?])", r"%\1", text)

    return f"^{escape(before)}(%d+){escape(after)}$"


def fill(text: str, *, attempt: str | None = None, sequence: int | None = None, token=None):
    """Put the attempt id, sequence number and token in a step's path, body or expectation."""
    if attempt is not None:
        text = text.replace(ATTEMPT_SLOT, attempt)
    if sequence is not None:
        text = text.replace("{sequence}", str(sequence))
    if token is not None:
        text = text.replace(TOKEN_SLOT, token)
    return text


def step_outcome(
    entry: dict, status: int, location: str, body: str, attempt: str | None
) -> tuple[bool, str | None]:
    """Whether a response is the one ``entry`` expects, and the attempt id it gives (the
    start's). The Python twin of ``lua/exam.lua``'s check."""
    wanted = entry["expect"].get(str(status))
    if wanted is None:
        return False, attempt
    wanted = fill(wanted, attempt=attempt)
    if 300 <= status < 400:
        if not location.startswith(wanted):
            return False, attempt
        if "location" in entry:
            found = attempt_pattern(entry["location"]).match(location)
            return (True, found.group(1)) if found else (False, attempt)
        return True, attempt
    return wanted in body, attempt


def exam_cost(baseline_per_second: float, mocks_per_second: float) -> float | None:
    """Bare-request equivalents per full mock: the server time of one mock divided by the
    server time of one baseline request, both at full load in the same run, which is
    (1 / mocks per second) / (1 / baseline requests per second)."""
    if mocks_per_second <= 0 or baseline_per_second <= 0:
        return None
    return baseline_per_second / mocks_per_second


def mocks_per_core_hour(mocks_per_second: float, cores: int) -> float:
    """Full mocks an hour per core of this machine (gunicorn, PostgreSQL, Redis and wrk
    share the cores: the figure is what the whole stack does, per core)."""
    return 3600 * mocks_per_second / cores if cores else 0.0


# The breakdown (``--breakdown``): gunicorn's access log gives each request's time in the
# worker; the exam runs' requests are sorted by kind and set against the baseline's.
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(D)s"  # method, path, status, microseconds


def step_kinds(steps: list[dict]) -> list[tuple[str, re.Pattern, str]]:
    """(method, path pattern, kind) for each distinct request of a mock; the attempt id and
    positions match any number. A changed answer looks like a save: it is one."""
    kinds: dict[tuple[str, str], str] = {}
    for entry in steps:
        escaped = re.escape(entry["path"]).replace(re.escape(ATTEMPT_SLOT), r"\d+")
        pattern = "^" + re.sub(r"/\d+(?=/)", r"/\\d+", escaped) + "$"
        kind = "save" if entry["kind"] == "change" else entry["kind"]
        kinds.setdefault((entry["method"], pattern), kind)
    return [(method, re.compile(pattern), kind) for (method, pattern), kind in kinds.items()]


def kind_of(method: str, path: str, kinds: list[tuple[str, re.Pattern, str]]) -> str | None:
    for wanted, pattern, kind in kinds:
        if method == wanted and pattern.match(path):
            return kind
    return None


def read_access_log(lines) -> list[tuple[str, str, int, float]]:
    """(method, path, status, ms) from lines in ``ACCESS_LOG_FORMAT``; others are skipped."""
    found = []
    for line in lines:
        fields = line.split()
        if len(fields) == 4 and fields[2].isdigit() and fields[3].isdigit():
            found.append((fields[0], fields[1], int(fields[2]), int(fields[3]) / 1000))
    return found


@dataclass(frozen=True)
class KindCost:
    kind: str
    per_mock: int
    count: int  # requests of this kind in the exam runs
    mean_ms: float  # mean time in the worker
    to_baseline: float  # mean_ms / the baseline request's mean time in the worker
    share: float  # of one mock's time in the worker
    equivalents: float | None  # share of the measured cost per mock


def breakdown(
    steps: list[dict],
    exam_requests: list[tuple[str, str, int, float]],
    baseline_ms: list[float],
    cost: float | None,
) -> list[KindCost]:
    """Each kind of request of a mock: its time in the worker, against the baseline's, and
    its share of the mock (count per mock x mean time), which splits the measured cost."""
    kinds = step_kinds(steps)
    times: dict[str, list[float]] = {}
    for method, path, _, ms in exam_requests:
        kind = kind_of(method, path, kinds)
        if kind is not None:
            times.setdefault(kind, []).append(ms)
    per_mock = steps_per_kind(steps)
    per_mock["save"] = per_mock.get("save", 0) + per_mock.pop("change", 0)
    baseline = sum(baseline_ms) / len(baseline_ms) if baseline_ms else 0.0
    means = {kind: sum(found) / len(found) for kind, found in times.items()}
    total = sum(per_mock[kind] * mean for kind, mean in means.items())
    rows = []
    for kind, count in per_mock.items():
        if kind not in means:
            continue
        share = count * means[kind] / total if total else 0.0
        rows.append(
            KindCost(
                kind=kind,
                per_mock=count,
                count=len(times[kind]),
                mean_ms=means[kind],
                to_baseline=means[kind] / baseline if baseline else 0.0,
                share=share,
                equivalents=None if cost is None else share * cost,
            )
        )
    return rows


def format_breakdown(rows: list[KindCost], baseline_ms: float) -> str:
    header = (
        f"{'request':<8} {'per mock':>8} {'seen':>6} {'ms each':>8} {'x baseline':>10} "
        f"{'of mock':>8} {'equiv.':>7}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        equivalents = "-" if row.equivalents is None else f"{row.equivalents:.0f}"
        lines.append(
            f"{row.kind:<8} {row.per_mock:>8} {row.count:>6} {row.mean_ms:>8.2f} "
            f"{row.to_baseline:>10.1f} {row.share * 100:>7.1f}% {equivalents:>7}"
        )
    per_mock_ms = sum(row.per_mock * row.mean_ms for row in rows)
    lines.append(
        f"one mock: {per_mock_ms:,.0f} ms in the workers = {per_mock_ms / baseline_ms:,.0f} "
        f"baseline requests' time in the worker ({baseline_ms:.2f} ms each)"
        if baseline_ms
        else f"one mock: {per_mock_ms:,.0f} ms in the workers"
    )
    return "\n".join(lines)
