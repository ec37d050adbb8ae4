"""The demo cohort that `make run` seeds for the demo lead."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from cohorts.dashboard import cohort_table
from cohorts.demo import DEMO_COHORT_NAME, seed_demo_cohort
from cohorts.models import Cohort
from quizzes.models import Attempt, AttemptStatus
from tests.factories import NOW, make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    call_command("load_questions", str(settings.CRSS_CONTENT_DIR), stdout=io.StringIO())
    return make_lead("demo-lead")


def test_the_demo_cohort_has_learners_with_varied_results_and_one_at_risk(lead):
    cohort = seed_demo_cohort(lead=lead, now=NOW)

    table = cohort_table(cohort)
    rows = {row.learner.username: row for row in table.rows}
    assert cohort.name == DEMO_COHORT_NAME
    assert list(cohort.leads.all()) == [lead]
    assert len(rows) == 5
    assert all(row.attempts >= 1 for row in rows.values())
    assert not Attempt.objects.exclude(status=AttemptStatus.SUBMITTED).exists()
    at_risk = rows["demo-learner-dev"]
    assert at_risk.at_risk
    assert at_risk.readiness.chance < 50
    assert at_risk.latest_mock < at_risk.latest_mock_pass_mark
    assert not rows["demo-learner-ana"].at_risk
    assert not rows["demo-learner-eli"].readiness.is_estimated
    assert len({row.latest_mock for row in rows.values()}) >= 4


def test_seeding_twice_changes_nothing(lead):
    first = seed_demo_cohort(lead=lead, now=NOW)
    attempts = Attempt.objects.count()

    second = seed_demo_cohort(lead=lead, now=NOW)

    assert first == second
    assert Cohort.objects.count() == 1
    assert Attempt.objects.count() == attempts
    assert second.members.count() == 5


def test_demo_learners_cannot_sign_in(lead):
    cohort = seed_demo_cohort(lead=lead, now=NOW)

    assert not any(learner.has_usable_password() for learner in cohort.members.all())
