"""The practice builder: sessions of the candidate's own choosing, and a plain message (never
an error page) when the pool cannot fill one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CandidateProfile
from quizzes import practice, services
from quizzes.attempt_errors import AttemptError
from quizzes.models import Attempt, AttemptKind, Domain, Question, StarredQuestion
from quizzes.practice import PracticeRequest, QuestionChoice, start_practice
from tests.factories import answer, make_bank, make_exam, make_user, take

pytestmark = pytest.mark.django_db

BUILDER_URL = reverse("quizzes:practice_builder")


@pytest.fixture
def topics():
    return make_bank(topics=3, per_topic=8)


def topic_ids_of(attempt: Attempt) -> set[int]:
    return set(attempt.items.values_list("topic_id", flat=True))


def question_ids_of(attempt: Attempt) -> set[int]:
    return set(attempt.items.values_list("question_id", flat=True))


def test_a_session_holds_only_the_chosen_topics(topics):
    user = make_user()

    attempt = start_practice(
        user=user, request=PracticeRequest(count=6, topic_ids=frozenset({topics[1].pk}))
    )

    assert attempt.item_count == 6 == attempt.items.count()
    assert topic_ids_of(attempt) == {topics[1].pk}
    assert attempt.exam is None
    assert attempt.kind == AttemptKind.PRACTICE
    assert attempt.exam_title == f"Practice: {topics[1].title} (6 items)"


def test_topics_and_domains_together_draw_from_either(topics):
    Question.objects.filter(topic=topics[2]).update(domain=Domain.ADVOCACY)
    request = PracticeRequest(
        count=16, topic_ids=frozenset({topics[0].pk}), domains=frozenset({Domain.ADVOCACY})
    )

    attempt = start_practice(user=make_user(), request=request)

    assert topic_ids_of(attempt) == {topics[0].pk, topics[2].pk}


def test_an_untimed_session_shows_no_clock_and_closes_after_a_month(topics):
    now = timezone.now()

    attempt = start_practice(user=make_user(), request=PracticeRequest(count=5), now=now)

    assert not attempt.timed
    assert attempt.deadline == now + timedelta(days=services.UNTIMED_DAYS)


def test_a_timed_session_runs_at_the_real_exams_pace_plus_extra_time(topics):
    user, now = make_user(), timezone.now()
    CandidateProfile.objects.update_or_create(user=user, defaults={"extra_time_percent": 50})

    attempt = start_practice(user=user, request=PracticeRequest(count=10, timed=True), now=now)

    assert attempt.timed
    assert attempt.deadline == now + timedelta(minutes=10 * 1.2 * 1.5)


def test_tutor_mode_is_a_kind_of_session(topics):
    attempt = start_practice(user=make_user(), request=PracticeRequest(count=5, tutor=True))

    assert attempt.kind == AttemptKind.TUTOR
    assert attempt.is_tutor
    assert attempt.exam_title.startswith("Tutor session: all topics")


def test_not_seen_yet_leaves_out_every_question_ever_shown(topics):
    user = make_user()
    seen = question_ids_of(take(make_exam(items=10), user, right=5))

    with pytest.raises(AttemptError, match="Only 14 questions match"):
        start_practice(user=user, request=PracticeRequest(count=15, which=QuestionChoice.UNSEEN))
    attempt = start_practice(
        user=user, request=PracticeRequest(count=14, which=QuestionChoice.UNSEEN)
    )

    assert not question_ids_of(attempt) & seen


def test_any_question_draws_unseen_ones_first(topics):
    user = make_user()
    seen = question_ids_of(take(make_exam(items=12), user, right=5))

    attempt = start_practice(user=user, request=PracticeRequest(count=12))

    assert not question_ids_of(attempt) & seen


def test_missed_before_means_answered_wrong_and_never_a_blank(topics):
    user = make_user()
    attempt = services.start_attempt(user=user, exam=make_exam(items=6))
    items = list(attempt.items.order_by("position"))
    wrong = next(k for k in items[0].choice_keys if k != items[0].correct_key)
    answer(attempt, 1, wrong, sequence=1)
    answer(attempt, 2, items[1].correct_key, sequence=2)
    services.submit_attempt(attempt=attempt)  # items 3 to 6 left blank

    assert practice.missed_question_ids(user) == [items[0].question_id]
    with pytest.raises(AttemptError, match="Only 1 question matches these choices: ask for 1 item"):
        start_practice(user=user, request=PracticeRequest(count=5, which=QuestionChoice.MISSED))


def test_starred_draws_only_the_candidates_own_stars(topics):
    user, other = make_user(), make_user()
    mine = list(Question.objects.filter(topic=topics[0])[:5])
    StarredQuestion.objects.bulk_create(StarredQuestion(user=user, question=q) for q in mine)
    StarredQuestion.objects.create(user=other, question=Question.objects.filter(topic=topics[1])[0])

    attempt = start_practice(
        user=user, request=PracticeRequest(count=5, which=QuestionChoice.STARRED)
    )

    assert question_ids_of(attempt) == {q.pk for q in mine}


def test_an_explicit_list_is_kept_in_order_without_retired_questions(topics):
    ids = list(Question.objects.order_by("-pk").values_list("pk", flat=True)[:7])
    Question.objects.filter(pk=ids[3]).update(status="retired")
    kept = [pk for pk in ids if pk != ids[3]]

    attempt = start_practice(
        user=make_user(), request=PracticeRequest(count=len(kept), question_ids=tuple(ids))
    )

    assert list(attempt.items.order_by("position").values_list("question_id", flat=True)) == kept


def test_nothing_to_draw_writes_nothing(topics):
    user = make_user()

    with pytest.raises(AttemptError, match="No question matches"):
        start_practice(user=user, request=PracticeRequest(which=QuestionChoice.STARRED))

    assert not Attempt.objects.exists()


# --- the page ----------------------------------------------------------------------------


def builder_data(**fields) -> dict:
    return {"count": 5, "which": "any", "timing": "untimed", "feedback": "tutor"} | fields


def test_the_builder_lists_topics_and_domains_with_their_questions(client, candidate, topics):
    page = client.get(BUILDER_URL).text

    for topic in topics:
        assert f"{topic.title} (8)" in page
    assert "Professional Responsibility (24)" in page
    assert "Advocacy (" not in page  # no question practices it
    assert "<legend" in page


def test_the_builder_starts_the_session_asked_for(client, candidate, topics):
    response = client.post(
        BUILDER_URL, builder_data(topics=[topics[0].pk], count=7, feedback="end", timing="timed")
    )

    attempt = Attempt.objects.get(user=candidate)
    assert response.status_code == 302
    assert response.url == attempt.get_absolute_url()
    assert (attempt.kind, attempt.timed, attempt.item_count) == (AttemptKind.PRACTICE, True, 7)
    assert topic_ids_of(attempt) == {topics[0].pk}


def test_asking_for_more_than_the_pool_holds_says_how_many_there_are(client, candidate, topics):
    response = client.post(BUILDER_URL, builder_data(topics=[topics[0].pk], count=20))

    assert response.status_code == 200
    assert "Only 8 questions match these choices" in response.text
    assert 'role="alert"' in response.text
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [{"count": 4}, {"count": 101}, {"count": "ten"}, {"which": "all"}, {"topics": [999_999]}],
    ids=["too-few", "too-many", "not-a-number", "unknown-choice", "unknown-topic"],
)
def test_bad_input_is_a_form_error_that_names_the_field(client, candidate, topics, fields):
    response = client.post(BUILDER_URL, builder_data(**fields))

    assert response.status_code == 200
    assert response.context["form"].errors.keys() & fields.keys()
    assert not Attempt.objects.exists()


def test_the_builder_needs_a_signed_in_candidate(client, topics):
    response = client.get(BUILDER_URL)

    assert response.status_code == 302
    assert reverse("login") in response.url


def test_a_session_is_taken_and_read_like_an_exam_but_is_never_a_mock(client, candidate, topics):
    mock = take(make_exam(items=5), candidate, right=5)
    attempt = start_practice(user=candidate, request=PracticeRequest(count=5))
    assert attempt.exam_title in client.get(reverse("home")).text  # listed as open

    item_page = client.get(reverse("quizzes:take_item", args=[attempt.pk, 1]))
    for item in attempt.items.all():
        answer(attempt, item.position, item.correct_key, sequence=item.position)
    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    result = client.get(reverse("quizzes:attempt_result", args=[attempt.pk]))
    history = client.get(reverse("quizzes:history"))

    assert item_page.status_code == result.status_code == history.status_code == 200
    assert "Score: 100 %" in result.text
    assert attempt.exam_title in history.text
    assert [a.pk for a in history.context["mock_attempts"]] == [mock.pk]
