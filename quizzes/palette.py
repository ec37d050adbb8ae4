"""The item palette of the taking and review pages: one link per item of an attempt.

Built in Python, not with a template loop: a 100-item palette rendered with a ``{% url %}``
and three conditionals per link was 60 % of the taking page's time (benchmarks/README.md).
Here each entry carries its finished strings (the link from ``attempt_urls``), and the links
are joined into HTML in one go.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from quizzes.attempt_urls import attempt_links
from quizzes.models import Attempt

ARIA_CURRENT = ' aria-current="step"'


@dataclass(frozen=True, slots=True)
class PaletteEntry:
    position: int
    chosen_key: str
    marked: bool
    href: str
    css_class: str
    spoken_status: str  # read after the number by screen readers: ", answered, marked ..."
    is_current: bool


def palette(attempt: Attempt, current: int | None = None) -> list[PaletteEntry]:
    """Every item of ``attempt`` in order; ``current`` is the position on screen, if any."""
    rows = attempt.items.order_by("position").values_list("position", "chosen_key", "marked")
    return palette_of(attempt, rows, current)


def palette_of(
    attempt: Attempt, rows: Iterable[tuple[int, str, bool]], current: int | None = None
) -> list[PaletteEntry]:
    """The palette from items already read: (position, chosen key, marked) in order."""
    link = attempt_links(attempt)["item"]
    return [
        _entry(position, chosen_key, marked, link, current) for position, chosen_key, marked in rows
    ]


# By (answered, marked): the link's class, and what a screen reader says after its number.
LOOKS = {
    (False, False): ("palette-link", ", unanswered"),
    (True, False): ("palette-link answered", ", answered"),
    (False, True): ("palette-link marked", ", unanswered, marked for review"),
    (True, True): ("palette-link answered marked", ", answered, marked for review"),
}


def _entry(position: int, chosen_key: str, marked: bool, link: str, current: int | None):
    css_class, spoken_status = LOOKS[bool(chosen_key), bool(marked)]
    is_current = position == current
    return PaletteEntry(
        position=position,
        chosen_key=chosen_key,
        marked=marked,
        href=link.replace("{n}", str(position)),
        css_class=f"{css_class} current" if is_current else css_class,
        spoken_status=spoken_status,
        is_current=is_current,
    )


def palette_links(entries: list[PaletteEntry]) -> SafeString:
    """The ``<li>`` links of the palette as HTML.

    Marked safe without escaping: every part is a number, a URL reversed from numbers, or
    one of the fixed words above; no text from a user or a trainer goes in. (Escaping 600
    values per page with ``format_html`` cost more than the rest of the page.)
    """
    return mark_safe(  # noqa: S308 -- see the docstring
        "\n".join(
            f'<li><a href="{entry.href}" id="palette-{entry.position}" class="{entry.css_class}"'
            f"{ARIA_CURRENT if entry.is_current else ''}>{entry.position}"
            f'<span class="visually-hidden">{entry.spoken_status}</span></a></li>'
            for entry in entries
        )
    )
