"""Hostile requests on the exam loop: answer, mark, strike out, report, submit, state and the
exam pages; starting an exam."""

import pytest

from quizzes.views.attempts import INVALID_ANSWER, INVALID_REPORT
from tests.hostile.helpers import (
    HUGE,
    JSON,
    LONG,
    attempt_url,
    logged_in,
    messages_of,
    param,
    position_of,
    writes_nothing,
)

pytestmark = pytest.mark.django_db


VALID_SAVE = {"choice": "a", "sequence": "1"}


def test_control_a_json_save_mark_and_strike_are_written(hostile, world):
    logged_in(hostile, world.candidate)

    saved = hostile.post(attempt_url(world, "answer", "own", "two"), VALID_SAVE, headers=JSON)
    marked = hostile.post(attempt_url(world, "mark", "own", "two"), {"marked": "on"})
    struck = hostile.post(attempt_url(world, "strike", "own", "two"), {"strike": "b"}, headers=JSON)

    assert saved.status_code == 200
    assert marked.status_code == 302
    assert struck.status_code == 200
    item = world.attempt.items.get(position=position_of(world, "own", "two"))
    assert (item.chosen_key, item.marked, item.struck_keys) == ("a", True, "b")


@pytest.mark.parametrize(
    ("view", "target", "position", "data", "status"),
    [
        param("choice-list", "answer", "own", "two", {"choice": ["a", "zz"], "sequence": 1}, 400),
        param("choice-empty", "answer", "own", "two", {"choice": "", "sequence": "1"}, 400),
        param("choice-nul", "answer", "own", "two", {"choice": "\x00", "sequence": "1"}, 400),
        param("choice-long", "answer", "own", "two", {"choice": LONG, "sequence": "1"}, 400),
        param("choice-capital", "answer", "own", "two", {"choice": "A", "sequence": "1"}, 400),
        param("choice-of-other-item", "answer", "own", "two", {"choice": "f", "sequence": 1}, 400),
        param("sequence-10e30", "answer", "own", "two", {"choice": "a", "sequence": HUGE}, 400),
        param("sequence-2e53", "answer", "own", "two", {"choice": "a", "sequence": 2**53}, 400),
        param("sequence-zero", "answer", "own", "two", {"choice": "a", "sequence": "0"}, 400),
        param("sequence-decimal", "answer", "own", "two", {"choice": "a", "sequence": "1.5"}, 400),
        param("sequence-exponent", "answer", "own", "two", {"choice": "a", "sequence": "1e3"}, 400),
        param("sequence-nan", "answer", "own", "two", {"choice": "a", "sequence": "NaN"}, 400),
        param("sequence-empty", "answer", "own", "two", {"choice": "a", "sequence": ""}, 400),
        param("sequence-list", "answer", "own", "two", {"choice": "a", "sequence": [1, "x"]}, 400),
        param("position-zero", "answer", "own", 0, VALID_SAVE, 400),
        param("position-past-end", "answer", "own", 99, VALID_SAVE, 400),
        param("position-huge", "answer", "own", HUGE, VALID_SAVE, 400),
        param("after-submit", "answer", "done", "two", VALID_SAVE, 409),
        param("others-attempt", "answer", "foreign", "two", VALID_SAVE, 404),
        param("unknown-attempt", "answer", "missing", 1, VALID_SAVE, 404),
        param("huge-attempt-id", "answer", "huge", 1, VALID_SAVE, 404),
        param("mark-position-zero", "mark", "own", 0, {"marked": "on"}, 400),
        param("mark-position-huge", "mark", "own", HUGE, {"marked": "on"}, 400),
        param("mark-after-submit", "mark", "done", 1, {"marked": "on"}, 409),
        param("mark-others-attempt", "mark", "foreign", 1, {"marked": "on"}, 404),
        param("mark-huge-attempt-id", "mark", "huge", 1, {"marked": "on"}, 404),
        param("strike-key-of-other-item", "strike", "own", "two", {"strike": "f"}, 400),
        param("strike-capital", "strike", "own", "two", {"strike": "A"}, 400),
        param("strike-list", "strike", "own", "two", {"strike": ["a", "zz"]}, 400),
        param("strike-nul", "strike", "own", "two", {"strike": "\x00"}, 400),
        param("strike-long", "strike", "own", "two", {"strike": LONG}, 400),
        param("strike-and-restore", "strike", "own", "two", {"strike": "a", "restore": "b"}, 400),
        param("strike-nothing", "strike", "own", "two", {}, 400),
        param("strike-position-zero", "strike", "own", 0, {"strike": "a"}, 400),
        param("strike-position-huge", "strike", "own", HUGE, {"strike": "a"}, 400),
        param("strike-after-submit", "strike", "done", 1, {"strike": "a"}, 409),
        param("strike-others-attempt", "strike", "foreign", 1, {"strike": "a"}, 404),
        param("strike-unknown-attempt", "strike", "missing", 1, {"strike": "a"}, 404),
        param("strike-huge-attempt-id", "strike", "huge", 1, {"strike": "a"}, 404),
        param("submit-unknown-attempt", "submit", "missing", None, {}, 404),
        param("submit-huge-attempt-id", "submit", "huge", None, {}, 404),
    ],
)
def test_json_saves_refuse_hostile_input(hostile, world, view, target, position, data, status):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post(attempt_url(world, view, target, position), data, headers=JSON)

    assert response.status_code == status
    if status != 404:
        assert response.json()["saved"] is False
        assert response.json()["error"]


