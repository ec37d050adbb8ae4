"""The request plan: a logged-in session per client, and per page the requests each client
cycles through (paths from ``reverse``, so URL changes follow). Used by both tiers."""

from .pages import answer_body
from .seed import Seeded

BACKEND = "django.contrib.auth.backends.ModelBackend"


def create_session(user) -> str:
    """A logged-in session for ``user``, made by Django's own login (its signals included)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend=BACKEND)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def request_plan(seeded: Seeded) -> dict:
    """Per page, per client: its session and the requests it cycles through."""
    from django.urls import reverse

    candidate_pages = ("baseline", "item", "autosave", "result", "history")
    pages: dict[str, dict] = {name: {"clients": []} for name in candidate_pages}
    for client in seeded.clients:
        session = create_session(client.user)
        attempt = client.in_progress
        items = list(attempt.items.order_by("position"))
        take = [
            {"path": reverse("quizzes:take_item", args=[attempt.pk, i.position])} for i in items
        ]
        # Two passes over the items with two different answers: every save is a real change.
        saves = [
            {
                "path": reverse("quizzes:answer_item", args=[attempt.pk, item.position]),
                "body": answer_body(item.choice_keys()[turn], "{sequence}"),
            }
            for turn in (0, 1)
            for item in items
        ]
        requests = {
            "baseline": [{"path": reverse("bench_baseline")}],
            "item": take,
            "autosave": saves,
            "result": [{"path": reverse("quizzes:attempt_result", args=[client.submitted.pk])}],
            "history": [{"path": reverse("quizzes:history")}],
        }
        for name, entries in requests.items():
            pages[name]["clients"].append(
                {
                    "user": client.user.get_username(),
                    "session": session,
                    "warmup": take[0]["path"],
                    "requests": entries,
                }
            )
    if seeded.cohort is not None:
        path = reverse("cohorts:dashboard", args=[seeded.cohort.pk])
        pages["dashboard"] = {
            "clients": [
                {
                    "user": lead.get_username(),
                    "session": create_session(lead),
                    "warmup": path,
                    "requests": [{"path": path}],
                }
                for lead in seeded.leads
            ]
        }
    from django.conf import settings

    return {
        "pages": pages,
        "skipped": dict(seeded.skipped),
        "counts": seeded.counts,
        "cookies": {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME},
    }
