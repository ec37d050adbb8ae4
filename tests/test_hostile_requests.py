"""Hostile input on every form and JSON endpoint: wrong types, lists, empty and missing
fields, very long strings, huge and negative numbers, NUL characters, foreign and unknown ids.

Each request answers a clean 4xx, or the form again with its error (200 for HTML forms, a
redirect with a message for the no-JavaScript exam forms); never a 500, and it writes
nothing: every test compares a snapshot of the database before and after. Control tests
show that the good request behind each table does work, so that a case fails for its
hostile part alone. The last section plays a hostile user's session: replays, doctored
forms, two tabs.
"""

import csv
import io
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import CandidateProfile
from accounts.roles import Role, assign_role
from cohorts.forms import PERIOD_OUT_OF_RANGE
from cohorts.models import Cohort, Membership
from quizzes import admin_views, services
from quizzes.models import (
    Attempt,
    AttemptItem,
    AttemptTopicResult,
    Choice,
    Exam,
    ExamTopic,
    Question,
    QuestionReport,
    Status,
    Topic,
)
from quizzes.views.attempts import INVALID_ANSWER, INVALID_REPORT
from tests.banks import GOOD_TOPIC
from tests.factories import make_exam, make_question, make_topic, make_user
from tests.test_admin_questions import change_data, form_data
from tests.test_cohort_factories import make_cohort, make_lead

pytestmark = pytest.mark.django_db

HUGE = 10**30
LONG = "x" * 100_000
JSON = {"Accept": "application/json"}
PASSWORD = "pw-for-tests"
NEW_PASSWORD = "a-long-Passphrase-42"


# --- what "writes nothing" means ------------------------------------------------------------


def database_snapshot() -> dict[str, list]:
    """Every row a request could write, as plain values; sessions and the login-failure log
    (django-axes records failed logins on purpose) left aside."""
    user_model = get_user_model()
    tables = {
        "users": user_model.objects.values_list(
            "pk", "username", "email", "password", "first_name", "last_name", "last_login"
        ),
        "groups": user_model.groups.through.objects.values_list("user_id", "group_id"),
        "profiles": CandidateProfile.objects.values_list("user_id", "extra_time_percent"),
        "attempts": Attempt.objects.values_list(
            "pk", "status", "submitted_at", "score", "deadline"
        ),
        "items": AttemptItem.objects.values_list(
            "pk", "chosen_key", "version", "answered_at", "marked", "is_correct"
        ),
        "topic_results": AttemptTopicResult.objects.values_list("pk", "correct", "total"),
        "reports": QuestionReport.objects.values_list("pk", "reason", "comment", "status"),
        "cohorts": Cohort.objects.values_list("pk", "name", "join_code", "code_expires_at"),
        "leads": Cohort.leads.through.objects.values_list("cohort_id", "user_id"),
        "memberships": Membership.objects.values_list("cohort_id", "user_id"),
        "topics": Topic.objects.values_list("pk", "slug", "title", "source", "notes"),
        "questions": Question.objects.values_list(
            "pk", "external_id", "status", "stem", "explanation", "updated_at"
        ),
        "choices": Choice.objects.values_list("pk", "question_id", "key", "text", "is_correct"),
        "exams": Exam.objects.values_list("pk", "slug", "title", "status", "item_count"),
        "exam_topics": ExamTopic.objects.values_list("pk", "exam_id", "topic_id", "weight"),
        "admin_log": LogEntry.objects.values_list("pk", "change_message"),
    }
    return {name: list(rows.order_by("pk")) for name, rows in tables.items()}


@contextmanager
def writes_nothing():
    """The block leaves the database as it found it."""
    before = database_snapshot()
    yield
    after = database_snapshot()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"written: {changed}"


# --- the world every table uses -------------------------------------------------------------


@pytest.fixture(autouse=True)
def staging(tmp_path, monkeypatch):
    root = tmp_path / "staging"
    monkeypatch.setattr(admin_views, "STAGING_ROOT", root)
    return root


@pytest.fixture
def world():
    """A candidate with an attempt in progress and a submitted one, an intruder with their
    own attempt, two leads with a cohort each, a cohort whose code expired, a trainer.

    Items come from two topics: two questions with choices a-b, two with a-f, so that a key
    valid on one item (``f``) is foreign to another."""
    two, six = make_topic("two-choices"), make_topic("six-choices")
    for _ in range(2):
        make_question(two, keys="ab", correct="a")
        make_question(six, keys="abcdef", correct="f")
    exam = make_exam(items=4, minutes=30, pass_mark=50, title="Mini mock")
    candidate = make_user("candidate", email="candidate@example.org")
    intruder = make_user("intruder", email="intruder@example.org")
    done = services.submit_attempt(attempt=services.start_attempt(user=candidate, exam=exam))
    lead, other_lead = make_lead("lead"), make_lead("other-lead")
    trainer = make_user("trainer")
    assign_role(trainer, Role.TRAINER)
    return SimpleNamespace(
        exam=exam,
        draft_exam=make_exam(items=1, status=Status.DRAFT),
        candidate=candidate,
        intruder=intruder,
        done=done,
        attempt=services.start_attempt(user=candidate, exam=exam),
        foreign=services.start_attempt(user=intruder, exam=exam),
        lead=lead,
        other_lead=other_lead,
        cohort=make_cohort(lead, name="Evening group", members=[candidate]),
        other_cohort=make_cohort(other_lead, name="Morning group", members=[intruder]),
        expired=make_cohort(
            other_lead, name="Last year", code_expires_at=timezone.now() - timedelta(days=1)
        ),
        trainer=trainer,
    )


@pytest.fixture
def hostile():
    """A client that turns a server error into a 500 response instead of raising it."""
    return Client(raise_request_exception=False)