def test_a_json_body_instead_of_a_form_is_refused(hostile, world):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post(
            attempt_url(world, "answer", "own", "two"),
            VALID_SAVE,
            content_type="application/json",
            headers=JSON,
        )

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("view", "target", "position", "data", "message"),
    [
        param("bad-choice", "answer", "own", "two", {"choice": "zz", "sequence": 1}, "Choose one"),
        param("other-items-key", "answer", "own", "two", {"choice": "f", "sequence": 1}, "belong"),
        param("no-sequence", "answer", "own", "two", {"choice": "a"}, "Choose one"),
        param("after-submit", "answer", "done", "two", VALID_SAVE, "has been submitted"),
        param("mark-unknown-item", "mark", "own", 99, {"marked": "on"}, "no item 99"),
        param("mark-after-submit", "mark", "done", 1, {"marked": "on"}, "has been submitted"),
        param("strike-other-items-key", "strike", "own", "two", {"strike": "f"}, "belong"),
        param("strike-nothing", "strike", "own", 1, {}, "Choose one of the item"),
        param("strike-after-submit", "strike", "done", 1, {"restore": "a"}, "has been submitted"),
        param("report-nothing", "report", "done", "two", {}, INVALID_REPORT),
        param("report-reason-unknown", "report", "done", "two", {"reason": "spam"}, "Choose what"),
        param("report-reason-list", "report", "done", 1, {"reason": ["wrong", "x"]}, "Choose what"),
        param("report-reason-long", "report", "done", 1, {"reason": LONG}, "Choose what"),
        param(
            "report-comment-long",
            "report",
            "done",
            1,
            {"reason": "wrong", "comment": "c" * 1001},
            "keep the comment short",
        ),
        param(
            "report-comment-nul",
            "report",
            "done",
            1,
            {"reason": "wrong", "comment": "bad\x00"},
            "Choose what",
        ),
        param("report-position-zero", "report", "done", 0, {"reason": "wrong"}, "no item 0"),
        param("report-position-huge", "report", "done", HUGE, {"reason": "wrong"}, "no item"),
        param("report-before-submit", "report", "own", 1, {"reason": "wrong"}, "after submitting"),
    ],
)
def test_plain_forms_refuse_hostile_input_with_a_message(
    hostile, world, view, target, position, data, message
):
    """Without JavaScript the exam forms answer a redirect that carries the error."""
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post(attempt_url(world, view, target, position), data)

    assert response.status_code == 302
    assert any(message in shown for shown in messages_of(response)), messages_of(response)


def test_plain_form_save_that_fails_validation_says_so(hostile, world):
    logged_in(hostile, world.candidate)

    response = hostile.post(attempt_url(world, "answer", "own", "two"), {"choice": ""})

    assert messages_of(response) == [INVALID_ANSWER]


@pytest.mark.parametrize(
    ("view", "target", "position", "query", "status"),
    [
        param("take-position-zero", "take", "own", 0, "", 404),
        param("take-position-past-end", "take", "own", 99, "", 404),
        param("take-position-huge", "take", "own", HUGE, "", 404),
        param("take-unknown-attempt", "take", "missing", 1, "", 404),
        param("state-unknown-attempt", "state", "missing", None, "", 404),
        param("state-huge-attempt-id", "state", "huge", None, "", 404),
        param("review-huge-attempt-id", "review", "huge", None, "", 404),
        param("result-huge-attempt-id", "result", "huge", None, "", 404),
        param("detail-unknown-attempt", "detail", "missing", None, "", 404),
        param("result-long-filter", "result", "done", None, f"?show={LONG}", 200),
        param("result-listed-filter", "result", "done", None, "?show=incorrect&show=x", 200),
        param("take-with-junk-query", "take", "own", 1, "?position=99&choice=f", 200),
    ],
)
def test_exam_pages_answer_unknown_ids_with_404(
    hostile, world, view, target, position, query, status
):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.get(attempt_url(world, view, target, position) + query)

    assert response.status_code == status


@pytest.mark.parametrize(
    ("method", "view", "position"),
    [
        param("get-answer", "get", "answer", 1),
        param("put-answer", "put", "answer", 1),
        param("get-mark", "get", "mark", 1),
        param("get-strike", "get", "strike", 1),
        param("put-report", "put", "report", 1),
        param("get-submit", "get", "submit", None),
        param("delete-submit", "delete", "submit", None),
        param("post-state", "post", "state", None),
        param("post-take", "post", "take", 1),
        param("post-result", "post", "result", None),
    ],
)
def test_exam_endpoints_refuse_the_wrong_method(hostile, world, method, view, position):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = getattr(hostile, method)(attempt_url(world, view, "own", position))

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("slug", "method", "status"),
    [
        param("draft-exam", "draft", "post", 404),
        param("unknown-exam", "no-such-exam", "post", 404),
        param("long-slug", "a" * 5000, "post", 404),
        param("get-instead-of-post", "exam", "get", 405),
    ],
)
def test_starting_an_exam_refuses_unknown_slugs(hostile, world, slug, method, status):
    logged_in(hostile, world.candidate)
    slug = {"draft": world.draft_exam.slug, "exam": world.exam.slug}.get(slug, slug)

    with writes_nothing():
        response = getattr(hostile, method)(f"/exams/{slug}/start/", {"extra": LONG})

    assert response.status_code == status
