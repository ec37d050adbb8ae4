"""Who may use the lead pages: members of the ``Cohort leads`` group, and nobody else.

Staff status opens no lead page: trainers author content and see learners only in aggregate
(accounts/roles.py), and superusers manage cohorts in the admin. A lead sees only the
cohorts they lead (``Cohort.objects.led_by``), whatever else their account may do.
"""

from accounts.roles import COHORT_LEADS


def is_cohort_lead(user) -> bool:
    """True for active members of the Cohort leads group (one query, then cached)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_is_cohort_lead"):
        user._is_cohort_lead = user.groups.filter(name=COHORT_LEADS).exists()
    return user._is_cohort_lead