def logged_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def body(response) -> bytes:
    """The whole body, streamed or not: a stream that fails fails here."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def param(case_id: str, *values):
    return pytest.param(*values, id=case_id)


# --- the exam loop: answer, mark, submit, state, pages --------------------------------------

ATTEMPT_VIEWS = {
    "answer": "quizzes:answer_item",
    "mark": "quizzes:mark_item",
    "report": "quizzes:report_item",
    "take": "quizzes:take_item",
    "submit": "quizzes:submit",
    "state": "quizzes:attempt_state",
    "review": "quizzes:attempt_review",
    "result": "quizzes:attempt_result",
    "detail": "quizzes:attempt_detail",
}
WITH_POSITION = {"answer", "mark", "report", "take"}


def attempt_id(world, target: str) -> int:
    ids = {"own": world.attempt.pk, "done": world.done.pk, "foreign": world.foreign.pk}
    ids |= {"missing": Attempt.objects.order_by("-pk").first().pk + 1000, "huge": HUGE}
    return ids[target]


def position_of(world, target: str, position) -> int:
    """``"two"``: the position of an item with choices a-b in that attempt."""
    if position != "two":
        return position
    if target not in {"own", "done", "foreign"}:
        return 1
    items = AttemptItem.objects.filter(attempt_id=attempt_id(world, target))
    return next(item.position for item in items if sorted(item.choice_keys) == ["a", "b"])


def attempt_url(world, view: str, target: str, position=1) -> str:
    args = [attempt_id(world, target)]
    if view in WITH_POSITION:
        args.append(position_of(world, target, position))
    return reverse(ATTEMPT_VIEWS[view], args=args)


VALID_SAVE = {"choice": "a", "sequence": "1"}


def test_control_a_json_save_and_mark_are_written(hostile, world):
    logged_in(hostile, world.candidate)

    saved = hostile.post(attempt_url(world, "answer", "own", "two"), VALID_SAVE, headers=JSON)
    marked = hostile.post(attempt_url(world, "mark", "own", "two"), {"marked": "on"})

    assert saved.status_code == 200
    assert marked.status_code == 302
    item = world.attempt.items.get(position=position_of(world, "own", "two"))
    assert (item.chosen_key, item.marked) == ("a", True)


@pytest.mark.parametrize(
    ("view", "target", "position", "data", "status"),
    [
        param("choice-list", "answer", "own", "two", {"choice": ["a", "zz"], "sequence": 1}, 400),
        param("choice-empty", "answer", "own", "two", {"choice": "", "sequence": "1"}, 400),
        param("choice-nul", "answer", "own", "two", {"choice": "\x00", "sequence": "1"}, 400),
        param("choice-long", "answer", "own", "two", {"choice": LONG, "sequence": "1"}, 400),
        param("choice-capital", "answer", "own", "two", {"choice": "A", "sequence": "1"}, 400),
        param("choice-of-other-item", "answer", "own", "two", {"choice": "f", "sequence": 1}, 400),
        param("sequence-10e30", "answer", "own", "two", {"choice": "a", "sequence": HUGE}, 400),
        param("sequence-2e53", "answer", "own", "two", {"choice": "a", "sequence": 2**53}, 400),
        param("sequence-zero", "answer", "own", "two", {"choice": "a", "sequence": "0"}, 400),
        param("sequence-decimal", "answer", "own", "two", {"choice": "a", "sequence": "1.5"}, 400),
        param("sequence-exponent", "answer", "own", "two", {"choice": "a", "sequence": "1e3"}, 400),
        param("sequence-nan", "answer", "own", "two", {"choice": "a", "sequence": "NaN"}, 400),
        param("sequence-empty", "answer", "own", "two", {"choice": "a", "sequence": ""}, 400),
        param("sequence-list", "answer", "own", "two", {"choice": "a", "sequence": [1, "x"]}, 400),
        param("position-zero", "answer", "own", 0, VALID_SAVE, 400),
        param("position-past-end", "answer", "own", 99, VALID_SAVE, 400),
        param("position-huge", "answer", "own", HUGE, VALID_SAVE, 400),
        param("after-submit", "answer", "done", "two", VALID_SAVE, 409),
        param("others-attempt", "answer", "foreign", "two", VALID_SAVE, 404),
        param("unknown-attempt", "answer", "missing", 1, VALID_SAVE, 404),
        param("huge-attempt-id", "answer", "huge", 1, VALID_SAVE, 404),
        param("mark-position-zero", "mark", "own", 0, {"marked": "on"}, 400),
        param("mark-position-huge", "mark", "own", HUGE, {"marked": "on"}, 400),
        param("mark-after-submit", "mark", "done", 1, {"marked": "on"}, 409),
        param("mark-others-attempt", "mark", "foreign", 1, {"marked": "on"}, 404),
        param("mark-huge-attempt-id", "mark", "huge", 1, {"marked": "on"}, 404),
        param("submit-unknown-attempt", "submit", "missing", None, {}, 404),
        param("submit-huge-attempt-id", "submit", "huge", None, {}, 404),
    ],
)
def test_json_saves_refuse_hostile_input(hostile, world, view, target, position, data, status):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post(attempt_url(world, view, target, position), data, headers=JSON)

    assert response.status_code == status
    if status != 404:
        assert response.json()["saved"] is False
        assert response.json()["error"]


def test_a_json_body_instead_of_a_form_is_refused(hostile, world):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post(
            attempt_url(world, "answer", "own", "two"),
            VALID_SAVE,
            content_type="application/json",
            headers=JSON,
        )

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("view", "target", "position", "data", "message"),
    [
        param("bad-choice", "answer", "own", "two", {"choice": "zz", "sequence": 1}, "Choose one"),
        param("other-items-key", "answer", "own", "two", {"choice": "f", "sequence": 1}, "belong"),
        param("no-sequence", "answer", "own", "two", {"choice": "a"}, "Choose one"),
        param("after-submit", "answer", "done", "two", VALID_SAVE, "has been submitted"),
        param("mark-unknown-item", "mark", "own", 99, {"marked": "on"}, "no item 99"),
        param("mark-after-submit", "mark", "done", 1, {"marked": "on"}, "has been submitted"),
        param("report-nothing", "report", "done", "two", {}, INVALID_REPORT),
        param("report-reason-unknown", "report", "done", "two", {"reason": "spam"}, "Choose what"),
        param("report-reason-list", "report", "done", 1, {"reason": ["wrong", "x"]}, "Choose what"),
        param("report-reason-long", "report", "done", 1, {"reason": LONG}, "Choose what"),
        param(
            "report-comment-long",
            "report",
            "done",
            1,
            {"reason": "wrong", "comment": "c" * 1001},
            "keep the comment short",
        ),
        param(
            "report-comment-nul",
            "report",
            "done",
            1,
            {"reason": "wrong", "comment": "bad\x00"},
            "Choose what",
        ),
        param("report-position-zero", "report", "done", 0, {"reason": "wrong"}, "no item 0"),
        param("report-position-huge", "report", "done", HUGE, {"reason": "wrong"}, "no item"),
        param("report-before-submit", "report", "own", 1, {"reason": "wrong"}, "after submitting"),
    ],
)
def test_plain_forms_refuse_hostile_input_with_a_message(
    hostile, world, view, target, position, data, message
):
    """Without JavaScript the exam forms answer a redirect that carries the error."""
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post(attempt_url(world, view, target, position), data)

    assert response.status_code == 302
    assert any(message in shown for shown in messages_of(response)), messages_of(response)


def test_plain_form_save_that_fails_validation_says_so(hostile, world):
    logged_in(hostile, world.candidate)

    response = hostile.post(attempt_url(world, "answer", "own", "two"), {"choice": ""})

    assert messages_of(response) == [INVALID_ANSWER]


@pytest.mark.parametrize(
    ("view", "target", "position", "query", "status"),
    [
        param("take-position-zero", "take", "own", 0, "", 404),
        param("take-position-past-end", "take", "own", 99, "", 404),
        param("take-position-huge", "take", "own", HUGE, "", 404),
        param("take-unknown-attempt", "take", "missing", 1, "", 404),
        param("state-unknown-attempt", "state", "missing", None, "", 404),
        param("state-huge-attempt-id", "state", "huge", None, "", 404),
        param("review-huge-attempt-id", "review", "huge", None, "", 404),
        param("result-huge-attempt-id", "result", "huge", None, "", 404),
        param("detail-unknown-attempt", "detail", "missing", None, "", 404),
        param("result-long-filter", "result", "done", None, f"?show={LONG}", 200),
        param("result-listed-filter", "result", "done", None, "?show=incorrect&show=x", 200),
        param("take-with-junk-query", "take", "own", 1, "?position=99&choice=f", 200),
    ],
)
def test_exam_pages_answer_unknown_ids_with_404(
    hostile, world, view, target, position, query, status
):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.get(attempt_url(world, view, target, position) + query)

    assert response.status_code == status


@pytest.mark.parametrize(
    ("method", "view", "position"),
    [
        param("get-answer", "get", "answer", 1),
        param("put-answer", "put", "answer", 1),
        param("get-mark", "get", "mark", 1),
        param("get-report", "get", "report", 1),
        param("get-submit", "get", "submit", None),
        param("delete-submit", "delete", "submit", None),
        param("post-state", "post", "state", None),
        param("post-take", "post", "take", 1),
        param("post-result", "post", "result", None),
    ],
)
def test_exam_endpoints_refuse_the_wrong_method(hostile, world, method, view, position):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = getattr(hostile, method)(attempt_url(world, view, "own", position))

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("slug", "method", "status"),
    [
        param("draft-exam", "draft", "post", 404),
        param("unknown-exam", "no-such-exam", "post", 404),
        param("long-slug", "a" * 5000, "post", 404),
        param("get-instead-of-post", "exam", "get", 405),
    ],
)
def test_starting_an_exam_refuses_unknown_slugs(hostile, world, slug, method, status):
    logged_in(hostile, world.candidate)
    slug = {"draft": world.draft_exam.slug, "exam": world.exam.slug}.get(slug, slug)

    with writes_nothing():
        response = getattr(hostile, method)(f"/exams/{slug}/start/", {"extra": LONG})

    assert response.status_code == status


# --- accounts: sign-up, login, password change and reset, deleting one's account ------------

GOOD_SIGNUP = {
    "username": "newcomer",
    "email": "newcomer@example.org",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}


def test_control_the_good_sign_up_creates_an_account(hostile, world):
    response = hostile.post("/accounts/signup/", GOOD_SIGNUP)

    assert response.status_code == 302
    assert get_user_model().objects.filter(username="newcomer").exists()


@pytest.mark.parametrize(
    "changes",
    [
        param("nothing", dict.fromkeys(GOOD_SIGNUP, "")),
        param("username-list", {"username": ["newcomer", "<script>"]}),
        param("username-markup", {"username": "<b>me</b>"}),
        param("username-151-chars", {"username": "u" * 151}),
        param("username-very-long", {"username": LONG}),
        param("username-nul", {"username": "new\x00comer"}),
        param("username-taken-other-case", {"username": "CANDIDATE"}),
        param("email-invalid", {"email": "not-an-email"}),
        param("email-very-long", {"email": LONG + "@example.org"}),
        param("email-list", {"email": ["newcomer@example.org", "nope"]}),
        param("passwords-differ", {"password2": NEW_PASSWORD + "!"}),
        param("password-very-long-differ", {"password1": LONG, "password2": LONG + "y"}),
        param("password-nul", {"password1": "a-long\x00Pass-42", "password2": "a-long\x00Pass-42"}),
        param("password-too-common", {"password1": "password", "password2": "password"}),
    ],
)
def test_sign_up_refuses_hostile_input(hostile, world, changes):
    data = {**GOOD_SIGNUP, **changes}

    with writes_nothing():
        response = hostile.post("/accounts/signup/", data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert SESSION_KEY not in hostile.session


GOOD_LOGIN = {"username": "candidate", "password": PASSWORD}


def test_control_the_good_login_signs_in(hostile, world):
    response = hostile.post("/accounts/login/", GOOD_LOGIN)

    assert response.status_code == 302
    assert hostile.session[SESSION_KEY] == str(world.candidate.pk)


@pytest.mark.parametrize(
    "changes",
    [
        param("nothing", {"username": "", "password": ""}),
        param("username-list", {"username": ["candidate", "nobody"]}),
        param("password-list", {"password": [PASSWORD, "wrong"]}),
        param("username-nul", {"username": "candi\x00date"}),
        param("password-nul", {"password": PASSWORD + "\x00"}),
        param("password-very-long", {"password": LONG}),
        param("username-markup", {"username": "<script>alert(1)</script>"}),
        param("username-300-chars", {"username": "u" * 300}),
        param("username-very-long", {"username": LONG}),
    ],
)
def test_login_refuses_hostile_input(hostile, world, changes):
    with writes_nothing():
        response = hostile.post("/accounts/login/", {**GOOD_LOGIN, **changes})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert SESSION_KEY not in hostile.session


GOOD_PASSWORD_CHANGE = {
    "old_password": PASSWORD,
    "new_password1": NEW_PASSWORD,
    "new_password2": NEW_PASSWORD,
}


def test_control_the_good_password_change_changes_it(hostile, world):
    logged_in(hostile, world.candidate)

    response = hostile.post("/accounts/password_change/", GOOD_PASSWORD_CHANGE)

    assert response.status_code == 302
    world.candidate.refresh_from_db()
    assert world.candidate.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "changes",
    [
        param("nothing", dict.fromkeys(GOOD_PASSWORD_CHANGE, "")),
        param("old-wrong", {"old_password": "wrong"}),
        param("old-list", {"old_password": [PASSWORD, "wrong"]}),
        param("old-very-long", {"old_password": LONG}),
        param("new-differ", {"new_password2": NEW_PASSWORD + "!"}),
        param("new-very-long-differ", {"new_password1": LONG, "new_password2": LONG + "y"}),
        param("new-nul", {"new_password1": "a-long\x00Pass", "new_password2": "a-long\x00Pass"}),
        param("new-too-short", {"new_password1": "abc", "new_password2": "abc"}),
    ],
)
def test_password_change_refuses_hostile_input(hostile, world, changes):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post("/accounts/password_change/", {**GOOD_PASSWORD_CHANGE, **changes})

    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize(
    "email",
    [
        param("empty", ""),
        param("invalid", "not-an-email"),
        param("very-long", LONG + "@example.org"),
        param("nul", "candidate\x00@example.org"),
        param("list", ["candidate@example.org", "nope"]),
    ],
)
def test_password_reset_refuses_hostile_input_and_sends_nothing(hostile, world, email):
    with writes_nothing():
        response = hostile.post("/accounts/password_reset/", {"email": email})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        param("nothing", {}, None),
        param("password-list", {"password": [PASSWORD, "wrong"]}, None),
        param("password-very-long", {"password": LONG}, None),
        param("password-nul", {"password": PASSWORD + "\x00"}, None),
        param("json-body", {"password": PASSWORD}, "application/json"),
    ],
)
def test_account_deletion_refuses_hostile_input(hostile, world, data, content_type):
    logged_in(hostile, world.candidate)
    kwargs = {"content_type": content_type} if content_type else {}

    with writes_nothing():
        response = hostile.post("/accounts/delete/", data, **kwargs)

    assert response.status_code == 400


def test_account_deletion_with_a_doctored_user_deletes_only_the_signed_in_user(hostile, world):
    logged_in(hostile, world.intruder)
    doctored = {"password": PASSWORD, "user": world.candidate.username, "id": world.candidate.pk}

    response = hostile.post("/accounts/delete/", doctored)

    assert response.status_code == 302
    users = get_user_model().objects
    assert not users.filter(pk=world.intruder.pk).exists()
    assert users.filter(pk=world.candidate.pk).exists()
    assert Attempt.objects.filter(user=world.candidate).count() == 2


def test_account_deletion_refuses_get(hostile, world):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        assert hostile.get("/accounts/delete/").status_code == 405


def downloaded_attempt_ids(response) -> set[int]:
    if response["Content-Type"].startswith("application/json"):
        return {attempt["id"] for attempt in response.json()["attempts"]}
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return {int(row["attempt_id"]) for row in rows}


@pytest.mark.parametrize(
    "path", ["/accounts/my-data/attempts.json", "/accounts/my-data/attempts.csv"]
)
def test_data_download_ignores_a_doctored_user_and_refuses_post(hostile, world, path):
    logged_in(hostile, world.candidate)
    query = f"?user={world.intruder.pk}&username=intruder&attempt={world.foreign.pk}"

    with writes_nothing():
        response = hostile.get(path + query)
        posted = hostile.post(path, {"user": world.intruder.pk})

    assert response.status_code == 200
    assert downloaded_attempt_ids(response) == {world.done.pk, world.attempt.pk}
    assert posted.status_code == 405


# --- cohorts: create, join, confirm, leave, extra time, the code, lead pages and exports -----


def test_control_a_lead_creates_and_a_candidate_joins(hostile, world):
    logged_in(hostile, world.lead)
    created = hostile.post("/cohorts/new/", {"name": "Spring group"})
    logged_in(hostile, world.candidate)
    joined = hostile.post(
        "/cohorts/join/confirm/", {"code": world.other_cohort.join_code, "confirm": "on"}
    )

    assert (created.status_code, joined.status_code) == (302, 302)
    assert Cohort.objects.filter(name="Spring group").exists()
    assert world.other_cohort.members.filter(pk=world.candidate.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        param("empty", ""),
        param("blank", "   "),
        param("121-chars", "n" * 121),
        param("very-long", LONG),
        param("nul", "Evening\x00group"),
        param("list-ending-empty", ["Spring group", ""]),
    ],
)
def test_creating_a_cohort_refuses_hostile_names(hostile, world, name):
    logged_in(hostile, world.lead)

    with writes_nothing():
        response = hostile.post("/cohorts/new/", {"name": name})

    assert response.status_code == 400
    assert response.context["form"].errors["name"]


def test_a_candidate_cannot_create_a_cohort(hostile, world):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        assert hostile.post("/cohorts/new/", {"name": "Sneaky"}).status_code == 403


def join_data(world, data: dict) -> dict:
    """Placeholders: ``OTHER`` is a code the candidate may use, ``EXPIRED`` an old one."""
    codes = {"OTHER": world.other_cohort.join_code, "EXPIRED": world.expired.join_code}

    def fill(value):
        if isinstance(value, list):
            return [fill(v) for v in value]
        return codes.get(value, value)

    return {key: fill(value) for key, value in data.items()}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        param("nothing", "join", {}),
        param("empty", "join", {"code": ""}),
        param("blank", "join", {"code": "  -  "}),
        param("33-chars", "join", {"code": "K" * 33}),
        param("very-long", "join", {"code": LONG}),
        param("nul", "join", {"code": "K7QX\x002MPR"}),
        param("list", "join", {"code": ["OTHER", "WRONGCODE"]}),
        param("wrong", "join", {"code": "WRONGCODE"}),
        param("expired", "join", {"code": "EXPIRED"}),
        param("confirm-missing", "join/confirm", {"code": "OTHER"}),
        param("confirm-false", "join/confirm", {"code": "OTHER", "confirm": "false"}),
        param("confirm-no-code", "join/confirm", {"confirm": "on"}),
        param("confirm-wrong", "join/confirm", {"code": "WRONGCODE", "confirm": "on"}),
        param("confirm-very-long", "join/confirm", {"code": LONG, "confirm": "on"}),
        param("confirm-nul", "join/confirm", {"code": "K7QX\x002MPR", "confirm": "on"}),
        param("confirm-expired", "join/confirm", {"code": "EXPIRED", "confirm": "on"}),
        param("confirm-list", "join/confirm", {"code": ["OTHER", "WRONGCODE"], "confirm": "on"}),
    ],
)
def test_joining_refuses_hostile_codes(hostile, world, path, data):
    logged_in(hostile, world.candidate)

    with writes_nothing():
        response = hostile.post(f"/cohorts/{path}/", join_data(world, data))

    assert response.status_code == 400
    assert response.context["form"].errors


@pytest.mark.parametrize(
    "cohort",
    [param("not-a-member", "other"), param("unknown", "missing"), param("huge-id", "huge")],
)
def test_leaving_a_cohort_one_is_not_in_is_a_404(hostile, world, cohort):
    logged_in(hostile, world.candidate)
    cohort_id = {"other": world.other_cohort.pk, "missing": world.expired.pk + 100, "huge": HUGE}

    with writes_nothing():
        response = hostile.post(f"/cohorts/{cohort_id[cohort]}/leave/")

    assert response.status_code == 404


def extra_time_url(world, cohort="own", learner="member") -> str:
    cohorts = {"own": world.cohort.pk, "other": world.other_cohort.pk, "huge": HUGE}
    learners = {
        "member": world.candidate.pk,
        "outsider": world.intruder.pk,
        "missing": world.trainer.pk + 100,
        "huge": HUGE,
    }
    return reverse("cohorts:extra_time", args=[cohorts[cohort], learners[learner]])


def test_control_a_lead_sets_extra_time(hostile, world):
    logged_in(hostile, world.lead)

    response = hostile.post(extra_time_url(world), {"extra_time_percent": "25"})

    assert response.status_code == 302
    assert CandidateProfile.objects.get(user=world.candidate).extra_time_percent == 25


@pytest.mark.parametrize(
    "value",
    [
        param("text", "abc"),
        param("empty", ""),
        param("negative", "-1"),
        param("over-200", "201"),
        param("huge", str(HUGE)),
        param("decimal", "1.5"),
        param("list", ["10", "x"]),
        param("nul", "1\x00"),
        param("very-long", "9" * 5000),
    ],
)
def test_extra_time_refuses_hostile_values(hostile, world, value):
    logged_in(hostile, world.lead)

    with writes_nothing():
        response = hostile.post(extra_time_url(world), {"extra_time_percent": value})

    assert response.status_code == 400
    assert response.context["extra_time_form"].errors


@pytest.mark.parametrize(
    ("cohort", "learner"),
    [
        param("outsider-in-own-cohort", "own", "outsider"),
        param("other-leads-cohort", "other", "outsider"),
        param("unknown-learner", "own", "missing"),
        param("huge-ids", "huge", "huge"),
    ],
)
def test_extra_time_for_someone_else_is_a_404(hostile, world, cohort, learner):
    logged_in(hostile, world.lead)

    with writes_nothing():
        response = hostile.post(
            extra_time_url(world, cohort, learner), {"extra_time_percent": "50"}
        )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "cohort", "method", "status"),
    [
        param("other-leads-cohort", "lead", "other", "post", 404),
        param("unknown-cohort", "lead", "missing", "post", 404),
        param("huge-id", "lead", "huge", "post", 404),
        param("candidate", "candidate", "own", "post", 403),
        param("get", "lead", "own", "get", 405),
    ],
)
def test_regenerating_a_code_refuses_others(hostile, world, who, cohort, method, status):
    logged_in(hostile, getattr(world, who))
    ids = {"own": world.cohort.pk, "other": world.other_cohort.pk}
    ids |= {"missing": world.expired.pk + 100, "huge": HUGE}

    with writes_nothing():
        response = getattr(hostile, method)(f"/cohorts/{ids[cohort]}/code/")

    assert response.status_code == status


LEAD_PAGES = ["", "questions/", "export.csv", "attempts.csv"]


@pytest.mark.parametrize("page", LEAD_PAGES)
@pytest.mark.parametrize(
    "query",
    [
        param("end-of-calendar", "from=9999-12-31&to=9999-12-31"),
        param("start-of-calendar", "from=0001-01-01&to=0001-01-02"),
        param("not-dates", "from=abc&to=2026-13-45"),
        param("reversed", "from=2026-03-01&to=2026-02-01"),
        param("huge-number", f"from={HUGE}&to=-{HUGE}"),
        param("lists", "from=2026-01-01&from=x&to=&to=2026-02-01"),
        param("long-sort", f"sort={'-' * 3000}name"),
        param("unknown-sort", "sort=-password&sort=__class__"),
    ],
)
def test_lead_pages_and_exports_survive_hostile_queries(hostile, world, page, query):
    logged_in(hostile, world.lead)

    with writes_nothing():
        response = hostile.get(f"/cohorts/{world.cohort.pk}/{page}?{query}")

    assert response.status_code == 200
    assert body(response)


def test_a_date_at_the_end_of_the_calendar_is_refused_with_a_message(hostile, world):
    logged_in(hostile, world.lead)

    response = hostile.get(f"/cohorts/{world.cohort.pk}/?to=9999-12-31")

    assert PERIOD_OUT_OF_RANGE in response.content.decode()
    assert not response.context["period"].is_bounded


@pytest.mark.parametrize("page", [*LEAD_PAGES, "learners/1/"])
@pytest.mark.parametrize("cohort", ["other", "huge"])
def test_lead_pages_of_other_or_unknown_cohorts_are_404(hostile, world, page, cohort):
    logged_in(hostile, world.lead)
    cohort_id = {"other": world.other_cohort.pk, "huge": HUGE}[cohort]

    with writes_nothing():
        assert hostile.get(f"/cohorts/{cohort_id}/{page}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        param("learner-outsider", "learners/{intruder}/"),
        param("learner-huge", f"learners/{HUGE}/"),
        param("result-of-outsider", "learners/{intruder}/attempts/{foreign}/"),
        param("result-huge-attempt", f"learners/{{candidate}}/attempts/{HUGE}/"),
        param("result-in-progress", "learners/{candidate}/attempts/{attempt}/"),
    ],
)
def test_learner_pages_refuse_foreign_ids(hostile, world, path):
    logged_in(hostile, world.lead)
    ids = {
        "intruder": world.intruder.pk,
        "candidate": world.candidate.pk,
        "foreign": world.foreign.pk,
        "attempt": world.attempt.pk,
    }

    with writes_nothing():
        response = hostile.get(f"/cohorts/{world.cohort.pk}/" + path.format(**ids))

    assert response.status_code == 404


# --- admin: bank import, GIFT import, the question form --------------------------------------

IMPORT_URL = "/admin/quizzes/question/import/"
GIFT_URL = "/admin/quizzes/question/import-gift/"


ANCHORS = "a: &a [1, 2]\nb: [*a, *a]\ntopic:\n  slug: x\n  title: *a\n"


def yaml_upload(content: str | bytes, name: str = "bank.yaml") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/yaml")


def import_problems(response) -> list:
    """What the import page lists as wrong: form errors or bank errors."""
    form_errors = response.context["form"].errors.get("files", [])
    return [*form_errors, *response.context.get("errors", [])]


def test_control_a_good_bank_passes_the_dry_run(hostile, world):
    logged_in(hostile, world.trainer)

    response = hostile.post(IMPORT_URL, {"files": [yaml_upload(GOOD_TOPIC)]})

    assert response.status_code == 200
    assert import_problems(response) == []
    assert response.context["staged"] is not None


@pytest.mark.parametrize(
    "content",
    [
        param("empty", ""),
        param("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"),
        param("not-utf8", "topic:\n  title: Caf\xe9\n".encode("latin-1")),
        param("anchors-and-aliases", ANCHORS),
        param("a-list", "- one\n- two\n"),
        param("deep-nesting", "[" * 5000 + "]" * 5000),
        param("tab-indented", "topic:\n\tslug: x\n"),
        param(
            "nul-in-quoted-text",
            GOOD_TOPIC.replace(
                "stem: Dana needs housing help. What do you do?",
                'stem: "Dana\\0 needs housing help. What do you do?"',
            ),
        ),
        param(
            "slug-over-60",
            GOOD_TOPIC.replace("slug: sample-topic", "slug: " + "s" * 100),
        ),
        param(
            "title-over-200",
            GOOD_TOPIC.replace("title: Sample topic", "title: " + "T" * 300),
        ),
        param(
            "id-over-100",
            GOOD_TOPIC.replace("sample-001", "q" * 150),
        ),
        param(
            "source-over-300",
            GOOD_TOPIC.replace("source: Sample article", "source: " + "S" * 400),
        ),
    ],
)
def test_bank_import_refuses_hostile_files(hostile, world, staging, content):
    logged_in(hostile, world.trainer)

    with writes_nothing():
        response = hostile.post(IMPORT_URL, {"files": [yaml_upload(content)]})

    assert response.status_code == 200
    assert import_problems(response)
    assert response.context["staged"] is None
    assert not any(staging.glob("*/*.yaml")), "nothing stays staged"


@pytest.mark.parametrize(
    "token",
    [
        param("missing", None),
        param("empty", ""),
        param("very-long", LONG),
        param("path-traversal", "../../../../etc/passwd"),
        param("list", ["x" * 32, "y" * 32]),
        param("another-trainers", "FOREIGN"),
    ],
)
def test_applying_an_import_refuses_tokens_not_of_this_session(hostile, world, token):
    other = make_user("other-trainer")
    assign_role(other, Role.TRAINER)
    other_client = logged_in(Client(), other)
    foreign = other_client.post(IMPORT_URL, {"files": [yaml_upload(GOOD_TOPIC)]})
    if token == "FOREIGN":
        token = foreign.context["staged"].token
    logged_in(hostile, world.trainer)
    data = {"apply": "Apply"} | ({} if token is None else {"token": token})

    with writes_nothing():
        response = hostile.post(IMPORT_URL, data)

    assert response.status_code == 302
    assert messages_of(response) == [admin_views.IMPORT_EXPIRED]


GIFT = "::Q1:: Dana needs housing help. What do you do? {=Connect her ~Let her stay}"


def gift_upload(content: str | bytes = GIFT, name: str = "week1.gift") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_control_a_good_gift_file_passes_the_dry_run(hostile, world):
    logged_in(hostile, world.trainer)

    response = hostile.post(GIFT_URL, {"file": gift_upload(), "topic": "two-choices"})

    assert response.status_code == 200
    assert response.context["staged"] is not None


@pytest.mark.parametrize(
    ("file", "topic", "field"),
    [
        param("no-file", None, "two-choices", "file"),
        param("no-topic", GIFT, None, "topic"),
        param("topic-markup", GIFT, "<script>alert(1)</script>", "topic"),
        param("topic-over-60", GIFT, "t" * 61, "topic"),
        param("topic-very-long", GIFT, LONG, "topic"),
        param("topic-list", GIFT, ["two-choices", "Not a slug"], "topic"),
        param("empty-file", "", "two-choices", "file"),
        param("nul-in-file", GIFT.replace("Dana", "Da\x00na"), "two-choices", "file"),
        param("binary-file", b"\xff\xfe\x00\x00garbage", "two-choices", "file"),
    ],
)
def test_gift_import_refuses_hostile_input(hostile, world, staging, file, topic, field):
    logged_in(hostile, world.trainer)
    data = {"file": gift_upload(file)} if file is not None else {}
    if topic is not None:
        data["topic"] = topic

    with writes_nothing():
        response = hostile.post(GIFT_URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not any(staging.glob("*/*.yaml"))


def test_gift_file_of_garbage_stages_nothing(hostile, world, staging):
    logged_in(hostile, world.trainer)

    with writes_nothing():
        response = hostile.post(
            GIFT_URL, {"file": gift_upload("{{{{ ~~~ }}}} ::: ==="), "topic": "x"}
        )

    assert response.status_code == 200
    assert response.context.get("staged") is None
    assert not any(staging.glob("*/*.yaml"))


CHOICES = [("a", "Keep it professional", True), ("b", "Accept the request", False)]


def test_control_the_good_question_form_saves(hostile, world):
    logged_in(hostile, world.trainer)
    topic = Topic.objects.get(slug="two-choices")

    response = hostile.post("/admin/quizzes/question/add/", form_data(topic, CHOICES))

    assert response.status_code == 302
    assert Question.objects.filter(external_id="boundaries-001").exists()


@pytest.mark.parametrize(
    "changes",
    [
        param("total-forms-text", {"choices-TOTAL_FORMS": "abc"}),
        param("total-forms-huge", {"choices-TOTAL_FORMS": str(HUGE)}),
        param("total-forms-negative", {"choices-TOTAL_FORMS": "-1"}),
        param("management-form-missing", {"choices-TOTAL_FORMS": None}),
        param("topic-text", {"topic": "abc"}),
        param("topic-huge", {"topic": str(HUGE)}),
        param("topic-unknown", {"topic": "999999"}),
        param("topic-list", {"topic": ["1", "abc"]}),
        param("stem-very-long", {"stem": LONG}),
        param("stem-nul", {"stem": "Which\x00one?"}),
        param("external-id-markup", {"external_id": "<b>x</b>"}),
        param("status-unknown", {"status": "deleted"}),
        param("tags-markup", {"tags": "<script>, ok"}),
        param("choice-key-unknown", {"choices-0-key": "z"}),
        param("choice-key-list", {"choices-0-key": ["a", "zz"]}),
        param("choice-text-very-long", {"choices-0-text": LONG}),
    ],
)
def test_question_form_refuses_hostile_input(hostile, world, changes):
    logged_in(hostile, world.trainer)
    data = form_data(Topic.objects.get(slug="two-choices"), CHOICES)
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value

    with writes_nothing():
        response = hostile.post("/admin/quizzes/question/add/", data)

    assert response.status_code == 200
    assert response.context["errors"]


def choice_rows(question: Question) -> list[tuple]:
    return list(question.choices.order_by("key").values_list("pk", "key", "text", "is_correct"))


def test_question_form_never_reaches_a_choice_of_another_question(hostile, world):
    """Django's inline formset does not find a foreign choice id among this question's
    choices: the row is dropped, and the other question is untouched."""
    logged_in(hostile, world.trainer)
    question, other = Question.objects.filter(topic__slug="two-choices")[:2]
    before = (choice_rows(question), choice_rows(other))
    data = change_data(question)
    data["choices-0-id"] = other.choices.get(key="a").pk
    data["choices-0-text"] = "Rewritten through another question"

    response = hostile.post(f"/admin/quizzes/question/{question.pk}/change/", data)

    assert response.status_code in {200, 302}
    assert (choice_rows(question), choice_rows(other)) == before


@pytest.mark.parametrize("path", [f"{HUGE}/preview/", "999999/preview/", f"{HUGE}/change/"])
def test_admin_question_pages_of_unknown_ids_are_clean(hostile, world, path):
    logged_in(hostile, world.trainer)

    with writes_nothing():
        response = hostile.get(f"/admin/quizzes/question/{path}")

    assert response.status_code in {302, 404}


# --- a hostile user's session: replays, doctored forms, two tabs -----------------------------


def save(client: Client, world, choice: str, sequence: int, extra: dict | None = None):
    """A JSON save on the candidate's first item with choices a-b."""
    url = attempt_url(world, "answer", "own", "two")
    data = {"choice": choice, "sequence": sequence, **(extra or {})}
    return client.post(url, data, headers=JSON)


