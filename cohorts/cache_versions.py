"""Keeping cohort pages' cache versions true (see crss_prep/page_cache.py).

A cohort's dashboard shows its members and their attempts: it moves when a membership is
made or removed, by any path (joining, leaving, the admin, an account's deletion), and when a
member's own version moves (an attempt started, submitted or closed).
"""

from crss_prep import page_cache

from .models import Membership


def bump_member_cohorts(sender, user_id: int, **kwargs) -> None:
    for cohort_id in Membership.objects.filter(user_id=user_id).values_list("cohort_id", flat=True):
        page_cache.bump(page_cache.cohort(cohort_id))


def bump_membership_cohort(sender, instance: Membership, **kwargs) -> None:
    page_cache.bump(page_cache.cohort(instance.cohort_id))
