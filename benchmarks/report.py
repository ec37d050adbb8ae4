"""Turn the interleaved runs into the table and the RESULT line. Pure: no I/O."""

from dataclasses import dataclass
from statistics import fmean, median

from .exam import exam_cost, mocks_per_core_hour
from .goals import Goals, Verdict, p99_scale
from .pages import BASELINE, EXAM, TARGET_PAGES
from .wrk import WrkResult

RESULT_PAGES = ("item", "autosave", "result", "history", "dashboard")
P99_PAGES = ("item", "autosave")


@dataclass(frozen=True)
class Run:
    index: int  # position in the schedule: baselines sit between the targets
    page: str
    result: WrkResult


@dataclass(frozen=True)
class PageSummary:
    page: str
    runs: int
    ok_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    ratio: float | None  # to the baseline runs beside this page's runs; None for baseline
    skipped: str = ""


@dataclass(frozen=True)
class ExamSummary:
    runs: int
    requests_per_mock: int
    mocks: int  # whole mocks finished, over the runs
    mocks_per_second: float  # mean over the runs
    cost: float | None  # bare-request equivalents per mock, mean over the runs
    request_cost: float | None  # the same from requests/s: requests_per_mock / ratio
    per_core_hour: float
    cores: int
    slow_clients: int  # client-runs that finished no whole mock (their rate is estimated)


def schedule(targets: list[str], rounds: int) -> list[str]:
    """baseline, target, baseline, target, ..., baseline: every target between two baselines."""
    order = []
    for _ in range(rounds):
        for target in targets:
            order += [BASELINE, target]
    return [*order, BASELINE] if order else [BASELINE]


def neighbour_baselines(runs: list[Run], index: int) -> list[Run]:
    """The baseline runs just before and just after the run at ``index``."""
    before = [r for r in runs if r.page == BASELINE and r.index < index]
    after = [r for r in runs if r.page == BASELINE and r.index > index]
    return ([before[-1]] if before else []) + ([after[0]] if after else [])


def baseline_beside(runs: list[Run], run: Run) -> float:
    """The mean requests/s of the baseline runs just before and after ``run`` (0: none)."""
    beside = neighbour_baselines(runs, run.index)
    return fmean(r.result.ok_per_second for r in beside) if beside else 0.0


def ratio_of(runs: list[Run], run: Run) -> float | None:
    baseline = baseline_beside(runs, run)
    return run.result.ok_per_second / baseline if baseline else None


def summarize_exam(runs: list[Run], requests_per_mock: int, cores: int) -> ExamSummary | None:
    """The exam runs' cost per full mock: each run's baseline requests/s (the runs beside
    it) over its whole mocks per second, averaged over the runs."""
    mine = [r for r in runs if r.page == EXAM]
    if not mine:
        return None
    costs = [exam_cost(baseline_beside(runs, r), r.result.mocks_per_second) for r in mine]
    costs = [c for c in costs if c is not None]
    ratios = [x for x in (ratio_of(runs, r) for r in mine) if x]
    per_second = fmean(r.result.mocks_per_second for r in mine)
    return ExamSummary(
        runs=len(mine),
        requests_per_mock=requests_per_mock,
        mocks=sum(r.result.mocks for r in mine),
        mocks_per_second=per_second,
        cost=fmean(costs) if costs else None,
        request_cost=requests_per_mock / fmean(ratios) if ratios else None,
        per_core_hour=mocks_per_core_hour(per_second, cores),
        cores=cores,
        slow_clients=sum(
            max(0, r.result.threads - r.result.mock_clients) for r in mine if r.result.threads
        ),
    )


def format_exam(exam: ExamSummary, goal: float | None) -> str:
    cost = "not measured" if exam.cost is None else f"{exam.cost:,.0f}"
    mock_seconds = 1 / exam.mocks_per_second if exam.mocks_per_second else 0.0
    lines = [
        f"exam: a full mock is {exam.requests_per_mock} requests; {exam.mocks} whole mocks "
        f"in {exam.runs} run{'s' if exam.runs != 1 else ''}",
        f"  cost     {cost} bare-request equivalents per full mock"
        + ("" if goal is None else f" (target <= {goal:g})"),
        f"  rate     {exam.mocks_per_second:.2f} mocks/s (the server's {mock_seconds:.2f} s "
        f"a mock) = {exam.per_core_hour:,.0f} full mocks per core-hour ({exam.cores} cores)",
    ]
    if exam.request_cost is not None:
        lines.append(
            f"  check    {exam.requests_per_mock} requests / the exam's ratio = "
            f"{exam.request_cost:,.0f} (from requests/s; partial mocks at the runs' ends "
            "weigh in)"
        )
    if exam.slow_clients:
        lines.append(
            f"  !! {exam.slow_clients} client-runs finished no whole mock: counted at the "
            "others' pace (run longer: --exam-seconds)"
        )
    return "\n".join(lines)


