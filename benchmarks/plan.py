"""The request plan: a logged-in session per client, and per page the requests each client
cycles through (paths from ``reverse``, so URL changes follow). Used by both tiers."""

from .exam import ATTEMPT_SLOT, POSITION_SLOT, MockUrls, mock_steps
from .pages import EXAM, PAGES_BY_NAME, answer_body
from .seed import Seeded

BACKEND = "accounts.backends.AccountBackend"


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
                "body": answer_body(item.choice_keys[turn], "{sequence}"),
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
    if seeded.examinees:
        pages[EXAM] = exam_plan(seeded)
    from django.conf import settings

    return {
        "pages": pages,
        "skipped": dict(seeded.skipped),
        "counts": seeded.counts,
        "cookies": {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME},
    }


# Ids and positions that no URL of the seeded data uses, reversed and then swapped for the
# slots, so that the mock's paths follow the URL configuration.
ATTEMPT_STAND_IN = 987_654_321
POSITION_STAND_IN = 876_543


def mock_urls(exam_slug: str) -> MockUrls:
    from django.urls import reverse

    def path(name: str, *, position: bool = False) -> str:
        args = [ATTEMPT_STAND_IN, POSITION_STAND_IN] if position else [ATTEMPT_STAND_IN]
        found = reverse(f"quizzes:{name}", args=args)
        found = found.replace(str(ATTEMPT_STAND_IN), ATTEMPT_SLOT)
        return found.replace(str(POSITION_STAND_IN), POSITION_SLOT)

    return MockUrls(
        start=reverse("quizzes:start_exam", args=[exam_slug]),
        attempt=path("attempt_detail"),
        item=path("take_item", position=True),
        answer=path("answer_item", position=True),
        mark=path("mark_item", position=True),
        review=path("attempt_review"),
        submit=path("submit"),
        result=path("attempt_result"),
    )


def exam_plan(seeded: Seeded) -> dict:
    """The exam scenario: per examinee its session; the steps of one full mock, shared."""
    from django.urls import reverse

    catalogue = reverse("quizzes:exam_catalogue")  # its start forms set the CSRF cookie
    exam = seeded.full_mock
    return {
        "exam": exam.slug,
        "steps": mock_steps(
            mock_urls(exam.slug),
            exam.item_count,
            item_marker=PAGES_BY_NAME["item"].marker,
            # The last item of the result: the whole page was rendered.
            result_marker=f'id="item-{exam.item_count}"',
        ),
        "clients": [
            {
                "user": user.get_username(),
                "session": create_session(user),
                "warmup": catalogue,
                "requests": [],
            }
            for user in seeded.examinees
        ],
    }
