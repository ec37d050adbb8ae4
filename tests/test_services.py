"""The exam loop's write paths: start, save, mark, submit, overdue."""

import io
from datetime import timedelta
from functools import partial

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import CandidateProfile
from quizzes import services
from quizzes.models import Attempt, AttemptStatus, FinishReason, Question, Status
from tests.factories import answer, make_bank, make_exam, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return make_bank(topics=2, per_topic=6)


@pytest.fixture
def exam(bank):
    return make_exam(items=4, minutes=10, pass_mark=50)


@pytest.fixture
def candidate():
    return make_user()


def answer_all_correctly(attempt, count=None):
    for n, item in enumerate(attempt.items.order_by("position")[:count], start=1):
        services.save_answer(
            attempt_id=attempt.pk,
            user=attempt.user,
            position=item.position,
            choice_key=item.correct_key,
            sequence=n,
        )


def test_start_draws_the_exam_size_from_published_questions(exam, candidate, bank):
    Question.objects.filter(topic=bank[0]).update(status=Status.DRAFT)

    attempt = services.start_attempt(user=candidate, exam=exam)

    items = list(attempt.items.select_related("question"))
    assert len(items) == 4 == attempt.item_count
    assert {item.question.status for item in items} == {Status.PUBLISHED}
    assert [item.position for item in items] == [1, 2, 3, 4]
    assert attempt.deadline - attempt.started_at == timedelta(minutes=10)


def test_weighted_exam_draws_only_its_topics(bank, candidate):
    exam = make_exam(items=5, topics={bank[1]: 1})

    attempt = services.start_attempt(user=candidate, exam=exam)

    assert {item.topic_id for item in attempt.items.all()} == {bank[1].pk}


def test_snapshot_keeps_the_question_as_shown(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    item = attempt.items.select_related("question").first()
    question = item.question

    assert item.stem == question.stem
    assert sorted(c["key"] for c in item.choices) == ["a", "b", "c", "d"]
    assert item.correct_key == question.choices.get(is_correct=True).key
    assert item.explanation == question.explanation


def test_choices_are_shuffled_per_attempt(bank, candidate):
    exam = make_exam(items=12)
    orders = {
        tuple(
            tuple(c["key"] for c in item.choices)
            for item in services.start_attempt(
                user=make_user(), exam=exam, seed=seed
            ).items.order_by("question_id")
        )
        for seed in range(3)
    }

    assert len(orders) > 1


def test_starting_again_resumes_the_attempt_in_progress(exam, candidate):
    first = services.start_attempt(user=candidate, exam=exam)

    second = services.start_attempt(user=candidate, exam=exam)

    assert second.pk == first.pk
    assert Attempt.objects.filter(user=candidate).count() == 1


def test_second_attempt_prefers_unseen_questions(bank, candidate):
    exam = make_exam(items=6)
    first = services.start_attempt(user=candidate, exam=exam)
    services.submit_attempt(attempt=first)

    second = services.start_attempt(user=candidate, exam=exam)

    first_ids = set(first.items.values_list("question_id", flat=True))
    second_ids = set(second.items.values_list("question_id", flat=True))
    assert first_ids.isdisjoint(second_ids)


def test_extra_time_lengthens_new_attempts(exam, candidate):
    CandidateProfile.objects.create(user=candidate, extra_time_percent=50)

    attempt = services.start_attempt(user=candidate, exam=exam)

    assert attempt.deadline - attempt.started_at == timedelta(minutes=15)


def test_save_records_the_answer_and_its_version(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    item = attempt.items.get(position=1)

    stored = services.save_answer(
        attempt_id=attempt.pk,
        user=attempt.user,
        position=1,
        choice_key=item.choice_keys[2],
        sequence=1,
    )

    item.refresh_from_db()
    assert item.chosen_key == item.choice_keys[2]
    assert item.answered_at is not None
    assert (item.version, stored) == (1, services.StoredAnswer(1, item.choice_keys[2], 1))


def test_identical_save_with_old_sequence_is_a_harmless_success(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    answer(attempt, 1, "a", sequence=5)

    stored = answer(attempt, 1, "a", sequence=2)

    assert stored == services.StoredAnswer(1, "a", 5)


def test_saves_of_different_items_never_refuse_each_other(exam, candidate):
    """Item 2 saved with a newer number than item 1's later-arriving save: both are kept."""
    attempt = services.start_attempt(user=candidate, exam=exam)

    answer(attempt, 2, "b", sequence=2)
    answer(attempt, 1, "a", sequence=1)
    answer(attempt, 4, "c", sequence=10**12)
    answer(attempt, 3, "d", sequence=3)

    chosen = dict(attempt.items.values_list("position", "chosen_key"))
    assert chosen == {1: "a", 2: "b", 3: "d", 4: "c"}


def test_a_stale_save_is_told_the_newer_answer(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    answer(attempt, 1, "c", sequence=7)

    with pytest.raises(services.StaleSave) as refused:
        answer(attempt, 1, "b", sequence=6)

    assert refused.value.current == services.StoredAnswer(1, "c", 7)


def test_after_submit_a_retry_of_what_counted_succeeds_and_a_change_is_refused(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    answer(attempt, 1, "a", sequence=3)
    services.submit_attempt(attempt=attempt)

    assert answer(attempt, 1, "a", sequence=3) == services.StoredAnswer(1, "a", 3)
    with pytest.raises(services.AttemptClosed):
        answer(attempt, 1, "b", sequence=4)
    assert attempt.items.get(position=1).chosen_key == "a"


def test_stale_save_that_would_change_an_answer_is_refused(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    services.save_answer(
        attempt_id=attempt.pk, user=attempt.user, position=1, choice_key="a", sequence=5
    )

    with pytest.raises(services.StaleSave):
        services.save_answer(
            attempt_id=attempt.pk, user=attempt.user, position=1, choice_key="b", sequence=5
        )

    assert attempt.items.get(position=1).chosen_key == "a"


def test_foreign_choice_key_is_refused(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)

    with pytest.raises(services.AttemptError, match="does not belong"):
        services.save_answer(
            attempt_id=attempt.pk, user=attempt.user, position=1, choice_key="f", sequence=1
        )


def test_unknown_item_position_is_refused(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)

    with pytest.raises(services.AttemptError, match="no item 99"):
        services.save_answer(
            attempt_id=attempt.pk, user=attempt.user, position=99, choice_key="a", sequence=1
        )


def test_save_after_deadline_and_grace_is_refused(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    late = attempt.deadline + services.SAVE_GRACE + timedelta(seconds=1)

    with pytest.raises(services.AttemptClosed, match="Time is up"):
        services.save_answer(
            attempt_id=attempt.pk,
            user=attempt.user,
            position=1,
            choice_key="a",
            sequence=1,
            now=late,
        )

    assert attempt.items.get(position=1).chosen_key == ""


def test_mark_within_grace_is_kept_and_after_it_refused(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    mark = partial(services.set_marked, attempt_id=attempt.pk, user=candidate, marked=True)

    mark(position=1, now=attempt.deadline + timedelta(seconds=2))
    with pytest.raises(services.AttemptClosed, match="Time is up"):
        mark(position=2, now=attempt.deadline + services.SAVE_GRACE + timedelta(seconds=1))
    with pytest.raises(Attempt.DoesNotExist):
        services.set_marked(attempt_id=attempt.pk, user=make_user(), position=3, marked=True)

    assert list(attempt.items.filter(marked=True).values_list("position", flat=True)) == [1]


def test_save_within_grace_is_accepted(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    just_late = attempt.deadline + timedelta(seconds=2)

    services.save_answer(
        attempt_id=attempt.pk,
        user=attempt.user,
        position=1,
        choice_key="a",
        sequence=1,
        now=just_late,
    )

    assert attempt.items.get(position=1).chosen_key == "a"


def test_submit_grades_and_stores_topic_tallies(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    answer_all_correctly(attempt, count=3)

    attempt = services.submit_attempt(attempt=attempt)

    assert attempt.status == AttemptStatus.SUBMITTED
    assert (attempt.correct_count, attempt.score, attempt.passed) == (3, 75, True)
    assert sum(r.total for r in attempt.topic_results.all()) == 4
    assert sum(r.correct for r in attempt.topic_results.all()) == 3
    assert attempt.items.filter(is_correct=True).count() == 3
    assert attempt.items.filter(is_correct=False).count() == 1


def test_submit_twice_grades_once(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    first = services.submit_attempt(attempt=attempt)

    second = services.submit_attempt(attempt=attempt)

    assert second.submitted_at == first.submitted_at
    assert attempt.topic_results.count() == len({i.topic_id for i in attempt.items.all()})


def test_save_after_submit_is_refused(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    services.submit_attempt(attempt=attempt)

    with pytest.raises(services.AttemptClosed, match="submitted"):
        services.save_answer(
            attempt_id=attempt.pk, user=attempt.user, position=1, choice_key="a", sequence=9
        )


def test_overdue_attempt_is_finalized_on_next_access(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    later = attempt.deadline + timedelta(minutes=1)

    assert services.finalize_if_overdue(attempt, now=later)

    attempt.refresh_from_db()
    assert attempt.finish_reason == FinishReason.TIME_UP
    assert attempt.submitted_at == attempt.deadline


def test_starting_after_an_overdue_attempt_starts_a_new_one(exam, candidate):
    old = services.start_attempt(user=candidate, exam=exam)

    new = services.start_attempt(user=candidate, exam=exam, now=old.deadline + timedelta(hours=1))

    assert new.pk != old.pk
    old.refresh_from_db()
    assert old.is_submitted


def test_close_overdue_attempts_command_is_idempotent(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=2), deadline=timezone.now() - timedelta(hours=1)
    )
    out = io.StringIO()

    call_command("close_overdue_attempts", stdout=out)
    call_command("close_overdue_attempts", stdout=out)

    assert out.getvalue().splitlines() == [
        "closed 1 overdue attempt(s)",
        "closed 0 overdue attempt(s)",
    ]
    attempt.refresh_from_db()
    assert attempt.is_submitted


def test_exam_without_published_questions_cannot_start(candidate):
    exam = make_exam(items=3)

    with pytest.raises(services.AttemptError, match="no published questions"):
        services.start_attempt(user=candidate, exam=exam)


def test_editing_a_question_never_changes_a_past_attempt(exam, candidate):
    attempt = services.start_attempt(user=candidate, exam=exam)
    services.submit_attempt(attempt=attempt)
    item = attempt.items.select_related("question").first()
    before = (item.stem, item.choices, item.correct_key, item.explanation)

    question = item.question
    question.stem = "Rewritten"
    question.status = Status.RETIRED
    question.save()
    question.choices.update(text="Changed")

    item.refresh_from_db()
    assert (item.stem, item.choices, item.correct_key, item.explanation) == before
