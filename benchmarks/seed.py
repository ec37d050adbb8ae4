"""Benchmark data: the real banks; 200 candidates, each with 10 submitted attempts, who form
one cohort; per benchmark client a candidate with 50 attempts (one 100-item attempt in
progress, one 100-item attempt submitted), a cohort lead, and an examinee for the exam
scenario (10 submitted attempts, nothing in progress: its first start makes a new full
mock); and a session per client.

The few attempts a benchmark request touches are made by the services themselves
(``start_attempt``, ``submit_attempt``); the thousands of past attempts behind history and
the dashboard are built in memory with the same snapshot and grading code and written in
bulk (COPY on PostgreSQL), which takes seconds where one service call per attempt would
take minutes. ``plan.py`` then opens the sessions and lists each client's requests.

Run inside the benchmark's environment (``python -m benchmarks`` does):
``python -m benchmarks.seed --clients 16 --output plan.json``
"""

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .seed_history import ExamSet, PastAttempts, QuestionPool, choose_key

HISTORY_ATTEMPTS = 50
LEARNERS = 200
LEARNER_ATTEMPTS = 10
PASSWORD = "bench-password-not-secret"
RANDOM_SEED = 20_250_601
# The exams of a candidate's past, in turn: about one full mock in ten, the rest short.


@dataclass(frozen=True)
class Sizes:
    clients: int = 16
    learners: int = LEARNERS
    learner_attempts: int = LEARNER_ATTEMPTS
    history_attempts: int = HISTORY_ATTEMPTS


@dataclass
class BenchClient:
    """A benchmark client's candidate and the two 100-item attempts its requests use."""

    user: object
    in_progress: object  # Attempt
    submitted: object  # Attempt


@dataclass
class Seeded:
    clients: list[BenchClient]
    leads: list
    cohort: object | None  # Cohort, when the cohorts app is ready
    examinees: list = field(default_factory=list)  # the exam scenario's candidates
    full_mock: object = None  # the Exam they take
    skipped: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def load_content() -> None:
    """The real banks from content/, through the same loader as ``load_questions``."""
    from django.conf import settings

    from quizzes.authoring.banks import load_bank_paths

    load_bank_paths([settings.CRSS_CONTENT_DIR])


def check_exam_choices() -> None:
    """The exam scenario answers every item ``a`` and changes some to ``b`` without reading
    the page: stop now, naming them, if a published question lacks either key."""
    from quizzes.models import Question

    from .exam import CHANGED_CHOICE, FIRST_CHOICE

    published = Question.objects.published()
    lacking = sorted(
        {
            str(question)
            for key in (FIRST_CHOICE, CHANGED_CHOICE)
            for question in published.exclude(choices__key=key)[:5]
        }
    )
    if lacking:
        raise RuntimeError(
            f"the exam scenario answers {FIRST_CHOICE!r} then {CHANGED_CHOICE!r}, but these "
            f"published questions lack one of the keys: {', '.join(lacking)}"
        )


