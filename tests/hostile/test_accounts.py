"""Hostile requests on accounts: sign-up, login, password change and reset, deleting
one's account, the data download."""

import csv
import io

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail

from quizzes.models import Attempt
from tests.factories import PASSWORD
from tests.hostile.helpers import LONG, logged_in, param, writes_nothing

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-Passphrase-42"


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
