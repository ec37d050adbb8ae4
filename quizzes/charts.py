"""A score trend as server-rendered SVG coordinates. Pure: no database, no templates.

The SVG scales with its box (a viewBox, width 100 %, capped by CSS), so text scales with it:
FONT_SIZE user units in a WIDTH-unit viewBox render at 13 * 351 / 380 = 12.0 px in the
351 px column of a 375 px phone, and at most 13 * 460 / 380 = 15.7 px under the CSS cap of
460 px. Because text and geometry scale together, labels laid out here without overlap
never overlap at any width.

The time axis is spaced by attempt order, not by date: every mock keeps the same room for
its dot and its tap target (30 of them fit a phone), two mocks on one day stay apart, and
the first and last points always sit at the ends, so their date labels always fit. The dates
under the axis, and in each point's name, still say when each mock was taken.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from django.utils import dateformat, timezone

WIDTH, HEIGHT = 380, 204
FONT_SIZE = 13
PLOT_LEFT, PLOT_RIGHT = 40, 356  # room for the score labels left, half a date label right
PLOT_TOP, PLOT_BOTTOM = 14, 174
DATE_BASELINE = PLOT_BOTTOM + 20
DOT_RADIUS, HIT_RADIUS = 4.5, 12
SCORE_TICKS = (0, 25, 50, 75, 100)
# Generous average glyph width (DejaVu Sans digits are 0.64 em), so estimates err wide.
CHAR_WIDTH = 0.62 * FONT_SIZE
LABEL_GAP = FONT_SIZE * 0.75


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    score: int
    passed: bool
    name: str  # what a screen reader, the tooltip and the caption say about the point


@dataclass(frozen=True)
class ScoreTick:
    score: int
    y: float


@dataclass(frozen=True)
class DateTick:
    x: float  # the label's center: the point's x, moved in where it would leave the chart
    text: str
    point_x: float


@dataclass(frozen=True)
class PassLabel:
    x: float
    y: float  # baseline
    anchor: str  # SVG text-anchor: "start" or "end"
    text: str


@dataclass(frozen=True)
class TrendChart:
    points: tuple[ChartPoint, ...]
    line: str  # SVG polyline "x,y x,y ..."
    score_ticks: tuple[ScoreTick, ...]
    date_ticks: tuple[DateTick, ...]
    pass_mark: int
    pass_y: float
    pass_label: PassLabel
    width: int = WIDTH
    height: int = HEIGHT
    font_size: int = FONT_SIZE
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    plot_bottom: int = PLOT_BOTTOM
    score_label_x: int = PLOT_LEFT - 8
    date_baseline: int = DATE_BASELINE
    dot_radius: float = DOT_RADIUS
    hit_radius: float = HIT_RADIUS


def y_for(score: float) -> float:
    """The y of a percent score: 100 at the top of the plot, 0 at its bottom."""
    return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * score / 100, 1)


def x_for(index: int, count: int) -> float:
    """The x of the index-th of count points, evenly spread; a lone point sits mid-plot."""
    if count == 1:
        return (PLOT_LEFT + PLOT_RIGHT) / 2
    return round(PLOT_LEFT + index * (PLOT_RIGHT - PLOT_LEFT) / (count - 1), 1)


def text_width(text: str) -> float:
    """A generous estimate of the rendered width of ``text`` at FONT_SIZE, in user units."""
    return len(text) * CHAR_WIDTH


def point_name(when: datetime, score: int, passed: bool, *, with_time: bool) -> str:
    """What a point says: "Nov 12, 2026: 64 %, below the pass mark"."""
    moment = dateformat.format(when, "M j, Y, H:i" if with_time else "M j, Y")
    return f"{moment}: {score} %, {'a pass' if passed else 'below the pass mark'}"


def date_ticks(days: Sequence[date], xs: Sequence[float]) -> tuple[DateTick, ...]:
    """Dates under the axis: the first point's and the last day's always; between them, the
    first point of each day wherever its label clears its neighbors'."""
    if not days:
        return ()
    fmt = "M j" if days[0].year == days[-1].year else "M j, Y"

    def tick(index: int) -> DateTick:
        text = dateformat.format(days[index], fmt)
        half = text_width(text) / 2
        center = min(max(xs[index], half + 1), WIDTH - half - 1)
        return DateTick(x=round(center, 1), text=text, point_x=xs[index])

    def clear(left: DateTick, right: DateTick) -> bool:
        return (
            left.x + text_width(left.text) / 2 + LABEL_GAP <= right.x - text_width(right.text) / 2
        )

    first = tick(0)
    starts = [i for i in range(1, len(days)) if days[i] != days[i - 1]]
    if not starts:
        return (first,)
    last = tick(starts[-1])
    if not clear(first, last):  # the last day began close to the first label: mark its end
        last = tick(len(days) - 1)
        if not clear(first, last):
            return (first,)
    kept = [first]
    for index in starts[:-1]:
        candidate = tick(index)
        if clear(kept[-1], candidate) and clear(candidate, last):
            kept.append(candidate)
    return (*kept, last)


def pass_label(pass_mark: int, points: Sequence[ChartPoint]) -> PassLabel:
    """The pass mark's label, just above or below its line, at whichever end of the line it
    covers the fewest dots (then the fewest stretches of the trend line)."""
    text = f"pass {pass_mark} %"
    width, line_y = text_width(text), y_for(pass_mark)
    samples = [
        (a.x + (b.x - a.x) * step / 8, a.y + (b.y - a.y) * step / 8)
        for a, b in pairwise(points)
        for step in range(9)
    ]
    ends = (("end", PLOT_RIGHT, PLOT_RIGHT - width), ("start", PLOT_LEFT + 4, PLOT_LEFT + 4))
    candidates = []
    for anchor, x, left in ends:
        for baseline in (line_y - 5, line_y + FONT_SIZE + 3):
            top, bottom = baseline - 0.8 * FONT_SIZE, baseline + 0.25 * FONT_SIZE
            if top < 0 or bottom > PLOT_BOTTOM + 2:
                continue  # off the plot (a pass mark of 0 or 100)
            dots = sum(
                left - DOT_RADIUS <= p.x <= left + width + DOT_RADIUS
                and top - DOT_RADIUS <= p.y <= bottom + DOT_RADIUS
                for p in points
            )
            line = sum(left <= sx <= left + width and top <= sy <= bottom for sx, sy in samples)
            candidates.append((dots, line, len(candidates), PassLabel(x, baseline, anchor, text)))
    return min(candidates)[-1]


def trend_chart(
    scores: Sequence[tuple[datetime, int, bool]], *, pass_mark: int
) -> TrendChart | None:
    """Mock scores as (submitted at, percent, passed), oldest first; None when empty."""
    if not scores:
        return None
    moments = [timezone.localtime(when) if timezone.is_aware(when) else when for when, *_ in scores]
    days = [moment.date() for moment in moments]
    per_day = Counter(days)
    xs = [x_for(index, len(scores)) for index in range(len(scores))]
    points = tuple(
        ChartPoint(
            x=xs[index],
            y=y_for(score),
            score=score,
            passed=passed,
            name=point_name(moments[index], score, passed, with_time=per_day[days[index]] > 1),
        )
        for index, (_, score, passed) in enumerate(scores)
    )
    return TrendChart(
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        score_ticks=tuple(ScoreTick(score, y_for(score)) for score in SCORE_TICKS),
        date_ticks=date_ticks(days, xs),
        pass_mark=pass_mark,
        pass_y=y_for(pass_mark),
        pass_label=pass_label(pass_mark, points),
    )
