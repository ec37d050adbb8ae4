"""Spaced review: each answered question's schedule, replayed from the stored answers through
FSRS; what is due today on home, and the one-click session of it."""

import random
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from quizzes import services
from quizzes.models import Attempt, AttemptKind, Question, StarredQuestion, Status
from quizzes.review_schedule import (
    NOTHING_DUE,
    NOTHING_LEFT,
    Answer,
    due_questions,
    end_of_day,
    replay,
    review_outlook,
    schedule_for,
    start_review,
)
from tests.factories import NOW, answer, make_bank, make_exam, make_user

CHICAGO = ZoneInfo("America/Chicago")
DAY = timedelta(days=1)


def sit(exam, user, *, at: datetime, answers: dict[int, bool]) -> Attempt:
    """Start, answer and submit ``exam`` at ``at``: each question in ``answers`` right (True)
    or wrong (False), every other item left blank."""
    attempt = services.start_attempt(user=user, exam=exam, now=at)
    for item in attempt.items.all():
        if item.question_id in answers:
            wrong = sorted(k for k in item.choice_keys if k != item.correct_key)[0]
            key = item.correct_key if answers[item.question_id] else wrong
            answer(attempt, item.position, key, sequence=item.position, now=at)
    return services.submit_attempt(attempt=attempt, now=at)


@pytest.fixture
def questions() -> list[int]:
    make_bank(topics=1, per_topic=4)
    return list(Question.objects.order_by("pk").values_list("pk", flat=True))


@pytest.fixture
def exam(questions):
    return make_exam(items=len(questions))


def schedule_of(user) -> dict:
    return {scheduled.question_id: scheduled for scheduled in schedule_for(user)}


def due_ids(user, now: datetime) -> list[int]:
    return [due.question_id for due in due_questions(user, now)]


# --- The schedule.


@pytest.mark.django_db
def test_a_wrong_answer_is_due_sooner_than_a_right_one(exam, questions):
    user = make_user()
    right, wrong = questions[:2]
    sit(exam, user, at=NOW, answers={right: True, wrong: False})
    schedule = schedule_of(user)
    assert schedule[wrong].due == NOW + DAY < schedule[right].due
    assert schedule[wrong].missed_last and not schedule[right].missed_last
    assert due_ids(user, NOW) == []  # nothing comes due on the day of the answer
    assert review_outlook(user, NOW).next_due == NOW + DAY
    assert due_ids(user, NOW + DAY) == [wrong]
    assert due_ids(user, schedule[right].due) == [wrong, right]


@pytest.mark.django_db
def test_a_blank_creates_no_schedule_and_moves_none(exam, questions):
    user = make_user()
    first, second, *blank = questions
    sit(exam, user, at=NOW, answers={first: True, second: False})
    before = schedule_of(user)
    assert set(before) == {first, second}
    sit(exam, user, at=NOW + 3 * DAY, answers={})  # every item blank
    assert schedule_of(user) == before
    sit(exam, user, at=NOW + 4 * DAY, answers={second: True})
    after = schedule_of(user)
    assert after[first] == before[first] and after[second].due > NOW + 4 * DAY
    assert not set(blank) & set(after)


@pytest.mark.django_db
def test_the_schedule_is_the_same_when_recomputed(exam, questions):
    user = make_user()
    rng = random.Random(7)
    for day in range(6):
        at = NOW + day * DAY + timedelta(minutes=rng.randrange(600))
        sit(exam, user, at=at, answers={q: rng.random() < 0.6 for q in questions})
    later = NOW + 40 * DAY
    first, first_due = schedule_for(user), due_questions(user, later)
    cache.clear()
    assert schedule_for(user) == first
    assert due_questions(user, later) == first_due


@pytest.mark.django_db
def test_a_missing_answer_time_falls_back_to_the_submit_time(exam, questions):
    user = make_user()
    attempt = sit(exam, user, at=NOW, answers={questions[0]: False})
    later = NOW + 5 * DAY
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=later)
    attempt.items.update(answered_at=None)
    assert schedule_of(user)[questions[0]].due == later + DAY


@pytest.mark.django_db
def test_missed_last_time_follows_the_latest_answer(exam, questions):
    user = make_user()
    mended, missed = questions[:2]
    sit(exam, user, at=NOW, answers={mended: False, missed: True})
    sit(exam, user, at=NOW + 2 * DAY, answers={mended: True, missed: False})
    schedule = schedule_of(user)
    assert not schedule[mended].missed_last and schedule[missed].missed_last