def own_item(world) -> AttemptItem:
    return world.attempt.items.get(position=position_of(world, "own", "two"))


def test_a_replayed_save_is_idempotent(hostile, world):
    logged_in(hostile, world.candidate)
    first = save(hostile, world, "b", 1)
    stored = own_item(world)

    with writes_nothing():
        replay = save(hostile, world, "b", 1)

    expected = {"saved": True, "position": stored.position, "choice": "b", "version": 1}
    assert first.json() == replay.json() == expected
    assert (stored.chosen_key, own_item(world).answered_at) == ("b", stored.answered_at)


def test_a_replayed_older_save_never_undoes_a_newer_one(hostile, world):
    logged_in(hostile, world.candidate)
    save(hostile, world, "a", 1)
    save(hostile, world, "b", 2)

    with writes_nothing():
        replay = save(hostile, world, "a", 1)

    assert replay.status_code == 409
    assert "another tab" in replay.json()["error"]
    assert own_item(world).chosen_key == "b"


def test_requests_replayed_after_submit_change_nothing(hostile, world):
    logged_in(hostile, world.candidate)
    save(hostile, world, "a", 1)
    submitted = hostile.post(attempt_url(world, "submit", "own"))
    assert submitted.status_code == 302

    with writes_nothing():
        answer = save(hostile, world, "b", 2)
        mark = hostile.post(attempt_url(world, "mark", "own", 1), {"marked": "on"}, headers=JSON)
        resubmit = hostile.post(attempt_url(world, "submit", "own"))

    assert (answer.status_code, mark.status_code) == (409, 409)
    assert "has been submitted" in answer.json()["error"]
    assert resubmit.url == submitted.url


