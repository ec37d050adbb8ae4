"""The world every hostile-request table attacks, and the client that attacks it."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role, assign_role
from quizzes import services
from quizzes.models import Status
from tests.factories import make_cohort, make_exam, make_lead, make_question, make_topic, make_user


@pytest.fixture
def world():
    """A candidate with an attempt in progress and a submitted one, an intruder with their
    own attempt, two leads with a cohort each, a cohort whose code expired, a trainer.

    Items come from two topics: two questions with choices a-b, two with a-f, so that a key
    valid on one item (``f``) is foreign to another."""
    two, six = make_topic("two-choices"), make_topic("six-choices")
    for _ in range(2):
        make_question(two, keys="ab", correct="a")
        make_question(six, keys="abcdef", correct="f")
    exam = make_exam(items=4, minutes=30, pass_mark=50, title="Mini mock")
    candidate = make_user("candidate", email="candidate@example.org")
    intruder = make_user("intruder", email="intruder@example.org")
    done = services.submit_attempt(attempt=services.start_attempt(user=candidate, exam=exam))
    lead, other_lead = make_lead("lead"), make_lead("other-lead")
    trainer = make_user("trainer")
    assign_role(trainer, Role.TRAINER)
    return SimpleNamespace(
        exam=exam,
        draft_exam=make_exam(items=1, status=Status.DRAFT),
        candidate=candidate,
        intruder=intruder,
        done=done,
        attempt=services.start_attempt(user=candidate, exam=exam),
        foreign=services.start_attempt(user=intruder, exam=exam),
        lead=lead,
        other_lead=other_lead,
        cohort=make_cohort(lead, name="Evening group", members=[candidate]),
        other_cohort=make_cohort(other_lead, name="Morning group", members=[intruder]),
        expired=make_cohort(
            other_lead, name="Last year", code_expires_at=timezone.now() - timedelta(days=1)
        ),
        trainer=trainer,
    )


@pytest.fixture
def hostile():
    """A client that turns a server error into a 500 response instead of raising it."""
    return Client(raise_request_exception=False)
