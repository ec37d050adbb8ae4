"""What the app says about progress is true: blanks are not evidence, incomplete mocks stay
out of trends and mock figures, domains are shown only where the pool covers them."""

import pytest
from django.urls import reverse

from cohorts.dashboard import cohort_table
from quizzes import progress, services
from quizzes.bank_summary import MIN_DOMAIN_QUESTIONS, bank_summary
from quizzes.models import Domain
from quizzes.readiness import MIN_ANSWERS
from tests.factories import (
    answer,
    make_cohort,
    make_exam,
    make_lead,
    make_question,
    make_topic,
    make_user,
    take,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    """Two topics of 30; every question in Professional Responsibility but six in Advocacy
    (fewer than MIN_DOMAIN_QUESTIONS)."""
    topics = [make_topic("ethics"), make_topic("power")]
    for topic in topics:
        for n in range(30):
            domain = (
                Domain.ADVOCACY
                if topic.slug == "power" and n < 6
                else Domain.PROFESSIONAL_RESPONSIBILITY
            )
            make_question(topic, correct="abcd"[n % 4], domain=domain)
    return topics


@pytest.fixture
def full_mock(pool):
    return make_exam(items=40, minutes=60, slug="full-mock", title="Full mock exam")


def submit_after_answering(exam, user, *, answered: int, right: int):
    """Answer the first ``answered`` items (the first ``right`` of them right), leave the
    rest blank, submit."""
    attempt = services.start_attempt(user=user, exam=exam)
    for item in attempt.items.order_by("position")[:answered]:
        wrong = next(k for k in item.choice_keys if k != item.correct_key)
        answer(attempt, item.position, item.correct_key if item.position <= right else wrong)
    return services.submit_attempt(attempt=attempt)


def test_a_nearly_blank_mock_scores_blanks_as_wrong_but_teaches_mastery_nothing(
    client, pool, full_mock
):
    candidate = make_user()

    mock = submit_after_answering(full_mock, candidate, answered=5, right=0)

    # The score counts a blank as wrong, as the real exam does.
    assert (mock.score, mock.correct_count, mock.answered_count) == (0, 0, 5)
    assert mock.is_incomplete
    state = progress.progress_for(candidate)
    # Mastery rests on the five answers, not on forty items.
    assert sum(m.total for m in state.mastery.values()) == 5
    assert not state.readiness.is_estimated
    assert state.readiness.needed == MIN_ANSWERS - 5

    client.force_login(candidate)
    history = client.get(reverse("quizzes:history"))
    assert "Incomplete" in history.text
    assert "5 of 40 answered; not in the trend" in history.text
    assert history.context["mock_attempts"] == []  # listed, but not in the trend
    assert "0-0 %" not in history.text


def test_a_drill_after_a_blank_mock_shows_its_own_accuracy(pool, full_mock):
    candidate = make_user()
    submit_after_answering(full_mock, candidate, answered=1, right=0)
    power = pool[1]
    drill = make_exam(items=20, minutes=30, topics={power: 1})

    take(drill, candidate, right=7)

    mastery = progress.mastery_for(candidate)[power.pk]
    answered_in_mock = 1 if mastery.total == 21 else 0  # the one answer may be in either topic
    assert (mastery.correct, mastery.total) == (7, 20 + answered_in_mock)
    assert mastery.percent in (33, 35)  # not 0 %


def test_a_half_answered_mock_counts(pool, full_mock):
    candidate = make_user()

    mock = submit_after_answering(full_mock, candidate, answered=20, right=20)

    assert not mock.is_incomplete
    assert mock.score == 50


def test_readiness_shows_a_real_range_after_enough_answers(client, pool, full_mock):
    candidate = make_user()
    take(full_mock, candidate, right=12)  # 40 answered, most wrong

    readiness = progress.progress_for(candidate).readiness

    assert readiness.is_estimated
    assert readiness.score_low < readiness.score < readiness.score_high
    client.force_login(candidate)
    page = client.get(reverse("quizzes:history")).text
    assert f"Likely mock score: {readiness.score_low}-{readiness.score_high} %" in page
    assert "Based on 40 answered questions" in page


def test_the_leads_mock_figures_leave_out_an_incomplete_mock(client, pool, full_mock):
    lead, learner = make_lead(), make_user()
    cohort = make_cohort(lead, members=[learner])
    take(full_mock, learner, right=30)  # 75 %
    submit_after_answering(full_mock, learner, answered=3, right=3)  # 8 %, mostly blank

    row = cohort_table(cohort).rows[0]

    assert (row.latest_mock, row.best_mock) == (75, 75)
    assert not row.at_risk  # the abandoned mock is no sign of failing
    client.force_login(lead)
    learner_page = client.get(reverse("cohorts:learner", args=[cohort.pk, learner.pk])).text
    assert learner_page.count("Incomplete") == 1  # still listed, with its score
    assert "8 %" in learner_page
    assert "All the learner's attempts" in learner_page


def test_domains_the_pool_barely_covers_get_no_figure(client, pool, full_mock):
    candidate = make_user()
    attempt = take(full_mock, candidate, right=40)
    coverage = {d.domain: d for d in bank_summary().domains}
    assert coverage[Domain.ADVOCACY].questions == 6 < MIN_DOMAIN_QUESTIONS
    assert coverage[Domain.PROFESSIONAL_RESPONSIBILITY].covered
    client.force_login(candidate)

    result = client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).text
    history = client.get(reverse("quizzes:history")).text

    for page in (result, history):
        assert "By exam domain" in page
        assert "Not covered by this pool (6 questions)" in page
        assert "Not covered by this pool (0 questions)" in page  # mentoring, recovery support
    assert attempt.domain_results.get(domain=Domain.PROFESSIONAL_RESPONSIBILITY).total > 0


def test_the_dashboard_has_a_column_per_covered_domain(client, pool, full_mock):
    lead, learner = make_lead(), make_user()
    cohort = make_cohort(lead, members=[learner])
    take(full_mock, learner, right=40)
    client.force_login(lead)

    page = client.get(reverse("cohorts:dashboard", args=[cohort.pk])).text

    assert "Domain: Professional Responsibility" in page
    assert "Domain: Advocacy" not in page
    assert "Exam domains not covered by this pool" in page
    row = cohort_table(cohort).rows[0]
    assert [cell.percent for cell in row.domain_cells] == [100]


def test_the_pool_scope_is_stated_where_readiness_is_judged(client, pool, full_mock):
    candidate = make_user()
    client.force_login(candidate)
    scope = bank_summary().scope

    assert scope.startswith("The 60 questions here cover the Professional Responsibility domain")
    assert "also tests Advocacy, Mentoring and Recovery Support" in scope
    for name in ("quizzes:exam_catalogue", "quizzes:history"):
        assert scope in client.get(reverse(name)).text