def create_users(prefix: str, count: int, *, password_hash: str) -> list:
    """``count`` users named ``prefix-001`` and so on, all sharing one password hash."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    users = [
        user_model(
            username=f"{prefix}-{number:03d}",
            first_name=prefix.split("-")[-1].title(),
            last_name=f"{number:03d}",
            password=password_hash,
        )
        for number in range(1, count + 1)
    ]
    user_model.objects.bulk_create(users, batch_size=500)
    return list(user_model.objects.filter(username__startswith=f"{prefix}-").order_by("username"))


def submitted_through_services(*, user, exam, now: datetime, skill: float, rng):
    """A 100-item attempt started, answered and submitted through the services."""
    from quizzes import services

    attempt = services.start_attempt(
        user=user, exam=exam, now=now - timedelta(minutes=100), seed=rng.random()
    )
    from quizzes.models import AttemptItem

    items = list(attempt.items.all())
    for item in items:
        item.chosen_key = choose_key(item, skill, rng)
        item.answered_at = now - timedelta(minutes=30) if item.chosen_key else None
    AttemptItem.objects.bulk_update(items, ["chosen_key", "answered_at"], batch_size=500)
    return services.submit_attempt(attempt=attempt, now=now - timedelta(minutes=20))


def seed_cohort(*, learners: list, leads: list):
    """One cohort holding every learner, led by every benchmark lead."""
    from accounts.roles import Role, assign_role
    from cohorts.models import Cohort, Membership

    from .pages import COHORT_NAME

    cohort = Cohort.objects.create(name=COHORT_NAME)
    for lead in leads:
        assign_role(lead, Role.LEAD)
    cohort.leads.set(leads)
    Membership.objects.bulk_create(
        [Membership(cohort=cohort, user=learner) for learner in learners], batch_size=500
    )
    return cohort


def seed(sizes: Sizes, *, now: datetime | None = None) -> Seeded:
    """Write the whole benchmark data set into an empty, migrated database."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from .dashboard import cohort_models_missing, probe_dashboard

    now = now or timezone.now()
    rng = random.Random(RANDOM_SEED)
    with transaction.atomic():
        load_content()
    check_exam_choices()
    exams = ExamSet.load()
    pool = QuestionPool()
    password_hash = make_password(PASSWORD)
    with transaction.atomic():
        learners = create_users("learner", sizes.learners, password_hash=password_hash)
        candidates = create_users("bench-candidate", sizes.clients, password_hash=password_hash)
        examinees = create_users("bench-examinee", sizes.clients, password_hash=password_hash)
        past = PastAttempts()
        for learner in learners:
            past.add_history(
                user=learner, count=sizes.learner_attempts, exams=exams, pool=pool, rng=rng, now=now
            )
        for candidate in candidates:
            # Two of the fifty are the submitted and the in-progress full mocks below.
            past.add_history(
                user=candidate,
                count=sizes.history_attempts - 2,
                exams=exams,
                pool=pool,
                rng=rng,
                now=now,
            )
        for examinee in examinees:
            past.add_history(
                user=examinee,
                count=sizes.learner_attempts,
                exams=exams,
                pool=pool,
                rng=rng,
                now=now,
            )
        past.save()

    from quizzes import services

    clients = []
    for candidate in candidates:
        submitted = submitted_through_services(
            user=candidate, exam=exams.full, now=now, skill=rng.uniform(0.5, 0.9), rng=rng
        )
        in_progress = services.start_attempt(user=candidate, exam=exams.full, seed=rng.random())
        clients.append(BenchClient(user=candidate, in_progress=in_progress, submitted=submitted))

    seeded = Seeded(
        clients=clients, leads=[], cohort=None, examinees=examinees, full_mock=exams.full
    )
    missing = cohort_models_missing()
    if missing:
        seeded.skipped["dashboard"] = missing
    else:
        with transaction.atomic():
            seeded.leads = create_users("bench-lead", sizes.clients, password_hash=password_hash)
            seeded.cohort = seed_cohort(learners=learners, leads=seeded.leads)
        missing = probe_dashboard(seeded.cohort, seeded.leads[0])
        if missing:
            seeded.skipped["dashboard"] = missing
            seeded.cohort = None
    seeded.counts = {
        "candidates": len(learners) + len(candidates) + len(examinees),
        "cohort_learners": len(learners) if seeded.cohort else 0,
        "attempts": len(past.attempts) + 2 * len(clients),
        "attempt_items": len(past.items) + sum(c.submitted.item_count for c in clients) * 2,
    }
    return seeded


def update_statistics(connection) -> None:
    """Give the query planner the statistics a live database has.

    Autovacuum analyses a table about a minute after a bulk load; the runs start sooner. Until
    then PostgreSQL plans with the empty tables' statistics and reads a candidate's past items
    by scanning every attempt's (40 ms where the index takes 0.3)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=Sizes.clients)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from .plan import request_plan

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    seeded = seed(Sizes(clients=args.clients))
    update_statistics(connection)
    plan = request_plan(seeded)
    plan["vendor"] = connection.vendor
    plan["seconds"] = {
        "migrate": round(migrated - started, 1),
        "seed": round(time.perf_counter() - migrated, 1),
    }
    args.output.write_text(json.dumps(plan), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
