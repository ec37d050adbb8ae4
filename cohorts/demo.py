"""A demo cohort for a fresh local install: a few learners with varied, reproducible results.

Attempts go through the real exam services (``quizzes.demo_history.take_exam``), so every
stored figure (scores, topic tallies, answers) is exactly what real use would leave behind.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from quizzes.demo_history import DRILL, FULL, MINI, exam_for, take_exam
from quizzes.models import Attempt, Topic

from .models import JOIN_CODE_LIFETIME, Cohort, Membership

DEMO_COHORT_NAME = "Demo cohort"


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


def take_planned_exams(learner, spec: DemoLearner, *, now: datetime, rng: random.Random) -> None:
    # Each learner finds one topic harder than the rest, so the mastery grid varies.
    topic_ids = sorted(Topic.objects.values_list("pk", flat=True))
    hard_topic = rng.choice(topic_ids) if topic_ids else None
    topic_accuracy = {hard_topic: spec.accuracy - 0.2} if hard_topic else None
    for kind, days_ago in spec.plan:
        exam = exam_for(kind, rng)
        if exam is None:
            continue
        started = now - timedelta(days=days_ago, hours=rng.randint(1, 8))
        take_exam(
            learner,
            exam,
            started=started,
            accuracy=spec.accuracy,
            topic_accuracy=topic_accuracy,
            rng=rng,
        )
