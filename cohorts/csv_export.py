"""The cohort's figures as CSV for a spreadsheet: one row per learner and topic, or one row
per attempt. Streamed row by row; any text a spreadsheet would run as a formula is defused."""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from quizzes.models import Attempt

from .dashboard import CohortTable
from .models import Cohort
from .periods import Period

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and
# Google Sheets, also after leading spaces, tabs or line breaks, which some of them skip; a
# leading apostrophe makes it plain text.
FORMULA_SIGNS = ("=", "+", "-", "@")
# A tab or carriage return first is refused whatever follows: importers treat them as cell
# or row breaks.
BREAKING_STARTS = ("\t", "\r")
# Excel reads a UTF-8 file as UTF-8 only when it starts with a byte-order mark.
BYTE_ORDER_MARK = "\ufeff"

LEARNER_TOPIC_COLUMNS = [
    "username",
    "name",
    "topic",
    "topic_correct",
    "topic_answers",
    "topic_mastery_percent",
    "readiness_percent",
    "attempts",
    "latest_mock_percent",
    "best_mock_percent",
    "at_risk",
    "at_risk_reasons",
    "last_activity",
]
ATTEMPT_COLUMNS = [
    "username",
    "name",
    "attempt_id",
    "exam",
    "status",
    "started_at",
    "submitted_at",
    "finish_reason",
    "score_percent",
    "pass_mark_percent",
    "passed",
    "correct",
    "items",
    "minutes_used",
]


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, prefixed with a single quote."""
    if isinstance(value, str) and (
        value.startswith(BREAKING_STARTS) or value.lstrip().startswith(FORMULA_SIGNS)
    ):
        return "'" + value
    return value


def local_time(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def blank_if_none(value: object) -> object:
    return "" if value is None else value


class Echo:
    """A file-like object whose ``write`` hands the line back, for ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def stream_csv(rows: Iterable[list]) -> Iterator[str]:
    """CSV lines, each cell made spreadsheet-safe, after a byte-order mark."""
    writer = csv.writer(Echo())
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def learner_topic_rows(table: CohortTable) -> Iterator[list]:
    """Header, then one row per learner and topic of the dashboard's table."""
    yield LEARNER_TOPIC_COLUMNS
    for row in table.rows:
        for cell in row.cells:
            yield [
                row.learner.get_username(),
                row.learner.get_full_name(),
                cell.topic.title,
                cell.mastery.correct if cell.mastery else 0,
                cell.mastery.total if cell.mastery else 0,
                blank_if_none(cell.percent),
                blank_if_none(row.readiness.chance),
                row.attempts,
                blank_if_none(row.latest_mock),
                blank_if_none(row.best_mock),
                yes_no(row.at_risk),
                "; ".join(row.risk_reasons),
                local_time(row.last_activity),
            ]


def cohort_attempts(cohort: Cohort, period: Period) -> QuerySet[Attempt]:
    return (
        Attempt.objects.filter(period.attempts_q(), user__cohort_memberships__cohort=cohort)
        .select_related("user")
        .order_by("user__username", "started_at", "pk")
    )


def attempt_rows(cohort: Cohort, *, period: Period | None = None) -> Iterator[list]:
    """Header, then one row per attempt of the cohort's members, read in chunks."""
    yield ATTEMPT_COLUMNS
    for attempt in cohort_attempts(cohort, period or Period()).iterator(chunk_size=500):
        used = attempt.time_used.total_seconds() / 60 if attempt.is_submitted else None
        yield [
            attempt.user.get_username(),
            attempt.user.get_full_name(),
            attempt.pk,
            attempt.exam_title,
            attempt.get_status_display(),
            local_time(attempt.started_at),
            local_time(attempt.submitted_at),
            attempt.get_finish_reason_display(),
            blank_if_none(attempt.score),
            attempt.pass_mark,
            yes_no(attempt.passed),
            blank_if_none(attempt.correct_count),
            attempt.item_count,
            "" if used is None else round(used, 1),
        ]
