import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_signup_creates_account_and_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcandidate",
            "email": "n@example.org",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
    )

    assert response.status_code == 302
    assert response.url == "/"
    assert get_user_model().objects.filter(username="newcandidate").exists()
    assert client.get("/").context["user"].is_authenticated


def test_signup_with_mismatched_passwords_shows_error(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "x",
            "email": "x@example.org",
            "password1": "a-long-Passphrase-42",
            "password2": "different-Passphrase-42",
        },
    )

    assert response.status_code == 200
    assert "match" in response.text


def test_login_is_locked_after_five_failures(client):
    make_user("locked-user")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "locked-user", "password": "wrong"})

    response = client.post(
        "/accounts/login/", {"username": "locked-user", "password": "pw-for-tests"}
    )

    assert response.status_code == 429
    assert "locked from your address for 15 minutes" in response.text


def test_login_works_with_the_right_password(client):
    make_user("good-user")

    response = client.post(
        "/accounts/login/", {"username": "good-user", "password": "pw-for-tests"}
    )

    assert response.status_code == 302


def test_password_reset_sends_an_email(client):
    make_user("forgetful", email="f@example.org")

    client.post("/accounts/password_reset/", {"email": "f@example.org"})

    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_logout_is_a_post(client):
    client.force_login(make_user())

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated
