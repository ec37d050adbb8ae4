"""The goals in goals.toml: the HTTP targets of issue 8 and the quick tier's recorded ratios.

Pure: reading, comparing and writing plain numbers; no Django, no I/O beyond the file.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

GOALS_PATH = Path(__file__).resolve().parent / "goals.toml"


@dataclass(frozen=True)
class Goals:
    http_ratio: dict[str, float] = field(default_factory=dict)  # at least, vs baseline req/s
    # At most, on a machine whose baseline serves `http_p99_reference_baseline` requests/s
    # (see p99_limits); as written when that is None.
    http_p99_ms: dict[str, float] = field(default_factory=dict)
    http_p99_reference_baseline: float | None = None
    http_errors: int = 0
    # Bare-request equivalents per full mock of the exam scenario (at most).
    http_exam_cost: float | None = None
    quick_ratio: dict[str, float] = field(default_factory=dict)  # recorded time ratios
    check_factor: float = 2.0


def load_goals(path: Path = GOALS_PATH) -> Goals:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    http, quick = data.get("http", {}), data.get("quick", {})
    return Goals(
        http_ratio={k: float(v) for k, v in http.get("ratio", {}).items()},
        http_p99_ms={k: float(v) for k, v in http.get("p99_ms", {}).items()},
        http_p99_reference_baseline=(
            float(http["p99_reference_baseline"]) if "p99_reference_baseline" in http else None
        ),
        http_errors=int(http.get("errors", 0)),
        http_exam_cost=float(http["exam_cost"]) if "exam_cost" in http else None,
        quick_ratio={k: float(v) for k, v in quick.get("ratio", {}).items()},
        check_factor=float(quick.get("check_factor", 2.0)),
    )


@dataclass(frozen=True)
class Verdict:
    subject: str
    measured: float | None
    goal: float | None
    passed: bool | None  # None: nothing to compare (no goal, or the page was skipped)
    note: str = ""

    @property
    def label(self) -> str:
        return {True: "ok", False: "FAIL", None: "-"}[self.passed]


def compare_quick(measured: dict[str, float], goals: Goals) -> list[Verdict]:
    """A page fails when its time ratio is over ``check_factor`` times the recorded one."""
    verdicts = []
    for page, ratio in measured.items():
        recorded = goals.quick_ratio.get(page)
        if recorded is None:
            verdicts.append(Verdict(page, ratio, None, None, "no recorded ratio"))
            continue
        limit = recorded * goals.check_factor
        verdicts.append(Verdict(page, ratio, limit, ratio <= limit))
    return verdicts


def p99_scale(goals: Goals, baseline_per_second: float | None) -> float:
    """What goals.toml's p99 limits are multiplied by on the machine of this run.

    The HTTP run is a closed loop: each client sends its next request when the last one is
    answered, so the wait is about clients / requests per second, and the same page on a
    machine half as fast waits twice as long. A limit in milliseconds is written for a
    reference machine (issue 8's: a bare view at 6,000 requests/s) and scales by the
    reference over this run's baseline, which leaves the page's own share of the tail,
    compared in one run like the ratios. A faster machine than the reference gets a
    tighter limit. 1 without a reference or a baseline run: the limits as written."""
    reference = goals.http_p99_reference_baseline
    if reference is None or not baseline_per_second:
        return 1.0
    return reference / baseline_per_second


def p99_limits(goals: Goals, baseline_per_second: float | None) -> dict[str, float]:
    """Each page's p99 limit on the machine of this run (see ``p99_scale``)."""
    scale = p99_scale(goals, baseline_per_second)
    return {page: limit * scale for page, limit in goals.http_p99_ms.items()}


def compare_http(
    ratios: dict[str, float | None],
    p99_ms: dict[str, float | None],
    errors: int,
    goals: Goals,
    exam_cost: float | None = None,
    p99_limits: dict[str, float] | None = None,
) -> list[Verdict]:
    """The targets of the HTTP run: ratios at least, p99 at most (``p99_limits``, for this
    run's machine; goals.toml's as written without), the exam's cost at most, errors at
    most."""
    verdicts = []
    for page, target in goals.http_ratio.items():
        value = ratios.get(page)
        passed = None if value is None else value >= target
        verdicts.append(Verdict(f"{page} ratio", value, target, passed, ">="))
    for page, limit in (goals.http_p99_ms if p99_limits is None else p99_limits).items():
        value = p99_ms.get(page)
        passed = None if value is None else value <= limit
        verdicts.append(Verdict(f"{page} p99 ms", value, limit, passed, "<="))
    if goals.http_exam_cost is not None:
        passed = None if exam_cost is None else exam_cost <= goals.http_exam_cost
        shown = None if exam_cost is None else round(exam_cost)  # bare requests: no decimals
        verdicts.append(Verdict("exam cost", shown, goals.http_exam_cost, passed, "<="))
    verdicts.append(Verdict("errors", errors, goals.http_errors, errors <= goals.http_errors, "<="))
    return verdicts


def render_goals(goals: Goals) -> str:
    """goals.toml's text for ``goals`` (used by ``--record``)."""

    def table(values: dict[str, float], digits: int) -> str:
        return "".join(f"{key} = {round(value, digits)}\n" for key, value in values.items())

    exam_cost = (
        "" if goals.http_exam_cost is None else f"exam_cost = {round(goals.http_exam_cost, 1)}\n"
    )
    reference = goals.http_p99_reference_baseline
    p99_reference = "" if reference is None else f"p99_reference_baseline = {reference:g}\n"

    return (
        "# Goals of `python -m benchmarks` (see benchmarks/README.md).\n"
        "#\n"
        "# [http]: the targets of issue 8 for the HTTP run. `ratio` is a page's requests/s\n"
        "# divided by the bare baseline view's, in the same run (at least); `p99_ms` is the\n"
        "# 99th percentile latency (at most) on a machine whose baseline serves\n"
        "# `p99_reference_baseline` requests/s, and scales by that over this run's baseline\n"
        "# (benchmarks/goals.py: p99_limits); `errors` counts every response that is not a\n"
        "# 200 holding the page's marker, over the whole run; `exam_cost` is the server's\n"
        "# cost of one full mock in bare-request equivalents (at most).\n"
        "[http]\n"
        f"errors = {goals.http_errors}\n"
        f"{exam_cost}"
        f"{p99_reference}"
        "\n[http.ratio]\n"
        + table(goals.http_ratio, 3)
        + "\n[http.p99_ms]\n"
        + table(goals.http_p99_ms, 1)
        + "\n"
        "# [quick]: `python -m benchmarks --quick` (in-process, test client). `ratio` is a\n"
        "# page's time per request divided by the baseline request's, as recorded with\n"
        "# `--quick --record`; `--check` fails when a page is over `check_factor` times it.\n"
        "[quick]\n"
        f"check_factor = {goals.check_factor}\n"
        "\n[quick.ratio]\n" + table(goals.quick_ratio, 2)
    )
