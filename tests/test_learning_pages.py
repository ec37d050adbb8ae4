"""History, topic and home pages; adaptive drills draw from the right pool."""

import re

import pytest

from quizzes import progress, services
from quizzes.models import Selection
from tests.factories import answer, make_bank, make_exam, make_user, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return make_bank(topics=2, per_topic=12)


@pytest.fixture
def mock(topics):
    return make_exam(items=10, title="Mini mock")


def test_history_with_no_attempts(client, candidate, mock):
    response = client.get("/history/")

    assert response.status_code == 200
    assert "No attempts yet" in response.text
    assert "No finished mock exams yet" in response.text
    assert "Answer 40 more questions" in response.text


def test_history_with_one_attempt(client, candidate, mock):
    attempt = take(mock, candidate, right=7)

    response = client.get("/history/")

    assert "70 %" in response.text
    assert f"/attempts/{attempt.pk}/result/" in response.text
    assert "<polyline" in response.text
    assert "Answer 30 more questions" in response.text


def test_history_with_many_attempts_shows_readiness_and_trend(client, candidate, mock):
    for right in (4, 6, 8, 9, 10):
        take(mock, candidate, right=right)

    response = client.get("/history/")

    assert "Estimated chance to pass a full mock:" in response.text
    assert re.search(r"Likely mock score: \d+-\d+ %", response.text)
    assert response.text.count('class="dot"') == 5
    assert response.context["mock_attempts"][-1].score == 100


def test_history_never_shows_another_candidates_attempts(client, candidate, mock):
    take(mock, make_user("someone-else"), right=3)

    response = client.get("/history/")

    assert "No attempts yet" in response.text
    assert response.context["attempts"] == []


def test_history_requires_login(client):
    response = client.get("/history/")

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_topic_page_renders_notes_safely_and_lists_misses(client, candidate, topics):
    topic = topics[0]
    topic.notes = "## Key idea\n\nConsult **early**.\n\n<script>alert(1)</script>"
    topic.save()
    drill = make_exam(items=5, topics={topic: 1})
    attempt = take(drill, candidate, right=3)
    missed = attempt.items.filter(is_correct=False).first()

    response = client.get(f"/topics/{topic.slug}/")

    assert "<h2>Key idea</h2>" in response.text
    assert "<strong>early</strong>" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert "Your accuracy: 60 % over 5 answers" in response.text
    assert missed.explanation in response.text
    assert "Drill this topic" in response.text


def test_topic_page_without_attempts(client, candidate, topics):
    response = client.get(f"/topics/{topics[0].slug}/")

    assert "You have not answered questions in this topic yet" in response.text
    assert "None yet" in response.text


def test_topic_list(client, topics):
    response = client.get("/topics/")

    assert all(topic.title in response.text for topic in topics)


def test_home_signed_out_explains_the_app(client, topics):
    response = client.get("/")

    assert "Create a free account" in response.text


def test_home_for_new_candidate_suggests_the_mini_mock(client, candidate, mock):
    response = client.get("/")

    assert "Take the mini mock" in response.text
    assert "Welcome to CRSS Prep" in response.text


def test_home_after_attempts_shows_last_result_and_weakest_topic(client, candidate, topics):
    mock = make_exam(items=10, title="Mini mock")
    for _ in range(4):
        take(mock, candidate, right=5)

    response = client.get("/")

    assert "Estimated chance to pass" in response.text
    assert "Mini mock</a>: 50 %" in response.text
    assert response.context["weakest_topic"] in topics


def test_mistakes_drill_holds_exactly_the_missed_items(candidate, mock):
    attempt = take(mock, candidate, right=6)
    missed = set(attempt.items.filter(is_correct=False).values_list("question_id", flat=True))
    mistakes = make_exam(items=20, selection=Selection.MISTAKES)

    drill = services.start_attempt(user=candidate, exam=mistakes)

    assert set(drill.items.values_list("question_id", flat=True)) == missed


def test_item_answered_right_twice_in_a_row_leaves_the_mistake_pool(candidate, mock):
    take(mock, candidate, right=9)
    mistakes = make_exam(items=20, selection=Selection.MISTAKES)
    for _ in range(2):
        drill = services.start_attempt(user=candidate, exam=mistakes)
        assert drill.item_count == 1
        take_drill = drill.items.get()
        answer(drill, 1, take_drill.correct_key)
        services.submit_attempt(attempt=drill)

    with pytest.raises(services.AttemptError, match="no mistakes to retake"):
        services.start_attempt(user=candidate, exam=mistakes)


def test_weak_topics_drill_draws_from_the_two_weakest(candidate):
    topics = make_bank(topics=3, per_topic=10)
    for topic, right in zip(topics, (5, 2, 1), strict=True):
        take(make_exam(items=5, topics={topic: 1}), candidate, right=right)
    weak = make_exam(items=20, selection=Selection.WEAK_TOPICS)

    drill = services.start_attempt(user=candidate, exam=weak)

    assert set(drill.items.values_list("topic_id", flat=True)) == {topics[1].pk, topics[2].pk}


def test_weak_topics_drill_needs_results_first(candidate, topics):
    weak = make_exam(items=20, selection=Selection.WEAK_TOPICS)

    with pytest.raises(services.AttemptError, match="Weak topics come from your results"):
        services.start_attempt(user=candidate, exam=weak)


def test_empty_drill_pool_shows_a_message_on_the_catalogue(client, candidate, mock):
    mistakes = make_exam(items=20, selection=Selection.MISTAKES, slug="mistakes")

    response = client.post(f"/exams/{mistakes.slug}/start/", follow=True)

    assert progress.MISTAKES_LOCKED in response.text
    assert "alert-danger" not in response.text