@pytest.mark.django_db
def test_only_the_candidates_own_submitted_answers_count(exam, questions):
    user, other = make_user(), make_user()
    sit(exam, other, at=NOW, answers=dict.fromkeys(questions, False))
    attempt = services.start_attempt(user=user, exam=exam, now=NOW)
    for item in attempt.items.all():
        answer(attempt, item.position, item.correct_key, sequence=item.position, now=NOW)
    assert schedule_for(user) == ()  # open: not an answer until submitted
    assert review_outlook(user, NOW + 9 * DAY).is_empty


@pytest.mark.django_db
def test_retired_questions_drop_out(exam, questions):
    user = make_user()
    sit(exam, user, at=NOW, answers=dict.fromkeys(questions[:2], False))
    assert set(due_ids(user, NOW + 2 * DAY)) == set(questions[:2])
    retired = Question.objects.get(pk=questions[0])
    retired.status = Status.RETIRED
    retired.save()
    assert due_ids(user, NOW + 2 * DAY) == [questions[1]]
    retired.status = Status.PUBLISHED  # back in the bank: its history comes back with it
    retired.save()
    assert set(due_ids(user, NOW + 2 * DAY)) == set(questions[:2])


def test_due_today_means_by_the_end_of_the_day_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/Chicago"
    evening = datetime(2026, 3, 2, 22, 0, tzinfo=CHICAGO)
    assert end_of_day(evening) == datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=CHICAGO)
    assert end_of_day(evening.astimezone(UTC)) == end_of_day(evening)  # 04:00 UTC next day


@pytest.mark.django_db
def test_a_question_missed_last_evening_is_due_this_morning(exam, questions, settings):
    settings.TIME_ZONE = "America/Chicago"
    user = make_user()
    sit(exam, user, at=datetime(2026, 3, 2, 20, 0, tzinfo=CHICAGO), answers={questions[0]: False})
    assert due_ids(user, datetime(2026, 3, 2, 23, 0, tzinfo=CHICAGO)) == []
    assert due_ids(user, datetime(2026, 3, 3, 6, 0, tzinfo=CHICAGO)) == [questions[0]]


answer_lists = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=4),
        st.booleans(),
        st.integers(min_value=0, max_value=60 * 24 * 90),
    ),
    max_size=30,
)


@hypothesis_settings(deadline=None, max_examples=60)
@given(rows=answer_lists, seed=st.integers(min_value=0, max_value=1000))
def test_replay_depends_on_the_answers_only_not_on_their_order_in_hand(rows, seed):
    answers = [
        Answer(question, correct, NOW + timedelta(minutes=minutes), (n, 1))
        for n, (question, correct, minutes) in enumerate(rows)
    ]
    shuffled = list(answers)
    random.Random(seed).shuffle(shuffled)
    schedule = replay(answers)
    assert replay(shuffled) == schedule
    assert set(schedule) == {question for question, _, _ in rows}
    for question, scheduled in schedule.items():
        last = max((a for a in answers if a.question_id == question), key=lambda a: (a.at, a.order))
        assert scheduled.due >= last.at + DAY  # whole days: never due again the same day
        assert scheduled.missed_last == (not last.correct)


# --- Home and the one-click review.


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_home_shows_the_due_count_and_starts_a_review_missed_and_starred_first(
    client, candidate, exam, questions
):
    first, second, third, fourth = questions
    sit(exam, candidate, at=NOW, answers={first: True, second: False, third: True, fourth: False})
    StarredQuestion.objects.create(user=candidate, question_id=third)
    with time_machine.travel(NOW + 3 * DAY, tick=False):
        home = client.get(reverse("home")).content.decode()
        assert "4 questions due for review today" in home
        assert reverse("quizzes:start_review") in home and "Review 4 now" in home
        response = client.post(reverse("quizzes:start_review"))
    session = Attempt.objects.for_user(candidate).in_progress().get()
    assert response["Location"] == session.get_absolute_url()
    assert session.kind == AttemptKind.PRACTICE and not session.timed
    order = list(session.items.order_by("position").values_list("question_id", flat=True))
    assert order == [second, fourth, third, first]  # missed, then starred, then the rest


