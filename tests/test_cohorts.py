"""Who may see what: every lead URL shows a lead their own cohort, and nobody else's."""

import pytest
from django.urls import reverse

from cohorts.models import Cohort
from tests.factories import make_bank, make_cohort, make_exam, make_lead, make_user, take

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zelda Quillfeather"


@pytest.fixture
def world():
    """Two cohorts with a learner each; the first learner has a submitted attempt."""
    make_bank(topics=2, per_topic=6)
    exam = make_exam(items=6)
    lead, other_lead = make_lead("lead-a"), make_lead("lead-b")
    learner = make_user("zelda", first_name="Zelda", last_name="Quillfeather")
    other_member = make_user("other-member")
    cohort = make_cohort(lead, name="Evening group", members=[learner])
    other = make_cohort(other_lead, name="Morning group", members=[other_member])
    attempt = take(exam, learner, right=4)
    take(exam, other_member, right=2)
    return {
        "lead": lead,
        "other_lead": other_lead,
        "learner": learner,
        "other_member": other_member,
        "candidate": make_user("just-a-candidate"),
        "cohort": cohort,
        "other": other,
        "attempt": attempt,
    }


def lead_urls(world) -> dict[str, tuple[str, str]]:
    """Every lead URL of the first cohort: name -> (method, url)."""
    cohort, learner, attempt = world["cohort"], world["learner"], world["attempt"]
    return {
        "dashboard": ("get", reverse("cohorts:dashboard", args=[cohort.pk])),
        "learner": ("get", reverse("cohorts:learner", args=[cohort.pk, learner.pk])),
        "learner_result": (
            "get",
            reverse("cohorts:learner_result", args=[cohort.pk, learner.pk, attempt.pk]),
        ),
        "questions": ("get", reverse("cohorts:questions", args=[cohort.pk])),
        "export_csv": ("get", reverse("cohorts:export_csv", args=[cohort.pk])),
        "attempts_csv": ("get", reverse("cohorts:attempts_csv", args=[cohort.pk])),
        "extra_time": ("post", reverse("cohorts:extra_time", args=[cohort.pk, learner.pk])),
        "regenerate_code": ("post", reverse("cohorts:regenerate_code", args=[cohort.pk])),
    }


URL_NAMES = [
    "dashboard",
    "learner",
    "learner_result",
    "questions",
    "export_csv",
    "attempts_csv",
    "extra_time",
    "regenerate_code",
]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def request(client, method: str, url: str):
    if method == "post":
        return client.post(url, {"extra_time_percent": "25"})
    return client.get(url)


@pytest.mark.parametrize("name", URL_NAMES)
def test_the_lead_reaches_every_page_of_their_cohort(client, world, name):
    method, url = lead_urls(world)[name]
    client.force_login(world["lead"])

    response = request(client, method, url)

    if method == "post":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        text = body(response)
        if name in {"dashboard", "learner", "learner_result"}:
            assert SECRET_NAME in text
        if name in {"export_csv", "attempts_csv"}:
            assert "zelda" in text


@pytest.mark.parametrize("name", URL_NAMES)
def test_another_lead_gets_a_404_and_no_data(client, world, name):
    method, url = lead_urls(world)[name]
    client.force_login(world["other_lead"])

    response = request(client, method, url)

    assert response.status_code == 404
    assert SECRET_NAME not in body(response)
    assert world["cohort"].join_code not in body(response)


