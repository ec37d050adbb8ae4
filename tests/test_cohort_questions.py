"""The questions a cohort misses most, with the wrong choices it picks."""

import pytest
from django.urls import reverse

from cohorts.item_analysis import most_missed_questions
from quizzes import services
from tests.factories import (
    answer,
    make_cohort,
    make_exam,
    make_lead,
    make_question,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.django_db


def take_picking(exam, user, picks: dict[int, str]) -> None:
    """Take ``exam`` answering each question as ``picks`` says (missing: left unanswered)."""
    attempt = services.start_attempt(user=user, exam=exam)
    for sequence, item in enumerate(attempt.items.all(), start=1):
        if item.question_id in picks:
            answer(attempt, item.position, picks[item.question_id], sequence=sequence)
    services.submit_attempt(attempt=attempt)


@pytest.fixture
def setting(client):
    topic = make_topic("boundaries", title="Boundaries")
    q1 = make_question(topic, correct="b", explanation="Consult your supervisor first.")
    q2 = make_question(topic, correct="a")
    q3 = make_question(topic, correct="c")
    q4 = make_question(topic, correct="d")
    exam = make_exam(items=4)
    lead = make_lead()
    ada, bo, cy = make_user("ada"), make_user("bo"), make_user("cy")
    cohort = make_cohort(lead, name="Item group", members=[ada, bo, cy])
    take_picking(exam, ada, {q1.pk: "a", q2.pk: "b", q3.pk: "c"})
    take_picking(exam, bo, {q1.pk: "c", q2.pk: "a", q3.pk: "c", q4.pk: "d"})
    take_picking(exam, cy, {q1.pk: "a", q2.pk: "a", q3.pk: "c", q4.pk: "d"})
    # Someone outside the cohort misses q3: it must not count.
    take_picking(exam, make_user("outsider"), {q1.pk: "b", q2.pk: "a", q3.pk: "a", q4.pk: "d"})
    client.force_login(lead)
    return {"cohort": cohort, "questions": [q1, q2, q3, q4]}


def test_most_missed_first_with_the_wrong_choices_picked(setting):
    q1, q2, _, q4 = setting["questions"]

    missed = most_missed_questions(setting["cohort"])

    assert [entry.question for entry in missed] == [q1, q2, q4]
    first = missed[0]
    assert (first.answers, first.wrong, first.unanswered, first.miss_percent) == (3, 3, 0, 100)
    assert {choice.key: choice.picked for choice in first.choices} == {
        "a": 2,
        "b": 0,
        "c": 1,
        "d": 0,
    }
    assert [choice.key for choice in first.choices if choice.is_correct] == ["b"]
    assert (missed[2].wrong, missed[2].unanswered) == (1, 1)


def test_the_analysis_takes_a_fixed_number_of_queries(setting, django_assert_num_queries):
    # Counts per question, picks per wrong choice, the questions, their choices.
    with django_assert_num_queries(4):
        most_missed_questions(setting["cohort"])


def test_the_page_lists_questions_choices_counts_and_explanations(client, setting):
    response = client.get(reverse("cohorts:questions", args=[setting["cohort"].pk]))

    text = response.text
    assert response.status_code == 200
    assert "missed 3 of 3 times (100 %)" in text
    assert "Consult your supervisor first." in text
    assert "(correct answer)" in text
    assert "1 left unanswered" in text
    assert setting["questions"][2].stem not in text


def test_a_cohort_without_answers_has_nothing_to_show(client):
    lead = make_lead()
    cohort = make_cohort(lead)
    client.force_login(lead)

    response = client.get(reverse("cohorts:questions", args=[cohort.pk]))

    assert "No missed questions yet." in response.text