@pytest.mark.django_db
def test_the_review_takes_twenty_of_many_due(client, candidate):
    make_bank(topics=1, per_topic=25)
    exam = make_exam(items=25)
    sit(
        exam,
        candidate,
        at=NOW,
        answers=dict.fromkeys(Question.objects.values_list("pk", flat=True), False),
    )
    with time_machine.travel(NOW + 2 * DAY, tick=False):
        home = client.get(reverse("home")).content.decode()
        assert "25 questions due for review today" in home and "Review the first 20 now" in home
        client.post(reverse("quizzes:start_review"))
    assert Attempt.objects.for_user(candidate).in_progress().get().item_count == 20


@pytest.mark.django_db
def test_home_says_when_the_next_review_is_due(client, candidate, exam, questions, settings):
    settings.TIME_ZONE = "America/Chicago"
    sit(exam, candidate, at=NOW, answers={questions[0]: False})  # Monday, March 2
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        home = client.get(reverse("home")).content.decode()
    assert reverse("quizzes:start_review") not in home
    assert "Nothing is due for review today: your next review comes due on Tuesday, March 3" in home


@pytest.mark.django_db
def test_a_new_candidate_sees_nothing_about_review(client, candidate, exam):
    home = client.get(reverse("home")).content.decode()
    assert "review today" not in home and "next review" not in home
    assert reverse("quizzes:start_review") not in home


@pytest.mark.django_db
def test_a_review_with_nothing_due_says_so_on_home(client, candidate, exam, questions):
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("quizzes:start_review"))
    assert response["Location"] == reverse("home")
    assert messages_of(response) == [NOTHING_DUE]


@pytest.mark.django_db
def test_a_review_of_questions_retired_behind_the_cache_says_so_on_home(
    client, candidate, exam, questions
):
    sit(exam, candidate, at=NOW, answers=dict.fromkeys(questions, False))
    with time_machine.travel(NOW + 2 * DAY, tick=False):
        assert "4 questions due" in client.get(reverse("home")).content.decode()
        Question.objects.update(status=Status.RETIRED)  # an UPDATE: no version moves
        response = client.post(reverse("quizzes:start_review"))
        assert response["Location"] == reverse("home")
        assert messages_of(response) == [NOTHING_LEFT]
        assert client.get(reverse("home")).status_code == 200
    assert not Attempt.objects.for_user(candidate).in_progress().exists()
    with pytest.raises(services.AttemptError):
        start_review(user=candidate, now=NOW + 2 * DAY)


@pytest.mark.django_db
def test_the_review_needs_a_login_and_a_post(client):
    response = client.post(reverse("quizzes:start_review"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user())
    assert client.get(reverse("quizzes:start_review")).status_code == 405


@pytest.mark.django_db
def test_home_queries_do_not_grow_with_the_answers(client, exam, questions):
    """Cold (the schedule replayed) and warm (read from the cache), a candidate with 48
    answers costs home the queries one with 4 does."""
    few, many = make_user(), make_user()
    outcome = {q: q != questions[0] for q in questions}
    sit(exam, few, at=NOW, answers=outcome)
    for n in range(12):
        sit(exam, many, at=NOW + n * timedelta(hours=7), answers=outcome)
    counts = {}
    with time_machine.travel(NOW + 60 * DAY, tick=False):
        for name, user in (("few", few), ("many", many)):
            client.force_login(user)
            cache.clear()
            with CaptureQueriesContext(connection) as cold:
                page = client.get(reverse("home"))
            assert "4 questions due for review today" in page.content.decode()
            with CaptureQueriesContext(connection) as warm:
                client.get(reverse("home"))
            counts[name] = (len(cold), len(warm))
    assert counts["many"] == counts["few"]
    assert counts["few"][1] < counts["few"][0]  # the schedule is cached


@pytest.mark.django_db
def test_the_review_sent_twice_starts_one_session(client, candidate, exam, questions):
    sit(exam, candidate, at=NOW, answers=dict.fromkeys(questions, False))
    with time_machine.travel(NOW + 3 * DAY, tick=False):
        home = client.get(reverse("home")).content.decode()
        token = re.search(r'name="start_token" value="([0-9a-f-]{36})"', home)[1]
        first = client.post(reverse("quizzes:start_review"), {"start_token": token})
        second = client.post(reverse("quizzes:start_review"), {"start_token": token})
    session = Attempt.objects.for_user(candidate).in_progress().get()
    assert first["Location"] == second["Location"] == session.get_absolute_url()
