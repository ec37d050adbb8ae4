"""Who may use the lead pages: members of the ``Cohort leads`` group, and staff."""

from accounts.roles import COHORT_LEADS


def is_cohort_lead(user) -> bool:
    """True for staff and for members of the Cohort leads group (one query, then cached)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if not hasattr(user, "_is_cohort_lead"):
        user._is_cohort_lead = user.groups.filter(name=COHORT_LEADS).exists()
    return user._is_cohort_lead
