"""The cohort helpers in tests/factories.py: the attempts they make are what the exam
services would store, and a lead is in the leads' group."""

import pytest

from accounts.roles import COHORT_LEADS
from quizzes.models import Attempt, AttemptTopicResult
from tests.factories import bulk_history, make_bank, make_exam, make_lead, make_user


@pytest.mark.django_db
def test_bulk_history_stores_what_grading_would(django_assert_max_num_queries):
    topics = make_bank(topics=2, per_topic=3)
    exam = make_exam(items=10)
    users = [make_user() for _ in range(3)]

    with django_assert_max_num_queries(2):
        made = bulk_history(users, exam, topics, attempts=4, percent=lambda u, a: 20 * (a + 1))

    assert len(made) == 12
    latest = Attempt.objects.filter(user=users[0]).order_by("-submitted_at").first()
    assert (latest.score, latest.correct_count, latest.passed) == (80, 8, True)
    assert AttemptTopicResult.objects.filter(attempt=latest).count() == 2


@pytest.mark.django_db
def test_make_lead_is_in_the_leads_group():
    lead = make_lead()

    assert lead.groups.filter(name=COHORT_LEADS).exists()
