"""The practice history that `make run` gives the demo candidate."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from quizzes.demo_history import DEMO_CANDIDATE_WEAK_TOPIC, seed_candidate_history
from quizzes.models import Attempt, Exam, Topic
from quizzes.progress import progress_for
from tests.factories import NOW

pytestmark = pytest.mark.django_db

SQLITE_ONLY = "seed_demo refuses every database but the embedded SQLite one"


@pytest.fixture
def candidate():
    call_command("load_questions", str(settings.CRSS_CONTENT_DIR), stdout=io.StringIO())
    return get_user_model().objects.create_user("demo-candidate")


def mocks_of(user) -> list[Attempt]:
    return list(
        Attempt.objects.for_user(user).filter(exam__in=Exam.objects.mocks()).order_by("started_at")
    )


def test_the_history_is_two_weeks_of_submitted_attempts(candidate):
    attempts = seed_candidate_history(user=candidate, now=NOW)

    stored = Attempt.objects.for_user(candidate)
    started = sorted(stored.values_list("started_at", flat=True))
    assert stored.count() == len(attempts) >= 10
    assert stored.submitted().count() == stored.count()
    assert not Attempt.objects.in_progress().exists()
    assert started[-1] - started[0] >= timedelta(days=10)
    assert all(attempt.submitted_at < NOW for attempt in stored)


def test_mock_scores_rise_over_the_two_weeks(candidate):
    seed_candidate_history(user=candidate, now=NOW)

    # Averages of the first and last few, not single mocks: a 25-item mini mock's score
    # moves by ten points on the draw of questions alone, and the draw follows the content.
    scores = [mock.score for mock in mocks_of(candidate)]
    assert len(scores) >= 5
    first, last = scores[: len(scores) // 2], scores[len(scores) // 2 :]
    assert sum(last) / len(last) >= sum(first) / len(first) + 10
    assert max(scores[-2:]) > min(scores[:2])


def test_every_mock_has_most_of_its_items_answered(candidate):
    seed_candidate_history(user=candidate, now=NOW)

    answered = {
        attempt: attempt.items.exclude(chosen_key="").count()
        for attempt in Attempt.objects.for_user(candidate)
    }
    assert sum(answered.values()) >= 150
    assert all(count >= 0.9 * attempt.item_count for attempt, count in answered.items())
    assert any(count < attempt.item_count for attempt, count in answered.items())


def test_readiness_is_estimated_and_one_topic_is_clearly_the_weakest(candidate):
    seed_candidate_history(user=candidate, now=NOW)

    progress = progress_for(candidate)
    weak = Topic.objects.get(slug=DEMO_CANDIDATE_WEAK_TOPIC).pk
    others = [mastery.percent for topic, mastery in progress.mastery.items() if topic != weak]
    assert progress.readiness.is_estimated
    assert len(progress.mastery) == Topic.objects.count()
    assert progress.mastery[weak].percent <= min(others) - 10


def test_the_history_is_the_same_for_every_candidate_seeded(candidate):
    other = get_user_model().objects.create_user("another-candidate")

    first = seed_candidate_history(user=candidate, now=NOW)
    second = seed_candidate_history(user=other, now=NOW)

    assert [(a.exam_title, a.started_at, a.score) for a in first] == [
        (a.exam_title, a.started_at, a.score) for a in second
    ]


def test_a_candidate_with_attempts_gets_no_history(candidate):
    seed_candidate_history(user=candidate, now=NOW)
    count = Attempt.objects.count()

    assert seed_candidate_history(user=candidate, now=NOW) == []
    assert Attempt.objects.count() == count


def test_seed_demo_gives_the_demo_candidate_a_history_once():
    if connection.vendor != "sqlite":
        pytest.skip(f"{SQLITE_ONLY}; seed_candidate_history is tested above on every database")
    out = io.StringIO()

    call_command("seed_demo", stdout=out)
    candidate = get_user_model().objects.get(username="demo-candidate")
    count = Attempt.objects.count()
    call_command("seed_demo", stdout=io.StringIO())

    assert "demo-candidate has a practice history" in out.getvalue()
    assert len(mocks_of(candidate)) >= 5
    assert progress_for(candidate).readiness.is_estimated
    assert not Attempt.objects.in_progress().exists()
    assert Attempt.objects.count() == count


def test_seed_demo_refuses_other_databases():
    if connection.vendor == "sqlite":
        pytest.skip("the embedded SQLite database is the one seed_demo accepts")

    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())


def test_the_home_page_suggests_drilling_the_weakest_topic_by_name(candidate, client):
    seed_candidate_history(user=candidate, now=NOW)
    weak = Topic.objects.get(slug=DEMO_CANDIDATE_WEAK_TOPIC)
    percent = progress_for(candidate).mastery[weak.pk].percent
    client.force_login(candidate)

    page = client.get("/").text

    assert f"{weak.title} is your weakest topic, at {percent} %." in page
    assert f"Drill: {weak.title}" in page
