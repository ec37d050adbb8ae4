"""The date range a lead looks at: attempts started from one day to another, both included."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    @property
    def is_bounded(self) -> bool:
        return self.start is not None or self.end is not None

    def attempts_q(self, prefix: str = "") -> Q:
        """Attempts started within the period; ``prefix`` reaches them through a relation,
        e.g. ``"attempts__"`` from a user or ``"attempt__"`` from an item."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{prefix}started_at__gte": start_of_day(self.start)})
        if self.end is not None:
            condition &= Q(**{f"{prefix}started_at__lt": start_of_day(self.end + timedelta(1))})
        return condition


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
