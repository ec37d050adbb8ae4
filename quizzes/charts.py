"""A score trend as server-rendered SVG coordinates. Pure: no database, no templates."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 240, 36


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    score: int
    label: str


@dataclass(frozen=True)
class TrendChart:
    points: tuple[ChartPoint, ...]
    line: str  # SVG polyline "x,y x,y ..."
    pass_y: float
    pass_mark: int
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        return [(score, y_for(score)) for score in (0, 25, 50, 75, 100)]


def y_for(score: float) -> float:
    return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * score / 100, 1)


def trend_chart(scores: list[tuple[str, int]], *, pass_mark: int) -> TrendChart | None:
    """Scores (label, percent) oldest first, spread across the width; None when empty."""
    if not scores:
        return None
    step = (WIDTH - 2 * PAD) / max(1, len(scores) - 1)
    points = tuple(
        ChartPoint(
            x=round(PAD + (index * step if len(scores) > 1 else (WIDTH - 2 * PAD) / 2), 1),
            y=y_for(score),
            score=score,
            label=label,
        )
        for index, (label, score) in enumerate(scores)
    )
    line = " ".join(f"{p.x},{p.y}" for p in points)
    return TrendChart(points=points, line=line, pass_y=y_for(pass_mark), pass_mark=pass_mark)