def summarize(runs: list[Run], skipped: dict[str, str]) -> list[PageSummary]:
    summaries = []
    for page in [BASELINE, *(p.name for p in TARGET_PAGES)]:
        mine = [r for r in runs if r.page == page]
        if not mine:
            if page in skipped:
                summaries.append(PageSummary(page, 0, 0.0, 0.0, 0.0, 0, None, skipped[page]))
            continue
        ratios = [ratio_of(runs, r) for r in mine] if page != BASELINE else []
        ratios = [r for r in ratios if r is not None]
        summaries.append(
            PageSummary(
                page=page,
                runs=len(mine),
                ok_per_second=fmean(r.result.ok_per_second for r in mine),
                p50_ms=median(r.result.p50_ms for r in mine),
                # The worst run's p99: a tail seen once is a tail candidates will meet.
                p99_ms=max(r.result.p99_ms for r in mine),
                errors=sum(r.result.errors for r in mine),
                ratio=fmean(ratios) if ratios else (1.0 if page == BASELINE else None),
            )
        )
    return summaries


def format_table(summaries: list[PageSummary], targets: dict[str, float]) -> str:
    header = (
        f"{'page':<10} {'runs':>4} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'ratio':>7} {'target':>7}"
    )
    lines = [header, "-" * len(header)]
    for s in summaries:
        if s.skipped:
            lines.append(f"{s.page:<10} skipped: {s.skipped}")
            continue
        target = targets.get(s.page)
        ratio = "-" if s.ratio is None else f"{s.ratio:.3f}"
        lines.append(
            f"{s.page:<10} {s.runs:>4} {s.ok_per_second:>9.1f} {s.p50_ms:>8.1f} "
            f"{s.p99_ms:>8.1f} {s.errors:>7} {ratio:>7} "
            f"{'' if target is None else f'>={target:.2f}':>7}"
        )
    return "\n".join(lines)


def format_verdicts(verdicts: list[Verdict]) -> str:
    lines = []
    for v in verdicts:
        if v.passed is None:
            lines.append(f"  {v.subject:<18} not measured")
            continue
        word = "met" if v.passed else "MISSED"
        measured = f"{v.measured:.3f}" if isinstance(v.measured, float) else str(v.measured)
        lines.append(f"  {v.subject:<18} {measured:>8} {v.note} {v.goal:g}: {word}")
    return "\n".join(lines)


def baseline_per_second(summaries: list[PageSummary]) -> float | None:
    """The baseline's mean requests/s over the run, None when it did not run."""
    found = next((s for s in summaries if s.page == BASELINE and not s.skipped), None)
    return found.ok_per_second if found else None


def format_p99_scale(goals: Goals, baseline: float | None) -> str:
    """How this run's p99 limits follow from goals.toml's (see goals.p99_scale)."""
    if goals.http_p99_reference_baseline is None or not baseline:
        return ""
    return (
        f"  p99 limits are for a baseline of {goals.http_p99_reference_baseline:,.0f} req/s; "
        f"this run's baseline served {baseline:,.0f}, so each limit is "
        f"x{p99_scale(goals, baseline):.2f}"
    )


def p99_needs(summaries: list[PageSummary], limits: dict[str, float], clients: int) -> str:
    """For each page over its p99 limit, the throughput the limit asks of this machine.

    The run is a closed loop: each client sends its next request when the last one is
    answered, so the latency is ``clients / requests per second`` and falls as throughput
    grows: a limit asks for a throughput, which this line puts as a ratio to the baseline."""
    by_page = {s.page: s for s in summaries if not s.skipped}
    baseline = by_page.get(BASELINE)
    lines = []
    for page, limit in limits.items():
        found = by_page.get(page)
        if baseline is None or found is None or found.p99_ms <= limit or not found.ok_per_second:
            continue
        needed = found.ok_per_second * found.p99_ms / limit
        lines.append(
            f"  {page} p99: {clients} clients at {found.ok_per_second:.0f} req/s wait "
            f"{found.p50_ms:.0f} ms at the median; {limit:.0f} ms at p99 needs about "
            f"{needed:.0f} req/s, a ratio of {needed / baseline.ok_per_second:.2f} to this "
            f"machine's baseline ({baseline.ok_per_second:.0f} req/s)"
        )
    return "\n".join(lines)


def result_line(
    summaries: list[PageSummary],
    exam: ExamSummary | None = None,
    p99_limits: dict[str, float] | None = None,
) -> str:
    """``RESULT item=0.xx ... dashboard=0.xx exam_cost=N p99_item_ms=N p99_autosave_ms=N
    p99_limit_ms=N errors=N`` (issue 8's format, the exam's cost per full mock and the p99
    limit of this run's machine: one figure when the pages share it)."""
    by_page = {s.page: s for s in summaries}
    parts = []
    for page in RESULT_PAGES:
        found = by_page.get(page)
        if found is None or found.skipped or found.ratio is None:
            parts.append(f"{page}=skipped")
        else:
            parts.append(f"{page}={found.ratio:.2f}")
    parts.append(
        f"exam_cost={'skipped' if exam is None or exam.cost is None else round(exam.cost)}"
    )
    for page in P99_PAGES:
        found = by_page.get(page)
        value = "skipped" if found is None or found.skipped else f"{round(found.p99_ms)}"
        parts.append(f"p99_{page}_ms={value}")
    limits = {page: round(limit) for page, limit in (p99_limits or {}).items() if page in P99_PAGES}
    if len(set(limits.values())) == 1:
        parts.append(f"p99_limit_ms={next(iter(limits.values()))}")
    else:
        parts += [f"p99_{page}_limit_ms={limit}" for page, limit in limits.items()]
    parts.append(f"errors={sum(s.errors for s in summaries)}")
    return "RESULT " + " ".join(parts)
