"""Item statistics on a hand-computed example."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.authoring.item_stats import MIN_RESPONSES, item_statistics
from quizzes.models import Attempt, AttemptItem, AttemptStatus
from tests.factories import make_exam, make_question, make_topic, make_user

pytestmark = pytest.mark.django_db


def respond(question, user, *, score: int, chosen: str, when=None):
    """A submitted one-item attempt with the given total score and answer."""
    now = when or timezone.now()
    exam = make_exam(items=1)
    attempt = Attempt.objects.create(
        user=user,
        exam=exam,
        status=AttemptStatus.SUBMITTED,
        started_at=now - timedelta(minutes=5),
        deadline=now + timedelta(minutes=5),
        submitted_at=now,
        exam_title="x",
        pass_mark=68,
        item_count=1,
        correct_count=0,
        score=score,
        passed=score >= 68,
    )
    correct_key = question.choices.get(is_correct=True).key
    AttemptItem.objects.create(
        attempt=attempt,
        position=1,
        question=question,
        topic=question.topic,
        stem="s",
        choices=[{"key": k, "text": k} for k in "abcd"],
        correct_key=correct_key,
        chosen_key=chosen,
        is_correct=chosen == correct_key,
    )
    return attempt


def test_facility_discrimination_and_unpicked_distractor_by_hand():
    question = make_question(make_topic(), correct="b")
    # Six candidates; scores rank them; thirds: bottom = 10, 20; top = 80, 90.
    answers = [(10, "a"), (20, "b"), (50, "b"), (60, "a"), (80, "b"), (90, "b")]
    for score, chosen in answers:
        respond(question, make_user(), score=score, chosen=chosen)

    stats = item_statistics()[question.pk]

    assert stats.responses == 6
    assert stats.facility == 67  # 4 of 6
    assert stats.discrimination == 50  # top 2/2 = 100 %, bottom 1/2 = 50 %
    assert stats.unpicked_distractors == ("c", "d")


def test_only_each_candidates_first_response_counts():
    question = make_question(make_topic(), correct="a")
    user = make_user()
    respond(question, user, score=40, chosen="c", when=timezone.now() - timedelta(days=2))
    respond(question, user, score=90, chosen="a")

    stats = item_statistics()[question.pk]

    assert (stats.responses, stats.correct) == (1, 0)


def test_flags_for_negative_discrimination_and_too_hard():
    question = make_question(make_topic(), correct="a")
    for n in range(MIN_RESPONSES):
        strong = n >= MIN_RESPONSES // 2
        respond(question, make_user(), score=90 if strong else 20, chosen="b" if strong else "a")
    # 15 weak all correct, 15 strong all wrong: facility 50, discrimination -100.

    stats = item_statistics()[question.pk]

    assert stats.discrimination == -100
    assert "negative discrimination" in stats.flags
    assert "too hard" not in stats.flags
    assert any(flag.startswith("distractor nobody picks") for flag in stats.flags)
