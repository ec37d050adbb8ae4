"""First steps: sign-up lands on a welcome with one first step, adaptive drills say what
unlocks them, home lists every open attempt, starting another exam offers to resume the open
one, and a cohort lead lands on their cohorts after logging in."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, assign_role, ensure_roles
from quizzes import progress, services
from quizzes.bank_summary import bank_summary
from quizzes.models import Attempt, AttemptStatus, Question, Selection, Status
from quizzes.practice import PracticeRequest, start_practice
from tests.factories import PASSWORD, answer, make_bank, make_exam, make_lead, make_user, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return make_bank(topics=2, per_topic=12)


@pytest.fixture
def mini(topics):
    return make_exam(items=4, minutes=30, title="Mini mock", slug="mini-mock")


@pytest.fixture
def full(topics):
    return make_exam(items=10, minutes=120, title="Full mock", slug="full-mock")


@pytest.fixture
def mistakes(topics):
    return make_exam(
        items=20, selection=Selection.MISTAKES, title="Retake my mistakes", slug="mistakes"
    )


@pytest.fixture
def weak(topics):
    return make_exam(
        items=20, selection=Selection.WEAK_TOPICS, title="Drill my weakest topics", slug="weak"
    )


def start_url(exam) -> str:
    return reverse("quizzes:start_exam", args=[exam.slug])


def drills_by_slug(user) -> dict[str, progress.AdaptiveDrill]:
    return {drill.exam.slug: drill for drill in progress.adaptive_drills(user)}


def service_can_start(user, exam) -> bool:
    try:
        attempt = services.start_attempt(user=user, exam=exam)
    except services.AttemptError:
        return False
    attempt.delete()
    return True


# --- 1. sign-up lands on a welcome with one first step ------------------------------------


def test_sign_up_lands_on_home_with_a_welcome_and_one_first_step(client, mini, full):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/", 302)]
    page = response.text
    assert "Welcome to CRSS Prep, newcomer" in page
    assert "timed practice exams" in page
    assert "study notes for each topic" in page
    assert "score history" in page
    assert page.count('class="btn btn-primary') == 1  # one clear first step
    assert f'action="{start_url(mini)}"' in page
    assert "Take the mini mock" in page
    assert "Suggested next step" not in page


def test_the_first_step_starts_the_mini_mock(client, candidate, mini, full):
    response = client.post(start_url(mini))

    attempt = Attempt.objects.get(user=candidate)
    assert attempt.exam == mini
    assert response.url == attempt.get_absolute_url()


def test_a_candidate_with_attempts_is_welcomed_back_instead(client, candidate, mini):
    take(mini, candidate, right=2)

    page = client.get("/").text

    assert "Welcome back" in page
    assert "Welcome to CRSS Prep" not in page
    assert "Suggested next step" in page


# --- 2. adaptive drills: offered when they can be built, otherwise what unlocks them --------


def test_a_brand_new_candidate_sees_what_unlocks_each_drill_and_no_error(
    client, candidate, mini, mistakes, weak
):
    page = client.get("/").text

    assert f"Retake my mistakes: {progress.MISTAKES_LOCKED}" in page
    assert f"Drill my weakest topics: {progress.WEAK_TOPICS_LOCKED}" in page
    assert f'action="{start_url(mistakes)}"' not in page
    assert f'action="{start_url(weak)}"' not in page
    assert "alert-danger" not in page
    assert "has since been answered right twice" not in page


def test_starting_a_locked_drill_explains_what_unlocks_it_as_information(
    client, candidate, mini, mistakes, weak
):
    for exam, unlocks in (
        (mistakes, progress.MISTAKES_LOCKED),
        (weak, progress.WEAK_TOPICS_LOCKED),
    ):
        response = client.post(start_url(exam), follow=True)

        assert f"{exam.title}: {unlocks}" in response.text
        assert 'class="alert alert-info"' in response.text
        assert "alert-danger" not in response.text
    assert not Attempt.objects.filter(user=candidate).exists()


def test_a_finished_exam_with_a_miss_unlocks_both_drills(client, candidate, mini, mistakes, weak):
    take(mini, candidate, right=3)

    page = client.get("/").text

    assert f'action="{start_url(mistakes)}"' in page
    assert f'action="{start_url(weak)}"' in page
    assert "unlocks" not in page
    response = client.post(start_url(mistakes))
    assert Attempt.objects.get(user=candidate, exam=mistakes).get_absolute_url() == response.url


def test_a_perfect_exam_unlocks_weak_topics_but_leaves_no_mistakes(
    client, candidate, mini, mistakes, weak
):
    take(mini, candidate, right=4)

    drills = drills_by_slug(candidate)

    assert drills["weak"].available
    assert not drills["mistakes"].available
    assert drills["mistakes"].unlocks == progress.MISTAKES_CLEARED
    assert f"Retake my mistakes: {progress.MISTAKES_CLEARED}" in client.get("/history/").text


def test_mistakes_answered_right_twice_lock_the_drill_again(candidate, mini, mistakes):
    take(mini, candidate, right=3)
    for _ in range(2):
        drill = services.start_attempt(user=candidate, exam=mistakes)
        answer(drill, 1, drill.items.get().correct_key)
        services.submit_attempt(attempt=drill)

    assert drills_by_slug(candidate)["mistakes"].unlocks == progress.MISTAKES_CLEARED


def test_a_missed_question_since_retired_does_not_unlock_the_drill(candidate, mini, mistakes):
    attempt = take(mini, candidate, right=3)
    missed = attempt.items.get(is_correct=False).question
    Question.objects.filter(pk=missed.pk).update(status=Status.RETIRED)

    assert not drills_by_slug(candidate)["mistakes"].available


@pytest.mark.parametrize("right", [None, "blank", 0, 2, 4])
def test_drill_availability_agrees_with_the_start_service(candidate, mini, mistakes, weak, right):
    if right == "blank":
        services.submit_attempt(attempt=services.start_attempt(user=candidate, exam=mini))
    elif right is not None:
        take(mini, candidate, right=right)

    for drill in progress.adaptive_drills(candidate):
        assert drill.available == service_can_start(candidate, drill.exam), drill.exam.slug


def test_drill_check_costs_no_more_queries_with_more_history(
    candidate, mini, full, mistakes, weak, django_assert_num_queries
):
    def uncached_check():
        cache.clear()  # the drills' own cache too: measure the reading, not a cache hit
        bank_summary()
        progress.adaptive_drills(candidate)

    take(mini, candidate, right=1)
    with CaptureQueriesContext(connection) as few:
        uncached_check()
    for _ in range(5):
        take(full, candidate, right=5)
    with django_assert_num_queries(len(few)):
        uncached_check()


# --- 3. home lists every attempt in progress ----------------------------------------------


def test_home_lists_every_attempt_in_progress(client, candidate, mini, full):
    first = services.start_attempt(user=candidate, exam=mini)
    answer(first, 1, first.items.get(position=1).correct_key)
    second = services.start_attempt(user=candidate, exam=full)

    response = client.get("/")

    page = response.text
    assert [a.pk for a in response.context["open_attempts"]] == [second.pk, first.pk]
    assert "Answered 1 of 4" in page
    assert "Answered 0 of 10" in page
    assert page.count("minutes left") == 2
    assert f'href="{first.get_absolute_url()}"' in page
    assert f'href="{second.get_absolute_url()}"' in page
    assert "Welcome to CRSS Prep" not in page


def test_an_attempt_past_its_deadline_is_shown_as_time_up(client, candidate, mini):
    attempt = services.start_attempt(
        user=candidate, exam=mini, now=timezone.now() - timedelta(hours=1)
    )

    page = client.get("/").text

    assert "time is up" in page
    assert f'href="{attempt.get_absolute_url()}">See the result' in page


def test_the_next_step_resumes_its_exam_when_it_is_open(client, candidate, mini):
    services.start_attempt(user=candidate, exam=mini)

    assert "Resume the mini mock" in client.get("/").text


# --- 4. starting a different exam while one is open ---------------------------------------


def test_starting_another_exam_first_offers_to_resume_the_open_one(client, candidate, mini, full):
    open_attempt = services.start_attempt(user=candidate, exam=mini)
    answer(open_attempt, 1, open_attempt.items.get(position=1).correct_key)
    answer(open_attempt, 2, open_attempt.items.get(position=2).correct_key, sequence=2)

    response = client.post(start_url(full))

    assert response.status_code == 200
    page = response.text
    assert "You have Mini mock in progress" in page
    assert "answered 2 of 4" in page
    assert "minutes left" in page
    assert f'<a class="btn btn-primary" href="{open_attempt.get_absolute_url()}">' in page
    assert "Resume Mini mock</a>" in page
    assert f'action="{start_url(full)}"' in page
    assert 'name="confirm"' in page
    assert "csrfmiddlewaretoken" in page
    assert "Start Full mock anyway" in page
    assert not Attempt.objects.filter(user=candidate, exam=full).exists()


def test_confirming_starts_a_second_attempt(client, candidate, mini, full):
    open_attempt = services.start_attempt(user=candidate, exam=mini)

    response = client.post(start_url(full), {"confirm": "1"})

    started = Attempt.objects.get(user=candidate, exam=full)
    assert response.url == started.get_absolute_url()
    assert set(Attempt.objects.for_user(candidate).in_progress()) == {open_attempt, started}


def test_starting_the_open_exam_again_resumes_it(client, candidate, mini, full):
    services.start_attempt(user=candidate, exam=full)
    open_attempt = services.start_attempt(user=candidate, exam=mini)

    response = client.post(start_url(mini))

    assert response.url == open_attempt.get_absolute_url()
    assert Attempt.objects.filter(user=candidate).count() == 2


def test_with_nothing_open_starting_goes_straight_to_the_attempt(client, candidate, mini, full):
    take(mini, candidate, right=2)

    response = client.post(start_url(full))

    assert response.url == Attempt.objects.get(user=candidate, exam=full).get_absolute_url()


def test_an_open_attempt_past_its_deadline_is_closed_not_offered(client, candidate, mini, full):
    overdue = services.start_attempt(
        user=candidate, exam=mini, now=timezone.now() - timedelta(hours=1)
    )

    response = client.post(start_url(full))

    assert response.url == Attempt.objects.get(user=candidate, exam=full).get_absolute_url()
    overdue.refresh_from_db()
    assert overdue.status == AttemptStatus.SUBMITTED


def test_the_offer_needs_the_csrf_token(candidate, mini, full):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(candidate)
    services.start_attempt(user=candidate, exam=mini)

    assert strict.post(start_url(full), {"confirm": "1"}).status_code == 403
    assert not Attempt.objects.filter(user=candidate, exam=full).exists()


# --- 5. where each role lands after logging in --------------------------------------------


def log_in(client, user, next_url: str | None = None):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": PASSWORD})


def test_a_cohort_lead_lands_on_their_cohorts(client):
    response = log_in(client, make_lead())

    assert response.status_code == 302
    assert response.url == reverse("cohorts:list")


def test_a_safe_next_still_wins_for_a_lead(client):
    response = log_in(client, make_lead(), next_url="/history/")

    assert response.url == "/history/"


def test_an_unsafe_next_falls_back_to_the_leads_cohorts(client):
    response = log_in(client, make_lead(), next_url="https://evil.example.org/")

    assert response.url == reverse("cohorts:list")


def test_candidates_and_trainers_land_on_home(client):
    ensure_roles()
    trainer = make_user()
    assign_role(trainer, Role.TRAINER)

    for user in (make_user(), trainer):
        assert log_in(client, user).url == reverse("home")
        client.logout()


def test_an_open_untimed_session_says_untimed_not_a_month_left(client, candidate, mini):
    request = PracticeRequest(count=4, tutor=True)
    start_practice(user=candidate, request=request)
    services.start_attempt(user=candidate, exam=mini)

    page = client.get("/").text

    assert "Answered 0 of 4 · untimed" in page
    assert page.count("minutes left") == 1  # the mini mock's
    assert "weeks" not in page


def test_starting_an_exam_beside_an_untimed_session_says_untimed(client, candidate, mini):
    start_practice(user=candidate, request=PracticeRequest(count=4))

    page = client.post(start_url(mini)).text

    assert "answered 0 of 4, untimed." in page
    assert "weeks" not in page
