"""Races with real threads, each on its own database connection (PostgreSQL and SQLite)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from quizzes import services
from quizzes.models import Attempt, AttemptStatus, AttemptTopicResult
from tests.factories import make_bank, make_exam, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment in threads; their results or exceptions, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test inspects what each thread met
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def exam():
    make_bank(topics=2, per_topic=6)
    return make_exam(items=6)


def test_two_submits_at_once_grade_exactly_once(exam):
    attempt = services.start_attempt(user=make_user(), exam=exam)

    results = race(*[lambda: services.submit_attempt(attempt=attempt)] * 2)

    assert all(isinstance(r, Attempt) for r in results), results
    assert {r.submitted_at for r in results} == {results[0].submitted_at}
    tallies = AttemptTopicResult.objects.filter(attempt=attempt)
    assert sum(t.total for t in tallies) == 6


def test_two_starts_at_once_make_one_attempt(exam):
    user = make_user()

    results = race(*[lambda: services.start_attempt(user=user, exam=exam)] * 2)

    assert all(isinstance(r, Attempt) for r in results), results
    assert results[0].pk == results[1].pk
    assert Attempt.objects.filter(user=user, status=AttemptStatus.IN_PROGRESS).count() == 1


def test_saves_racing_a_submit_never_land_after_it(exam):
    attempt = services.start_attempt(user=make_user(), exam=exam)
    saves = [
        (
            lambda n=n: services.save_answer(
                attempt_id=attempt.pk, user=attempt.user, position=n, choice_key="a", sequence=n
            )
        )
        for n in range(1, 6)
    ]

    results = race(lambda: services.submit_attempt(attempt=attempt), *saves)

    attempt.refresh_from_db()
    assert attempt.is_submitted
    for result in results[1:]:
        # Each save landed before the submit or was refused cleanly (closed, or older than
        # a save that won the race).
        assert isinstance(result, Attempt | services.AttemptClosed | services.StaleSave), result
    answered_after = attempt.items.exclude(chosen_key="").filter(
        answered_at__gt=attempt.submitted_at
    )
    assert not answered_after.exists()
    graded = attempt.items.filter(chosen_key="a", is_correct__isnull=True)
    assert not graded.exists()
