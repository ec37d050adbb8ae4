"""The own-data download holds everything the database holds about the person, and nothing
of anyone else (issue 18, part 2)."""

import csv
import io
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest

from accounts.models import CandidateProfile
from cohorts import services as cohort_services
from cohorts.models import Membership
from quizzes import services
from quizzes.models import Attempt, AttemptItem, QuestionReport, ReportStatus, StarredQuestion
from tests.factories import (
    NOW,
    answer,
    make_bank,
    make_cohort,
    make_exam,
    make_lead,
    make_user,
    take,
)

pytestmark = pytest.mark.django_db

JSON_URL = "/accounts/my-data/attempts.json"
CSV_URL = "/accounts/my-data/attempts.csv"


@pytest.fixture
def world(client):
    """The person (signed in on ``client``) and another candidate, each with a cohort,
    attempts and reports; they share one cohort, and the other is alone in a second."""
    make_bank(topics=2, per_topic=4)
    exam = make_exam(items=4, title="Mini mock")
    person = make_user(
        "pat-downloads", email="pat@example.org", first_name="Pat", last_name="Downloads"
    )
    other = make_user("olive-other", email="olive@other.example", first_name="Olive")
    lead = make_lead("lou-lead", first_name="Lou")
    shared = make_cohort(lead, name="Shared evening group", members=[person, other])
    make_cohort(lead, name="Olive's private group", members=[other])
    Membership.objects.filter(user=person).update(joined_at=NOW - timedelta(days=3))
    cohort_services.set_extra_time(learner=person, percent=50)
    cohort_services.set_extra_time(learner=other, percent=100)
    for user, words in ((person, "Pat says"), (other, "Olive says")):
        finished = take(exam, user, right=3)
        running = services.start_attempt(user=user, exam=make_exam(items=2))
        answer(running, 2, running.items.get(position=2).correct_key)
        for position, reason in ((1, "wrong"), (3, "unclear")):
            services.report_question(
                attempt=finished,
                position=position,
                reason=reason,
                comment=f"{words}: item {position} puzzles me",
            )
    QuestionReport.objects.filter(reporter=person, reason="wrong").update(
        status=ReportStatus.CLOSED, closed_at=NOW
    )
    client.force_login(person)
    return SimpleNamespace(person=person, other=other, shared=shared)


def downloaded(client) -> dict:
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return json.loads(response.content)


# --- the JSON holds what the database holds --------------------------------------------------


def test_the_profile_is_the_account_and_its_extra_time(client, world):
    person = world.person
    person.refresh_from_db()

    profile = downloaded(client)["profile"]

    assert profile == {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "date_joined": person.date_joined.isoformat(),
        "last_login": person.last_login.isoformat(),
        "role": "candidate",
        "extra_time_percent": CandidateProfile.objects.get(user=person).extra_time_percent,
    }
    assert profile["extra_time_percent"] == 50


def test_the_memberships_are_the_persons_cohorts_with_when_they_joined(client, world):
    memberships = downloaded(client)["memberships"]

    expected = [
        {"cohort": membership.cohort.name, "joined_at": membership.joined_at.isoformat()}
        for membership in Membership.objects.filter(user=world.person)
    ]
    assert (
        memberships
        == expected
        == [{"cohort": "Shared evening group", "joined_at": (NOW - timedelta(days=3)).isoformat()}]
    )


def test_every_attempt_with_every_answer_is_there(client, world):
    attempts = downloaded(client)["attempts"]

    in_database = Attempt.objects.filter(user=world.person).order_by("started_at", "pk")
    assert [attempt["id"] for attempt in attempts] == [attempt.pk for attempt in in_database]
    for attempt, stored in zip(attempts, in_database, strict=True):
        assert (attempt["status"], attempt["score"], attempt["passed"]) == (
            stored.status,
            stored.score,
            stored.passed,
        )
        items = AttemptItem.objects.filter(attempt=stored).order_by("position")
        assert [
            (item["position"], item["stem"], item["chosen_answer"], item["is_correct"])
            for item in attempt["items"]
        ] == [
            (item.position, item.stem, item.chosen_key or None, item.is_correct) for item in items
        ]
    assert sum(1 for a in attempts for item in a["items"] if item["chosen_answer"]) == 5


