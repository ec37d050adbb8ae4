"""Tutor mode (issue 20, part 2): each answer is checked at once and final; the feedback is
given for answered items of tutor sessions only; tutor answers teach topic mastery and spaced
review, never readiness, the mock trend or a lead's mock figures."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.dashboard import cohort_table
from quizzes import progress, services, tutor
from quizzes.models import Attempt, AttemptItem, Choice, StarredQuestion
from quizzes.practice import PracticeRequest, start_practice
from quizzes.review_schedule import review_outlook
from quizzes.selectors import history_context
from quizzes.strike_out import CHECKED_ALREADY, set_struck
from tests.factories import (
    NOW,
    answer,
    make_bank,
    make_cohort,
    make_exam,
    make_lead,
    make_user,
    take,
)

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def topics():
    return make_bank(topics=2, per_topic=25)


@pytest.fixture
def session(topics, candidate):
    """A 10-item untimed tutor session on the first topic, for the signed-in candidate."""
    request = PracticeRequest(count=10, topic_ids=frozenset({topics[0].pk}), tutor=True)
    return start_practice(user=candidate, request=request, seed=7)


def item(attempt: Attempt, position: int) -> AttemptItem:
    return attempt.items.get(position=position)


def wrong_key(entry: AttemptItem) -> str:
    return next(key for key in entry.choice_keys if key != entry.correct_key)


def save(client, attempt: Attempt, position: int, key: str, sequence: int = 1, **headers):
    url = reverse("quizzes:answer_item", args=[attempt.pk, position])
    return client.post(url, {"choice": key, "sequence": sequence}, **headers)


def page_state(response) -> dict:
    found = re.search(
        r'<script id="attempt-state" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


# --- the answer is checked at once, and final ----------------------------------------------


def test_a_tutor_answer_is_graded_at_once_and_the_response_carries_the_feedback(client, session):
    first = item(session, 1)
    Choice.objects.filter(question=first.question, key=first.correct_key).update(
        feedback="Right: *this* is why."
    )

    response = save(client, session, 1, wrong_key(first), **JSON)

    assert response.status_code == 200
    feedback = response.json()["feedback"]
    letter = "ABCDEF"[[c["key"] for c in first.choices].index(first.correct_key)]
    assert feedback["correct"] is False
    assert (feedback["key"], feedback["letter"]) == (first.correct_key, letter)
    assert feedback["summary"] == f"Not quite: the answer is {letter}"
    assert feedback["explanation"] == f"<p>{first.explanation}</p>\n"
    notes = {c["key"]: c["feedback"] for c in feedback["choices"]}
    assert notes[first.correct_key] == "<p>Right: <em>this</em> is why.</p>\n"
    assert feedback["topic_url"] == first.topic.get_absolute_url()
    assert item(session, 1).is_correct is False  # graded in the save itself


def test_a_different_choice_for_a_checked_item_is_refused_as_final(client, session):
    first = item(session, 1)
    save(client, session, 1, first.correct_key, sequence=5, **JSON)

    response = save(client, session, 1, wrong_key(first), sequence=9, **JSON)

    assert response.status_code == 409
    body = response.json()
    assert body["error"] == services.ANSWER_FINAL == "This answer was checked already: it is final."
    # The page is told what stands, with its feedback, and shows it.
    assert (body["reason"], body["choice"]) == ("stale", first.correct_key)
    assert body["feedback"]["correct"] is True
    assert item(session, 1).chosen_key == first.correct_key


def test_a_retry_of_the_checked_choice_succeeds(client, session):
    key = wrong_key(item(session, 2))
    save(client, session, 2, key, sequence=5, **JSON)

    response = save(client, session, 2, key, sequence=5, **JSON)  # the queue retries

    assert response.status_code == 200
    assert response.json()["saved"] is True and response.json()["feedback"]["correct"] is False


def test_in_an_exam_a_changed_answer_is_kept_and_no_feedback_is_sent(client, candidate, topics):
    attempt = services.start_attempt(user=candidate, exam=make_exam(items=4))
    first = item(attempt, 1)

    saved = save(client, attempt, 1, first.correct_key, sequence=1, **JSON).json()
    changed = save(client, attempt, 1, wrong_key(first), sequence=2, **JSON)

    assert "feedback" not in saved
    assert changed.status_code == 200 and "feedback" not in changed.json()
    assert item(attempt, 1).is_correct is None  # graded only at submit
    assert first.explanation not in changed.content.decode()


def test_a_checked_items_choices_can_no_longer_be_struck_out(session):
    first = item(session, 1)
    answer(session, 1, first.correct_key)
    with pytest.raises(services.AttemptError) as refused:
        set_struck(
            attempt_id=session.pk,
            user=session.user,
            position=1,
            choice_key=wrong_key(first),
            struck=True,
        )
    assert refused.value.message == CHECKED_ALREADY


def test_the_submit_grades_every_item_as_the_tutor_did(session):
    first, second = item(session, 1), item(session, 2)
    answer(session, 1, first.correct_key)
    answer(session, 2, wrong_key(second))

    result = services.submit_attempt(attempt=session)

    graded = dict(result.items.values_list("position", "is_correct"))
    assert (graded[1], graded[2], graded[3]) == (True, False, False)
    assert (result.correct_count, result.answered_count, result.score) == (1, 2, 10)


# --- what the pages give away -------------------------------------------------------------


def test_the_taking_page_gives_feedback_only_for_answered_items(client, session):
    answer(session, 1, item(session, 1).correct_key)
    unanswered = item(session, 2)

    response = client.get(reverse("quizzes:take_item", args=[session.pk, 2]))
    state = client.get(reverse("quizzes:attempt_state", args=[session.pk])).json()

    data = page_state(response)
    assert data["tutor"] is True and set(data["feedback"]) == {"1"}
    assert set(state["feedback"]) == {"1"}
    for body in (response.content.decode(), json.dumps(state)):
        assert unanswered.explanation not in body
    # Item 2 on screen: no verdict, no key, choices open.
    html = response.content.decode()
    assert "(correct answer)" not in html and " disabled" not in html
    assert re.search(r'<section id="feedback"[^>]* hidden>', html)


def test_an_exam_page_carries_no_tutor_data(client, candidate, topics):
    attempt = services.start_attempt(user=candidate, exam=make_exam(items=4))
    answer(attempt, 1, item(attempt, 1).correct_key)

    response = client.get(reverse("quizzes:take_item", args=[attempt.pk, 1]))
    state = client.get(reverse("quizzes:attempt_state", args=[attempt.pk])).json()

    assert "feedback" not in page_state(response) and "feedback" not in state
    assert 'id="feedback"' not in response.content.decode()
    assert item(attempt, 1).explanation not in response.content.decode()


def test_without_the_script_a_check_comes_back_to_the_item_with_its_feedback(client, session):
    first = item(session, 3)
    StarredQuestion.objects.create(user=session.user, question=first.question)

    response = save(client, session, 3, wrong_key(first))

    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:take_item", args=[session.pk, 3]) + "#feedback"
    page = client.get(response["Location"]).content.decode()
    letter = "ABCDEF"[[c["key"] for c in first.choices].index(first.correct_key)]
    assert f"Not quite: the answer is {letter}" in page
    assert first.explanation in page
    assert "(correct answer)" in page and "(your answer)" in page
    radios = re.findall(r'<input[^>]*name="choice"[^>]*>', page)
    assert len(radios) == len(first.choices) and all(" disabled" in r for r in radios)
    assert "Check answer" not in page  # nothing left to check here
    assert f'href="{reverse("quizzes:take_item", args=[session.pk, 4])}"' in page  # Next
    assert f'Study notes: <span id="feedback-topic">{first.topic.title}</span>' in page
    star = reverse("quizzes:star_item", args=[session.pk, 3])
    assert f'action="{star}"' in page and 'aria-pressed="true"' in page


def test_the_tutor_pages_queries_do_not_grow_with_the_answers(client, topics, candidate):
    counts = []
    for size in (5, 20):
        request = PracticeRequest(count=size, topic_ids=frozenset({topics[1].pk}), tutor=True)
        attempt = start_practice(user=candidate, request=request)
        for entry in attempt.items.all():
            answer(attempt, entry.position, entry.correct_key)
        url = reverse("quizzes:take_item", args=[attempt.pk, 2])
        state = reverse("quizzes:attempt_state", args=[attempt.pk])
        key = attempt.items.get(position=3).correct_key
        client.get(url)  # the items' script, cached
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
            assert client.get(state).status_code == 200
            assert save(client, attempt, 3, key, **JSON).json()["feedback"]["correct"]
        counts.append(len(captured))
        services.submit_attempt(attempt=attempt)
    assert counts[0] == counts[1], counts


# --- what tutor answers count toward ------------------------------------------------------


def test_a_tutor_session_moves_mastery_but_not_readiness_the_trend_or_mock_figures(client, topics):
    lead, learner = make_lead(), make_user()
    cohort = make_cohort(lead, members=[learner])
    mock = make_exam(items=40, minutes=60, slug="full-mock", title="Full mock exam")
    take(mock, learner, right=30)
    before = progress.progress_for(learner)
    row_before = cohort_table(cohort).rows[0]
    trend_before = [a.pk for a in history_context(learner)["mock_attempts"]]

    request = PracticeRequest(count=20, topic_ids=frozenset({topics[0].pk}), tutor=True)
    session = start_practice(user=learner, request=request)
    for entry in session.items.all():
        answer(session, entry.position, wrong_key(entry))  # all wrong
    services.submit_attempt(attempt=session)

    after = progress.progress_for(learner)
    assert after.readiness == before.readiness
    assert after.mastery[topics[0].pk].total == before.mastery[topics[0].pk].total + 20
    assert after.mastery[topics[0].pk].percent < before.mastery[topics[0].pk].percent
    assert [a.pk for a in history_context(learner)["mock_attempts"]] == trend_before
    row = cohort_table(cohort).rows[0]
    assert (row.latest_mock, row.best_mock) == (row_before.latest_mock, row_before.best_mock)
    assert row.readiness == row_before.readiness
    assert (
        row.cell_for(topics[0].pk).mastery.total
        == 20 + row_before.cell_for(topics[0].pk).mastery.total
    )
    client.force_login(learner)
    topic_page = client.get(topics[0].get_absolute_url()).content.decode()
    assert f"{after.mastery[topics[0].pk].percent} %" in topic_page


def test_the_missed_and_starred_items_of_a_tutor_session_come_back_for_review(session):
    entries = list(session.items.order_by("position"))
    with time_machine.travel(NOW, tick=False):
        for entry in entries:
            key = wrong_key(entry) if entry.position <= 2 else entry.correct_key
            answer(session, entry.position, key)
        services.submit_attempt(attempt=session)
    starred = entries[5].question_id
    StarredQuestion.objects.create(user=session.user, question_id=starred)
    missed = {entries[0].question_id, entries[1].question_id}

    assert not review_outlook(session.user, NOW + timedelta(hours=1)).due
    outlook = review_outlook(session.user, NOW + timedelta(days=1))
    assert {due.question_id for due in outlook.due} == missed  # wrong: back the next day
    later = review_outlook(session.user, NOW + timedelta(days=3)).due
    assert len(later) == 10
    assert {d.question_id for d in later[:2]} == missed  # missed first, then starred
    assert later[2].question_id == starred and later[2].starred


def test_the_result_of_a_tutor_session_is_an_ordinary_result(client, session):
    answer(session, 1, item(session, 1).correct_key)
    services.submit_attempt(attempt=session)

    page = client.get(reverse("quizzes:attempt_result", args=[session.pk]))

    assert page.status_code == 200
    assert "Tutor session" in page.content.decode()
    assert item(session, 2).explanation in page.content.decode()
    assert tutor.answered_feedback(Attempt.objects.get(pk=session.pk))  # still readable