def test_a_replayed_report_is_recorded_once(hostile, world):
    logged_in(hostile, world.candidate)
    url = attempt_url(world, "report", "done", 1)
    hostile.post(url, {"reason": "unclear", "comment": "Two answers fit."})

    with writes_nothing():
        replay = hostile.post(url, {"reason": "wrong", "comment": "Again"})

    assert messages_of(replay)[-1] == services.ALREADY_REPORTED
    assert QuestionReport.objects.get().comment == "Two answers fit."


def test_a_replayed_join_makes_one_membership(hostile, world):
    logged_in(hostile, world.candidate)
    data = {"code": world.other_cohort.join_code, "confirm": "on"}
    hostile.post("/cohorts/join/confirm/", data)

    with writes_nothing():
        replay = hostile.post("/cohorts/join/confirm/", data)

    assert replay.status_code == 302
    assert Membership.objects.filter(user=world.candidate).count() == 2


def test_a_replayed_account_deletion_finds_no_session(hostile, world):
    logged_in(hostile, world.intruder)
    cookie = hostile.cookies[settings.SESSION_COOKIE_NAME].value
    hostile.post("/accounts/delete/", {"password": PASSWORD})
    replayed = Client(raise_request_exception=False)
    replayed.cookies[settings.SESSION_COOKIE_NAME] = cookie

    with writes_nothing():
        response = replayed.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_doctored_save_with_extra_fields_writes_only_the_chosen_key(hostile, world):
    """Fields the form does not know (a correct key, another attempt, another position, a
    score) are ignored: only the item in the URL changes, and only its answer."""
    logged_in(hostile, world.candidate)
    others = list(
        AttemptItem.objects.exclude(pk=own_item(world).pk).values_list(
            "pk", "chosen_key", "is_correct", "marked"
        )
    )
    doctored = {
        "correct_key": "a",
        "is_correct": "true",
        "attempt": world.foreign.pk,
        "attempt_id": world.foreign.pk,
        "position": 3,
        "user": world.intruder.pk,
        "version": 999,
        "score": 100,
        "status": "submitted",
    }

    response = save(hostile, world, "b", 1, doctored)

    assert response.json() == {
        "saved": True,
        "position": own_item(world).position,
        "choice": "b",
        "version": 1,
    }
    item = own_item(world)
    assert (item.chosen_key, item.is_correct, item.correct_key) == ("b", None, "a")
    others_after = AttemptItem.objects.exclude(pk=item.pk).values_list(
        "pk", "chosen_key", "is_correct", "marked"
    )
    assert list(others_after) == others
    world.attempt.refresh_from_db()
    assert (world.attempt.status, world.attempt.score) == ("in_progress", None)