def test_the_key_of_an_attempt_still_running_stays_hidden(client, world):
    attempts = downloaded(client)["attempts"]

    running = [attempt for attempt in attempts if attempt["status"] == "in_progress"]
    finished = [attempt for attempt in attempts if attempt["status"] == "submitted"]
    assert {item["correct_answer"] for item in running[0]["items"]} == {None}
    assert None not in {item["correct_answer"] for item in finished[0]["items"]}


def test_every_question_report_is_there_with_its_comment_and_status(client, world):
    reports = downloaded(client)["question_reports"]

    stored = QuestionReport.objects.filter(reporter=world.person).order_by("created_at", "pk")
    assert [
        (r["question_id"], r["reason"], r["comment"], r["status"], r["created_at"]) for r in reports
    ] == [
        (
            report.question.external_id,
            report.reason,
            report.comment,
            report.status,
            report.created_at.isoformat(),
        )
        for report in stored
    ]
    assert {r["status"] for r in reports} == {"open", "closed"}


def test_a_lead_finds_the_cohorts_they_lead(client, world):
    lead = make_user("second-lead")
    make_cohort(lead, name="Led by me")
    client.force_login(lead)

    assert downloaded(client)["cohorts_led"] == ["Led by me"]


# --- and nothing of anyone else --------------------------------------------------------------


def other_peoples_traces(world) -> list[str]:
    other = world.other
    comments = QuestionReport.objects.filter(reporter=other).values_list("comment", flat=True)
    return [
        other.username,
        other.email,
        other.first_name,
        "Olive's private group",
        "lou-lead",
        "Lou",
        *comments,
    ]


@pytest.mark.parametrize("url", [JSON_URL, CSV_URL])
def test_the_download_holds_nothing_of_anyone_else(client, world, url):
    text = client.get(url).content.decode()

    assert world.person.username in text or url == CSV_URL  # the JSON names its owner
    for trace in other_peoples_traces(world):
        assert trace not in text


def test_the_download_lists_none_of_the_others_attempts_or_reports(client, world):
    data = downloaded(client)

    others = set(Attempt.objects.filter(user=world.other).values_list("pk", flat=True))
    assert others
    assert not others & {attempt["id"] for attempt in data["attempts"]}
    assert len(data["question_reports"]) == 2
    assert len(data["memberships"]) == 1


# --- the CSV keeps attempts and answers ------------------------------------------------------


def test_the_csv_has_one_row_per_item_of_every_attempt_with_its_answer(client, world):
    response = client.get(CSV_URL)

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    items = AttemptItem.objects.filter(attempt__user=world.person).order_by(
        "attempt__started_at", "attempt_id", "position"
    )
    assert [
        (int(row["attempt_id"]), int(row["position"]), row["chosen_answer"]) for row in rows
    ] == [(item.attempt_id, item.position, item.chosen_key) for item in items]


def test_stars_struck_choices_and_the_kind_of_each_session_are_there(client, world):
    from quizzes.practice import PracticeRequest, start_practice
    from quizzes.strike_out import set_struck

    finished = Attempt.objects.filter(user=world.person, status="submitted").get()
    star_item = finished.items.get(position=2)
    StarredQuestion.objects.create(user=world.person, question=star_item.question)
    StarredQuestion.objects.create(user=world.other, question=star_item.question)
    session = start_practice(user=world.person, request=PracticeRequest(count=5, tutor=True))
    struck = session.items.get(position=1)
    set_struck(
        attempt_id=session.pk,
        user=world.person,
        position=1,
        choice_key=struck.choice_keys[0],
        struck=True,
    )

    data = downloaded(client)

    assert data["starred_questions"] == [
        {
            "question_id": star_item.question.external_id,
            "starred_at": StarredQuestion.objects.get(user=world.person).created_at.isoformat(),
        }
    ]
    (tutor,) = [a for a in data["attempts"] if a["id"] == session.pk]
    assert (tutor["kind"], tutor["timed"]) == ("tutor", False)
    assert tutor["items"][0]["struck_out"] == [struck.choice_keys[0]]
    assert {a["kind"] for a in data["attempts"] if a["id"] != session.pk} == {"exam"}
