"""A demo cohort for a fresh local install: a few learners with varied, reproducible results.

Attempts go through the real exam services (start, answer, submit), so every stored figure
(scores, topic tallies, answers) is exactly what real use would leave behind.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from quizzes import services as exam_services
from quizzes.models import Attempt, Exam, Topic

from .models import JOIN_CODE_LIFETIME, Cohort, Membership

DEMO_COHORT_NAME = "Demo cohort"
SECONDS_PER_ITEM = 40
FULL, MINI, DRILL = "full", "mini", "drill"


@dataclass(frozen=True)
class DemoLearner:
    username: str
    first_name: str
    last_name: str
    accuracy: float  # chance of answering an item right
    plan: tuple[tuple[str, int], ...]  # (kind of exam, days before now), oldest first


DEMO_LEARNERS = (
    DemoLearner("demo-learner-ana", "Ana", "Ruiz", 0.9, ((MINI, 20), (FULL, 12), (MINI, 3))),
    DemoLearner("demo-learner-ben", "Ben", "Okafor", 0.8, ((MINI, 18), (DRILL, 10), (FULL, 4))),
    DemoLearner("demo-learner-chloe", "Chloe", "Nguyen", 0.7, ((MINI, 15), (FULL, 8), (MINI, 2))),
    # Clearly at risk: a low readiness and a latest mock well under the pass mark.
    DemoLearner("demo-learner-dev", "Dev", "Patel", 0.4, ((MINI, 16), (FULL, 9), (MINI, 1))),
    # Just started: too few answers for a readiness estimate.
    DemoLearner("demo-learner-eli", "Eli", "Brooks", 0.65, ((MINI, 5),)),
)


def seed_demo_cohort(*, lead, now: datetime | None = None) -> Cohort:
    """Create the "Demo cohort" led by ``lead`` with its demo learners and their attempts.

    Idempotent: the cohort, the learners and their memberships are reused when they exist,
    and a learner who already has attempts gets no new ones. Needs the exams loaded.
    """
    now = now or timezone.now()
    with transaction.atomic():
        cohort = Cohort.objects.filter(name=DEMO_COHORT_NAME, leads=lead).first()
        if cohort is None:
            cohort = Cohort.objects.create(
                name=DEMO_COHORT_NAME, code_expires_at=now + JOIN_CODE_LIFETIME
            )
            cohort.leads.add(lead)
        for index, spec in enumerate(DEMO_LEARNERS):
            learner = demo_user(spec)
            Membership.objects.get_or_create(
                cohort=cohort, user=learner, defaults={"joined_at": now - timedelta(days=21)}
            )
            if not Attempt.objects.for_user(learner).exists():
                take_planned_exams(learner, spec, now=now, rng=random.Random(1000 + index))
    return cohort


def demo_user(spec: DemoLearner) -> AbstractBaseUser:
    user, created = get_user_model().objects.get_or_create(
        username=spec.username,
        defaults={"first_name": spec.first_name, "last_name": spec.last_name},
    )
    if created:
        user.set_unusable_password()  # demo learners never sign in
        user.save(update_fields=["password"])
    return user


def exam_for(kind: str, rng: random.Random) -> Exam | None:
    mocks = Exam.objects.published().mocks()
    if kind == FULL:
        return mocks.order_by("-item_count").first()
    if kind == MINI:
        return mocks.order_by("item_count").first()
    topics = list(Topic.objects.order_by("slug"))
    if not topics:
        return None
    return Exam.objects.published().drills_for(rng.choice(topics)).first()


def take_planned_exams(learner, spec: DemoLearner, *, now: datetime, rng: random.Random) -> None:
    # Each learner finds one topic harder than the rest, so the mastery grid varies.
    topic_ids = sorted(Topic.objects.values_list("pk", flat=True))
    hard_topic = rng.choice(topic_ids) if topic_ids else None
    for kind, days_ago in spec.plan:
        exam = exam_for(kind, rng)
        if exam is None:
            continue
        started = now - timedelta(days=days_ago, hours=rng.randint(1, 8))
        take_exam(learner, exam, started=started, accuracy=spec.accuracy, hard=hard_topic, rng=rng)


def take_exam(
    learner, exam: Exam, *, started: datetime, accuracy: float, hard, rng: random.Random
) -> Attempt:
    """Start, answer every item (right with chance ``accuracy``), and submit one attempt."""
    attempt = exam_services.start_attempt(
        user=learner, exam=exam, now=started, seed=rng.randrange(2**31)
    )
    items = list(attempt.items.order_by("position"))
    for sequence, item in enumerate(items, start=1):
        chance = accuracy - 0.2 if item.topic_id == hard else accuracy
        wrong = sorted(key for key in item.choice_keys if key != item.correct_key)
        if rng.random() < chance or not wrong:
            key = item.correct_key
        else:
            # The first distractor is the tempting one: it draws most of the wrong answers.
            key = wrong[0] if rng.random() < 0.6 else rng.choice(wrong)
        exam_services.save_answer(
            attempt_id=attempt.pk,
            user=attempt.user,
            position=item.position,
            choice_key=key,
            sequence=sequence,
            now=started + timedelta(seconds=SECONDS_PER_ITEM * sequence),
        )
    finished = started + timedelta(seconds=SECONDS_PER_ITEM * (len(items) + 1))
    return exam_services.submit_attempt(attempt=attempt, now=finished)
