"""The write paths of cohorts: create, regenerate the code, join, leave, set extra time."""

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import CandidateProfile

from .models import JOIN_CODE_LIFETIME, Cohort, Membership, generate_join_code

WRONG_CODE = "No cohort has that join code. Check it with your cohort lead and try again."
EXPIRED_CODE = (
    "That join code has expired. Ask your cohort lead for a new one (they can regenerate it "
    "on their cohort page)."
)
ALREADY_MEMBER = "You are already a member of {cohort}: nothing has changed."
JOINED = "You have joined {cohort}."
LEFT = "You have left {cohort}. Its leads no longer see your results."
NOT_A_MEMBER = "You are not a member of {cohort}."


class JoinError(Exception):
    """A join code that cannot be used; ``message`` is shown to the candidate."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_code(code: str) -> str:
    """Codes are typed by hand: ignore case, spaces and hyphens."""
    return re.sub(r"[\s-]+", "", code or "").upper()


def create_cohort(*, name: str, lead, now: datetime | None = None) -> Cohort:
    """A new cohort led by ``lead``, with a fresh join code."""
    now = now or timezone.now()
    with transaction.atomic():
        cohort = Cohort.objects.create(
            name=name.strip(),
            join_code=generate_join_code(),
            code_expires_at=now + JOIN_CODE_LIFETIME,
        )
        cohort.leads.add(lead)
    return cohort


def regenerate_join_code(*, cohort: Cohort, now: datetime | None = None) -> Cohort:
    """Replace the join code (the old one stops working) and restart its lifetime."""
    now = now or timezone.now()
    cohort.join_code = generate_join_code()
    cohort.code_expires_at = now + JOIN_CODE_LIFETIME
    cohort.save(update_fields=["join_code", "code_expires_at"])
    return cohort


def find_cohort_by_code(*, code: str, now: datetime | None = None) -> Cohort:
    """The cohort a join code opens, or ``JoinError`` for a wrong or an expired code."""
    now = now or timezone.now()
    cohort = Cohort.objects.filter(join_code=normalise_code(code)).first()
    if cohort is None:
        raise JoinError(WRONG_CODE)
    if cohort.code_is_expired(now):
        raise JoinError(EXPIRED_CODE)
    return cohort


def join_cohort(*, user, code: str, now: datetime | None = None) -> tuple[Cohort, bool]:
    """Add ``user`` to the cohort of ``code``; (cohort, False) when they were already in it."""
    now = now or timezone.now()
    cohort = find_cohort_by_code(code=code, now=now)
    try:
        with transaction.atomic():
            _, created = Membership.objects.get_or_create(
                cohort=cohort, user=user, defaults={"joined_at": now}
            )
    except IntegrityError:  # a double click raced us: the membership exists
        created = False
    return cohort, created


def leave_cohort(*, user, cohort: Cohort) -> bool:
    """Remove ``user`` from ``cohort``; False when they were not a member."""
    deleted, _ = Membership.objects.filter(cohort=cohort, user=user).delete()
    return deleted > 0


def set_extra_time(*, learner, percent: int) -> CandidateProfile:
    """Set the learner's extra-time allowance (applies to attempts started from now on)."""
    profile, _ = CandidateProfile.objects.update_or_create(
        user=learner, defaults={"extra_time_percent": percent}
    )
    return profile
