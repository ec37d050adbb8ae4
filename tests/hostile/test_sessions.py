"""A hostile user's session: replays, doctored forms, two tabs."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cohorts.models import Membership
from quizzes import services
from quizzes.models import AttemptItem, QuestionReport
from tests.factories import PASSWORD
from tests.hostile.helpers import (
    JSON,
    attempt_url,
    logged_in,
    messages_of,
    position_of,
    writes_nothing,
)

pytestmark = pytest.mark.django_db


def save(client: Client, world, choice: str, sequence: int, extra: dict | None = None):
    """A JSON save on the candidate's first item with choices a-b."""
    url = attempt_url(world, "answer", "own", "two")
    data = {"choice": choice, "sequence": sequence, **(extra or {})}
    return client.post(url, data, headers=JSON)


def own_item(world) -> AttemptItem:
    return world.attempt.items.get(position=position_of(world, "own", "two"))


def test_a_replayed_save_is_idempotent(hostile, world):
    logged_in(hostile, world.candidate)
    first = save(hostile, world, "b", 1)
    stored = own_item(world)

    with writes_nothing():
        replay = save(hostile, world, "b", 1)

    expected = {"saved": True, "position": stored.position, "choice": "b", "version": 1}
    assert first.json() == replay.json() == expected
    assert (stored.chosen_key, own_item(world).answered_at) == ("b", stored.answered_at)


def test_a_replayed_older_save_never_undoes_a_newer_one(hostile, world):
    logged_in(hostile, world.candidate)
    save(hostile, world, "a", 1)
    save(hostile, world, "b", 2)

    with writes_nothing():
        replay = save(hostile, world, "a", 1)

    assert replay.status_code == 409
    assert "another tab" in replay.json()["error"]
    assert own_item(world).chosen_key == "b"


def test_requests_replayed_after_submit_change_nothing(hostile, world):
    logged_in(hostile, world.candidate)
    save(hostile, world, "a", 1)
    submitted = hostile.post(attempt_url(world, "submit", "own"))
    assert submitted.status_code == 302

    with writes_nothing():
        answer = save(hostile, world, "b", 2)
        mark = hostile.post(attempt_url(world, "mark", "own", 1), {"marked": "on"}, headers=JSON)
        resubmit = hostile.post(attempt_url(world, "submit", "own"))

    assert (answer.status_code, mark.status_code) == (409, 409)
    assert "has been submitted" in answer.json()["error"]
    assert resubmit.url == submitted.url


def test_a_replayed_report_is_recorded_once(hostile, world):
    logged_in(hostile, world.candidate)
    url = attempt_url(world, "report", "done", 1)
    hostile.post(url, {"reason": "unclear", "comment": "Two answers fit."})

    with writes_nothing():
        replay = hostile.post(url, {"reason": "wrong", "comment": "Again"})

    assert messages_of(replay)[-1] == services.ALREADY_REPORTED
    assert QuestionReport.objects.get().comment == "Two answers fit."


def test_a_replayed_join_makes_one_membership(hostile, world):
    logged_in(hostile, world.candidate)
    data = {"code": world.other_cohort.join_code, "confirm": "on"}
    hostile.post("/cohorts/join/confirm/", data)

    with writes_nothing():
        replay = hostile.post("/cohorts/join/confirm/", data)

    assert replay.status_code == 302
    assert Membership.objects.filter(user=world.candidate).count() == 2


def test_a_replayed_account_deletion_finds_no_session(hostile, world):
    logged_in(hostile, world.intruder)
    cookie = hostile.cookies[settings.SESSION_COOKIE_NAME].value
    hostile.post("/accounts/delete/", {"password": PASSWORD})
    replayed = Client(raise_request_exception=False)
    replayed.cookies[settings.SESSION_COOKIE_NAME] = cookie

    with writes_nothing():
        response = replayed.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_doctored_save_with_extra_fields_writes_only_the_chosen_key(hostile, world):
    """Fields the form does not know (a correct key, another attempt, another position, a
    score) are ignored: only the item in the URL changes, and only its answer."""
    logged_in(hostile, world.candidate)
    others = list(
        AttemptItem.objects.exclude(pk=own_item(world).pk).values_list(
            "pk", "chosen_key", "is_correct", "marked"
        )
    )
    doctored = {
        "correct_key": "a",
        "is_correct": "true",
        "attempt": world.foreign.pk,
        "attempt_id": world.foreign.pk,
        "position": 3,
        "user": world.intruder.pk,
        "version": 999,
        "score": 100,
        "status": "submitted",
    }

    response = save(hostile, world, "b", 1, doctored)

    assert response.json() == {
        "saved": True,
        "position": own_item(world).position,
        "choice": "b",
        "version": 1,
    }
    item = own_item(world)
    assert (item.chosen_key, item.is_correct, item.correct_key) == ("b", None, "a")
    others_after = AttemptItem.objects.exclude(pk=item.pk).values_list(
        "pk", "chosen_key", "is_correct", "marked"
    )
    assert list(others_after) == others
    world.attempt.refresh_from_db()
    assert (world.attempt.status, world.attempt.score) == ("in_progress", None)


def test_two_tabs_the_stale_one_is_refused_then_resyncs(hostile, world):
    """Two tabs share one session: the newer choice wins; the other tab's older save is a
    409 that tells it the stored answer, and its next choice (numbered above) is saved."""
    first_tab = logged_in(hostile, world.candidate)
    second_tab = Client(raise_request_exception=False)
    second_tab.cookies = first_tab.cookies
    assert save(second_tab, world, "b", 2).status_code == 200

    with writes_nothing():
        stale = save(first_tab, world, "a", 1)

    assert stale.status_code == 409
    position = own_item(world).position
    assert stale.json() | {"error": ""} == {
        "saved": False,
        "error": "",
        "reason": "stale",
        "position": position,
        "choice": "b",
        "version": 2,
    }
    state = first_tab.get(attempt_url(world, "state", "own")).json()
    assert state["answers"][str(position)] == {"choice": "b", "version": 2}
    resynced = save(first_tab, world, "a", stale.json()["version"] + 1)
    assert resynced.status_code == 200
    assert own_item(world).chosen_key == "a"


def test_two_tabs_after_one_submits_the_other_is_refused(hostile, world):
    first_tab = logged_in(hostile, world.candidate)
    second_tab = Client(raise_request_exception=False)
    second_tab.cookies = first_tab.cookies
    second_tab.post(attempt_url(world, "submit", "own"))

    with writes_nothing():
        late = save(first_tab, world, "a", 5)
        page = first_tab.get(attempt_url(world, "take", "own", 1))

    assert late.status_code == 409
    assert page.status_code == 302
    assert page.url == reverse("quizzes:attempt_result", args=[world.attempt.pk])