def test_two_tabs_the_stale_one_is_refused_then_resyncs(hostile, world):
    """Two tabs share one session: the newer choice wins; the other tab's older save is a
    409 that tells it the stored answer, and its next choice (numbered above) is saved."""
    first_tab = logged_in(hostile, world.candidate)
    second_tab = Client(raise_request_exception=False)
    second_tab.cookies = first_tab.cookies
    assert save(second_tab, world, "b", 2).status_code == 200

    with writes_nothing():
        stale = save(first_tab, world, "a", 1)

    assert stale.status_code == 409
    position = own_item(world).position
    assert stale.json() | {"error": ""} == {
        "saved": False,
        "error": "",
        "reason": "stale",
        "position": position,
        "choice": "b",
        "version": 2,
    }
    state = first_tab.get(attempt_url(world, "state", "own")).json()
    assert state["answers"][str(position)] == {"choice": "b", "version": 2}
    resynced = save(first_tab, world, "a", stale.json()["version"] + 1)
    assert resynced.status_code == 200
    assert own_item(world).chosen_key == "a"


def test_two_tabs_after_one_submits_the_other_is_refused(hostile, world):
    first_tab = logged_in(hostile, world.candidate)
    second_tab = Client(raise_request_exception=False)
    second_tab.cookies = first_tab.cookies
    second_tab.post(attempt_url(world, "submit", "own"))

    with writes_nothing():
        late = save(first_tab, world, "a", 5)
        page = first_tab.get(attempt_url(world, "take", "own", 1))

    assert late.status_code == 409
    assert page.status_code == 302
    assert page.url == reverse("quizzes:attempt_result", args=[world.attempt.pk])
