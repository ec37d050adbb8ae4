"""Turn the interleaved runs into the table and the RESULT line. Pure: no I/O."""

from dataclasses import dataclass
from statistics import fmean, median

from .goals import Verdict
from .pages import BASELINE, TARGET_PAGES
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


def ratio_of(runs: list[Run], run: Run) -> float | None:
    beside = neighbour_baselines(runs, run.index)
    baseline = fmean(r.result.ok_per_second for r in beside) if beside else 0.0
    return run.result.ok_per_second / baseline if baseline else None


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


def result_line(summaries: list[PageSummary]) -> str:
    """``RESULT item=0.xx ... p99_item_ms=N p99_autosave_ms=N errors=N`` (issue 8's format)."""
    by_page = {s.page: s for s in summaries}
    parts = []
    for page in RESULT_PAGES:
        found = by_page.get(page)
        if found is None or found.skipped or found.ratio is None:
            parts.append(f"{page}=skipped")
        else:
            parts.append(f"{page}={found.ratio:.2f}")
    for page in P99_PAGES:
        found = by_page.get(page)
        value = "skipped" if found is None or found.skipped else f"{round(found.p99_ms)}"
        parts.append(f"p99_{page}_ms={value}")
    parts.append(f"errors={sum(s.errors for s in summaries)}")
    return "RESULT " + " ".join(parts)
