"""One learner seen by their lead: history and results read-only, and extra time."""

import pytest
from django.urls import reverse

from accounts.models import CandidateProfile, extra_time_percent_of
from quizzes import services as exam_services
from quizzes.models import Selection
from tests.factories import make_bank, make_cohort, make_exam, make_lead, make_user, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(client):
    make_bank(topics=2, per_topic=12)
    mock = make_exam(items=10, title="Mini mock", minutes=30)
    # The adaptive drills exist, so the candidate's own history would offer them.
    make_exam(items=5, title="Practice my weak topics", selection=Selection.WEAK_TOPICS)
    lead = make_lead()
    learner = make_user("robin", first_name="Robin", last_name="Vale")
    cohort = make_cohort(lead, members=[learner])
    attempts = [take(mock, learner, right=right) for right in (4, 9)]
    client.force_login(lead)
    return {"cohort": cohort, "learner": learner, "mock": mock, "attempts": attempts}


def learner_url(setting, name="cohorts:learner", *extra):
    return reverse(name, args=[setting["cohort"].pk, setting["learner"].pk, *extra])


def test_the_lead_sees_the_learners_history_read_only(client, setting):
    response = client.get(learner_url(setting))

    text = response.text
    assert response.status_code == 200
    assert "History of Robin Vale" in text
    assert "<polyline" in text  # the trend chart
    assert "Mastery by topic" in text
    assert "40 %" in text and "90 %" in text
    for attempt in setting["attempts"]:
        assert learner_url(setting, "cohorts:learner_result", attempt.pk) in text
        assert reverse("quizzes:attempt_result", args=[attempt.pk]) not in text
    assert "Practice my weak topics" not in text  # no drill buttons
    assert "/start/" not in text


def test_an_attempt_in_progress_is_listed_without_a_link(client, setting):
    running = exam_services.start_attempt(user=setting["learner"], exam=setting["mock"])

    response = client.get(learner_url(setting))

    assert "In progress" in response.text
    assert running.get_absolute_url() not in response.text


def test_the_lead_sees_a_result_read_only(client, setting):
    attempt = setting["attempts"][0]

    response = client.get(learner_url(setting, "cohorts:learner_result", attempt.pk))

    text = response.text
    assert response.status_code == 200
    assert "result of Robin Vale" in text
    assert "Score: 40 %" in text
    assert "(their answer)" in text
    assert "(your answer)" not in text
    assert "Report a problem" not in text
    assert "Take another exam" not in text
    assert attempt.items.first().explanation in text


def test_the_result_can_show_only_incorrect_items(client, setting):
    attempt = setting["attempts"][1]

    response = client.get(
        learner_url(setting, "cohorts:learner_result", attempt.pk), {"show": "incorrect"}
    )

    # The filter hides the other lines by their class (static/css/result.css).
    assert 'data-show="incorrect"' in response.text
    assert response.text.count('<li class="result-line is-correct') == attempt.item_count - 1


def test_the_candidates_own_pages_are_unchanged(client, setting):
    attempt = setting["attempts"][0]
    client.force_login(setting["learner"])

    history = client.get(reverse("quizzes:history"))
    result = client.get(reverse("quizzes:attempt_result", args=[attempt.pk]))

    assert "Your history" in history.text
    assert "Practice my weak topics" in history.text
    assert "(your answer)" in result.text
    assert "Report a problem" in result.text
    assert "Take another exam" in result.text


def test_the_lead_sets_extra_time_for_new_attempts(client, setting):
    learner = setting["learner"]

    response = client.post(
        learner_url(setting, "cohorts:extra_time"), {"extra_time_percent": "50"}, follow=True
    )

    assert extra_time_percent_of(learner) == 50
    assert "Extra time for robin set to 50 %" in response.text
    attempt = exam_services.start_attempt(user=learner, exam=setting["mock"])
    assert (attempt.deadline - attempt.started_at).total_seconds() == 45 * 60


def test_extra_time_updates_an_existing_profile(client, setting):
    CandidateProfile.objects.create(user=setting["learner"], extra_time_percent=25)

    client.post(learner_url(setting, "cohorts:extra_time"), {"extra_time_percent": "0"})

    assert CandidateProfile.objects.get().extra_time_percent == 0


@pytest.mark.parametrize("value", ["-1", "201", "lots", ""])
def test_extra_time_outside_0_to_200_is_refused(client, setting, value):
    response = client.post(
        learner_url(setting, "cohorts:extra_time"), {"extra_time_percent": value}
    )

    assert response.status_code == 400
    assert "Extra time must be a whole number from 0 to 200" in response.text
    assert extra_time_percent_of(setting["learner"]) == 0


def test_the_learner_page_shows_the_current_extra_time(client, setting):
    CandidateProfile.objects.create(user=setting["learner"], extra_time_percent=100)

    response = client.get(learner_url(setting))

    assert '<strong id="extra-time-current">100 %</strong>' in response.text
    assert "200 % of each exam" in response.text
