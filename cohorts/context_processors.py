"""The cohort links of the main navigation: "Cohorts" for leads, "Join a cohort" otherwise.

Every page renders the navigation, so the answer is kept in the session at login rather
than looked up per request. A role granted or taken away mid-session shows in the link at
the next login; the lead pages themselves always check the group (cohorts.views.access).
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .permissions import is_cohort_lead

# Renamed when staff stopped counting as leads: an answer remembered under the old rule is
# asked again instead of showing a trainer a link that now leads to a 403.
SESSION_KEY = "cohorts.nav_is_lead"


@receiver(user_logged_in, dispatch_uid="cohorts.remember_nav_role")
def remember_nav_role(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = is_cohort_lead(user)


def shows_cohorts_link(request: HttpRequest) -> bool:
    remembered = request.session.get(SESSION_KEY)
    if remembered is None:  # a session from before this was kept
        return is_cohort_lead(request.user)
    return remembered


def cohort_nav(request: HttpRequest) -> dict:
    # Lazy: only pages that render the navigation ask.
    return {"is_cohort_lead": SimpleLazyObject(lambda: shows_cohorts_link(request))}
