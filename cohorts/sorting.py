"""Sorting the dashboard by any column through plain links (``?sort=-readiness``): no script.

Rows are sorted in Python because readiness and mastery are computed there, not in SQL; a
cohort is at most a few hundred rows. Learners without a figure always come last.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlencode

from quizzes.bank_summary import DomainCoverage
from quizzes.models import Domain, Topic

from .dashboard import LearnerRow

DEFAULT_SORT = "-at_risk"

SortKey = Callable[[LearnerRow], object]

FIXED_COLUMNS: dict[str, tuple[str, SortKey]] = {
    "name": ("Learner", lambda row: row.name.casefold()),
    "attempts": ("Attempts", lambda row: row.attempts),
    "latest_mock": ("Latest mock", lambda row: row.latest_mock),
    "best_mock": ("Best mock", lambda row: row.best_mock),
    "readiness": ("Readiness", lambda row: row.readiness.chance),
    "last_activity": ("Last activity", lambda row: row.last_activity),
    "at_risk": ("At risk", lambda row: (row.at_risk, len(row.risk_reasons))),
}
TOPIC_PREFIX = "topic-"
DOMAIN_PREFIX = "domain-"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    query: str  # the query string of the header's link
    direction: str  # "ascending", "descending" or "" when the table is not sorted by it
    is_topic: bool = False  # a topic's or a domain's mastery: a narrow, rotated heading


def topic_id_of(key: str) -> int | None:
    """``"topic-12"`` -> 12; None for any other key (ASCII digits only: ``str.isdigit`` also
    takes "²", which ``int`` refuses)."""
    digits = key.removeprefix(TOPIC_PREFIX)
    if key.startswith(TOPIC_PREFIX) and digits.isascii() and digits.isdigit():
        return int(digits)
    return None


def sort_key_for(key: str) -> SortKey | None:
    if key in FIXED_COLUMNS:
        return FIXED_COLUMNS[key][1]
    topic_id = topic_id_of(key)
    if topic_id is not None:

        def topic_percent(row: LearnerRow) -> int | None:
            cell = row.cell_for(topic_id)
            return cell.percent if cell else None

        return topic_percent
    if key.startswith(DOMAIN_PREFIX):
        domain = key.removeprefix(DOMAIN_PREFIX)
        if domain not in Domain.values:
            return None

        def domain_percent(row: LearnerRow) -> int | None:
            cell = row.domain_cell_for(domain)
            return cell.percent if cell else None

        return domain_percent
    return None


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``"-readiness"`` -> ("readiness", True); anything unknown falls back to the default."""
    value = value or DEFAULT_SORT
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if sort_key_for(key) is None:
        return parse_sort(DEFAULT_SORT)
    return key, descending


def normal_sort(value: str | None, *, topic_ids: Collection[int] = ()) -> str:
    """The sort a ``?sort=`` value means, spelled one way: a fixed column, a domain, or one of
    ``topic_ids``; anything else is the default. Only these few values reach a cache key."""
    key, descending = parse_sort(value)
    topic_id = topic_id_of(key)
    if topic_id is not None:
        if topic_id not in topic_ids:
            key, descending = parse_sort(DEFAULT_SORT)
        else:
            key = f"{TOPIC_PREFIX}{topic_id}"  # "topic-007" is "topic-7"
    return f"-{key}" if descending else key


def sort_rows(rows: tuple[LearnerRow, ...], sort: str | None) -> list[LearnerRow]:
    """Rows by the column named in ``sort`` (then by name); rows without a figure last."""
    key, descending = parse_sort(sort)
    value_of = sort_key_for(key)
    by_name = sorted(rows, key=FIXED_COLUMNS["name"][1])
    present = [row for row in by_name if value_of(row) is not None]
    missing = [row for row in by_name if value_of(row) is None]
    present.sort(key=value_of, reverse=descending)
    return present + missing


def columns(
    topics: tuple[Topic, ...],
    sort: str | None,
    params: dict[str, str],
    domains: tuple[DomainCoverage, ...] = (),
) -> list[Column]:
    """The sortable headers: each links to its column ascending, or descending when the table
    is already sorted ascending by it. ``params`` (the date range) are kept in the links."""
    current, descending = parse_sort(sort)
    keys = [(key, label) for key, (label, _) in FIXED_COLUMNS.items()]
    # The topic grid, then the covered domains', sit between readiness and last activity, as
    # on the page.
    at = list(FIXED_COLUMNS).index("last_activity")
    keys[at:at] = [(f"{TOPIC_PREFIX}{topic.pk}", topic.title) for topic in topics] + [
        (f"{DOMAIN_PREFIX}{domain.domain}", f"Domain: {domain.label}") for domain in domains
    ]
    made = []
    for key, label in keys:
        is_current = key == current
        flip = "-" if is_current and not descending else ""
        direction = ("descending" if descending else "ascending") if is_current else ""
        query = urlencode({**params, "sort": f"{flip}{key}"})
        made.append(
            Column(
                key=key,
                label=label,
                query=query,
                direction=direction,
                is_topic=key.startswith((TOPIC_PREFIX, DOMAIN_PREFIX)),
            )
        )
    return made
