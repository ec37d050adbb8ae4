"""Demo histories for a fresh local install, taken through the real exam services.

Every attempt is started, answered and submitted by ``quizzes.services``, so each stored
figure (scores, topic tallies, answers) is what real use would leave behind. A fixed seed
makes a history the same on every install with the same content. The demo cohort's
learners (``cohorts.demo``) and the demo candidate both take their exams through
``take_exam``.
"""

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from . import services as exam_services
from .models import Attempt, Exam, Topic

SECONDS_PER_ITEM = 40
FULL, MINI, DRILL = "full", "mini", "drill"

DEMO_CANDIDATE_SEED = 15
DEMO_CANDIDATE_WEAK_TOPIC = "power-dynamics"


@dataclass(frozen=True)
class PlannedAttempt:
    kind: str  # FULL, MINI or DRILL
    days_ago: int
    topic: str = ""  # a drill's topic slug
    blanks: int = 0  # items skipped and never come back to


# Two weeks of steady practice: a mock every two or three days, drills in between, and
# power dynamics drilled three times because it keeps coming out weakest.
DEMO_CANDIDATE_PLAN = (
    PlannedAttempt(MINI, 14),
    PlannedAttempt(DRILL, 13, "ethics-principles"),
    PlannedAttempt(FULL, 12, blanks=6),
    PlannedAttempt(DRILL, 11, DEMO_CANDIDATE_WEAK_TOPIC),
    PlannedAttempt(MINI, 10),
    PlannedAttempt(DRILL, 9, "professional-boundaries"),
    PlannedAttempt(DRILL, 8, "dual-relationships"),
    PlannedAttempt(FULL, 7),
    PlannedAttempt(DRILL, 6, DEMO_CANDIDATE_WEAK_TOPIC),
    PlannedAttempt(MINI, 5),
    PlannedAttempt(DRILL, 4, "former-partners"),
    PlannedAttempt(FULL, 3),
    PlannedAttempt(DRILL, 2, DEMO_CANDIDATE_WEAK_TOPIC),
    PlannedAttempt(MINI, 0),
)
PLAN_DAYS = max(planned.days_ago for planned in DEMO_CANDIDATE_PLAN)

# Topic slug -> (chance of a right answer two weeks ago, chance today).
DEMO_CANDIDATE_ACCURACY = {
    "ethics-principles": (0.60, 0.84),
    "professional-boundaries": (0.55, 0.78),
    "dual-relationships": (0.50, 0.75),
    "former-partners": (0.50, 0.74),
    DEMO_CANDIDATE_WEAK_TOPIC: (0.30, 0.42),
}
DEFAULT_ACCURACY = (0.50, 0.75)  # a topic added to the bank since


def exam_for(kind: str, rng: random.Random, *, topic_slug: str = "") -> Exam | None:
    """The published exam of this kind; a drill is on ``topic_slug``, else on a random topic."""
    mocks = Exam.objects.published().mocks()
    if kind == FULL:
        return mocks.order_by("-item_count").first()
    if kind == MINI:
        return mocks.order_by("item_count").first()
    if topic_slug:
        topic = Topic.objects.filter(slug=topic_slug).first()
    else:
        topics = list(Topic.objects.order_by("slug"))
        topic = rng.choice(topics) if topics else None
    if topic is None:
        return None
    return Exam.objects.published().drills_for(topic).first()


def take_exam(
    user: AbstractBaseUser,
    exam: Exam,
    *,
    started: datetime,
    accuracy: float,
    rng: random.Random,
    topic_accuracy: Mapping[int, float] | None = None,
    blanks: int = 0,
) -> Attempt:
    """Start, answer and submit one attempt; an item is right with chance ``accuracy``.

    ``topic_accuracy`` overrides the chance for the topic ids it names; ``blanks`` items,
    drawn at random, are left unanswered.
    """
    topic_accuracy = topic_accuracy or {}
    attempt = exam_services.start_attempt(
        user=user, exam=exam, now=started, seed=rng.randrange(2**31)
    )
    items = list(attempt.items.order_by("position"))
    # Drawn only when asked for, so that histories without blanks keep their random sequence.
    skipped = set(rng.sample(range(len(items)), min(blanks, len(items)))) if blanks else set()
    for sequence, item in enumerate(items, start=1):
        if sequence - 1 in skipped:
            continue
        chance = topic_accuracy.get(item.topic_id, accuracy)
        wrong = sorted(key for key in item.choice_keys if key != item.correct_key)
        if rng.random() < chance or not wrong:
            key = item.correct_key
        else:
            # The first distractor is the tempting one: it draws most of the wrong answers.
            key = wrong[0] if rng.random() < 0.6 else rng.choice(wrong)
        exam_services.save_answer(
            attempt_id=attempt.pk,
            user=user,
            position=item.position,
            choice_key=key,
            sequence=sequence,
            now=started + timedelta(seconds=SECONDS_PER_ITEM * sequence),
        )
    finished = started + timedelta(seconds=SECONDS_PER_ITEM * (len(items) + 1))
    return exam_services.submit_attempt(attempt=attempt, now=finished)


def accuracy_on(day: int, rise: tuple[float, float]) -> float:
    """The chance of a right answer ``day`` days into the plan, on a ``(start, end)`` rise."""
    start, end = rise
    return start + (end - start) * day / PLAN_DAYS


def seed_candidate_history(*, user: AbstractBaseUser, now: datetime) -> list[Attempt]:
    """Give ``user`` two weeks of mocks and drills up to ``now``, improving, with one weak topic.

    Idempotent: a candidate who already has attempts gets none. Needs the exams loaded.
    """
    rng = random.Random(DEMO_CANDIDATE_SEED)
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    attempts: list[Attempt] = []
    with transaction.atomic():
        if Attempt.objects.for_user(user).exists():
            return attempts
        for planned in DEMO_CANDIDATE_PLAN:
            exam = exam_for(planned.kind, rng, topic_slug=planned.topic)
            if exam is None:
                continue
            day = PLAN_DAYS - planned.days_ago
            topic_accuracy = {
                topic_id: accuracy_on(day, DEMO_CANDIDATE_ACCURACY.get(slug, DEFAULT_ACCURACY))
                for slug, topic_id in topic_ids.items()
            }
            # An hour or more before now, so today's mini mock (under 20 minutes) is over by now.
            started = now - timedelta(days=planned.days_ago, minutes=rng.randint(60, 8 * 60))
            attempts.append(
                take_exam(
                    user,
                    exam,
                    started=started,
                    accuracy=accuracy_on(day, DEFAULT_ACCURACY),
                    topic_accuracy=topic_accuracy,
                    blanks=planned.blanks,
                    rng=rng,
                )
            )
    return attempts