@pytest.mark.parametrize("user_key", ["candidate", "other_member", "learner"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_candidates_get_a_403_and_no_data(client, world, name, user_key):
    method, url = lead_urls(world)[name]
    client.force_login(world[user_key])

    response = request(client, method, url)

    assert response.status_code == 403
    assert "Quillfeather" not in body(response)


@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_users_are_sent_to_log_in(client, world, name):
    method, url = lead_urls(world)[name]

    response = request(client, method, url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert SECRET_NAME not in body(response)


@pytest.mark.parametrize("name", URL_NAMES)
def test_staff_who_lead_nothing_get_a_403_and_no_data(client, world, name):
    method, url = lead_urls(world)[name]
    old_code = world["cohort"].join_code
    client.force_login(make_user("staff-member", is_staff=True))

    response = request(client, method, url)

    assert response.status_code == 403
    assert SECRET_NAME not in body(response)
    assert Cohort.objects.get(pk=world["cohort"].pk).join_code == old_code


@pytest.mark.parametrize("name", ["learner", "learner_result", "extra_time"])
def test_a_learner_outside_the_cohort_is_a_404_even_for_its_lead(client, world, name):
    cohort, outsider = world["cohort"], world["other_member"]
    outsider_attempt = outsider.attempts.get()
    url = {
        "learner": reverse("cohorts:learner", args=[cohort.pk, outsider.pk]),
        "learner_result": reverse(
            "cohorts:learner_result", args=[cohort.pk, outsider.pk, outsider_attempt.pk]
        ),
        "extra_time": reverse("cohorts:extra_time", args=[cohort.pk, outsider.pk]),
    }[name]
    client.force_login(world["lead"])

    response = (
        client.post(url, {"extra_time_percent": "50"})
        if name == "extra_time"
        else (client.get(url))
    )

    assert response.status_code == 404
    assert "other-member" not in body(response)


def test_an_attempt_of_someone_else_under_a_members_url_is_a_404(client, world):
    cohort, learner = world["cohort"], world["learner"]
    foreign = world["other_member"].attempts.get()
    client.force_login(world["lead"])

    response = client.get(
        reverse("cohorts:learner_result", args=[cohort.pk, learner.pk, foreign.pk])
    )

    assert response.status_code == 404


def test_an_attempt_in_progress_is_not_shown_to_the_lead(client, world):
    from quizzes import services

    exam = make_exam(items=3)
    running = services.start_attempt(user=world["learner"], exam=exam)
    client.force_login(world["lead"])

    response = client.get(
        reverse(
            "cohorts:learner_result", args=[world["cohort"].pk, world["learner"].pk, running.pk]
        )
    )

    assert response.status_code == 404


def test_the_cohort_list_shows_only_the_leads_own_cohorts(client, world):
    client.force_login(world["lead"])

    response = client.get(reverse("cohorts:list"))

    assert response.status_code == 200
    assert "Evening group" in response.text
    assert "Morning group" not in response.text
    assert world["other"].join_code not in response.text


def test_the_cohort_list_refuses_candidates_and_asks_anonymous_users_to_log_in(client, world):
    anonymous = client.get(reverse("cohorts:list"))
    client.force_login(world["candidate"])
    candidate = client.get(reverse("cohorts:list"))

    assert anonymous.status_code == 302
    assert candidate.status_code == 403
    assert "Evening group" not in candidate.text


def test_a_cohort_that_does_not_exist_is_a_404(client, world):
    client.force_login(world["lead"])

    response = client.get(reverse("cohorts:dashboard", args=[Cohort.objects.count() + 100]))

    assert response.status_code == 404


def test_removing_a_lead_from_a_cohort_closes_it_to_them(client, world):
    cohort = world["cohort"]
    cohort.leads.remove(world["lead"])
    client.force_login(world["lead"])

    response = client.get(reverse("cohorts:dashboard", args=[cohort.pk]))

    assert response.status_code == 404


def test_deleting_a_learner_removes_them_and_their_attempts_from_the_cohort(client, world):
    world["learner"].delete()
    client.force_login(world["lead"])

    response = client.get(reverse("cohorts:dashboard", args=[world["cohort"].pk]))

    assert SECRET_NAME not in response.text
    assert "No learners have joined this cohort yet" in response.text


def test_the_navigation_offers_cohorts_to_leads_and_joining_to_candidates(client, world):
    client.force_login(world["lead"])
    as_lead = client.get("/")
    client.force_login(world["candidate"])
    as_candidate = client.get("/")

    assert 'href="/cohorts/">Cohorts</a>' in as_lead.text
    assert "Join a cohort" not in as_lead.text
    assert 'href="/cohorts/join/">Join a cohort</a>' in as_candidate.text
