"""Privacy (own data, account deletion), error pages, the deploy check."""

import csv
import io
import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt, AttemptItem
from tests.conftest import REPO
from tests.factories import answer, make_bank, make_exam, make_user


@pytest.fixture
def candidate_with_attempt(client):
    make_bank(topics=1, per_topic=4)
    user = make_user(email="me@example.org")
    client.force_login(user)
    attempt = services.start_attempt(user=user, exam=make_exam(items=3))
    answer(attempt, 1, "a")
    return user, services.submit_attempt(attempt=attempt)


@pytest.mark.django_db
def test_candidate_downloads_own_attempts_as_json(client, candidate_with_attempt):
    user, attempt = candidate_with_attempt
    make_user("other")

    data = client.get("/accounts/my-data/attempts.json").json()

    assert data["profile"]["username"] == user.username
    assert [a["id"] for a in data["attempts"]] == [attempt.pk]
    assert data["attempts"][0]["items"][0]["chosen_answer"] == "a"
    assert len(data["attempts"][0]["items"]) == 3


@pytest.mark.django_db
def test_candidate_downloads_own_answers_as_csv_with_formulas_escaped(
    client, candidate_with_attempt
):
    _, attempt = candidate_with_attempt
    AttemptItem.objects.filter(attempt=attempt, position=1).update(stem='=HYPERLINK("x")')

    response = client.get("/accounts/my-data/attempts.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "attempt_id"
    assert len(rows) == 4
    assert rows[1][9] == '\'=HYPERLINK("x")'


@pytest.mark.django_db
def test_deleting_needs_the_password_and_removes_attempts(client, candidate_with_attempt):
    user, _ = candidate_with_attempt

    refused = client.post("/accounts/delete/", {"password": "wrong"})
    assert refused.status_code == 400
    assert get_user_model().objects.filter(pk=user.pk).exists()

    response = client.post("/accounts/delete/", {"password": "pw-for-tests"}, follow=True)

    assert "have been deleted" in response.text
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_data_pages_need_login(client):
    assert client.get("/accounts/my-data/attempts.json").status_code == 302
    assert client.post("/accounts/delete/", {"password": "x"}).status_code == 302


@pytest.mark.django_db
def test_unknown_page_is_the_custom_404(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.django_db
def test_expired_form_shows_a_friendly_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "This form has expired" in response.text


@pytest.mark.django_db
def test_too_many_fields_is_a_clean_400(client, candidate_with_attempt):
    _, attempt = candidate_with_attempt
    fields = {f"f{n}": "x" for n in range(1500)}

    response = client.post(f"/attempts/{attempt.pk}/items/1/report/", fields)

    assert response.status_code == 400


def test_deploy_check_passes_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "crss_prep.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "prep.example.org",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_collectstatic_works_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "crss_prep.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "prep.example.org",
    }
    script = (
        "import django; from django.conf import settings; django.setup(); "
        f"settings.STATIC_ROOT = {str(tmp_path)!r}; "
        "from django.core.management import call_command; "
        "call_command('collectstatic', '--noinput', verbosity=0)"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()


OLD_KEY, NEW_KEY = "old-" + "k" * 50, "new-" + "n" * 50


def test_the_secret_key_fallbacks_come_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "crss_prep.settings",
        "DJANGO_SECRET_KEY": NEW_KEY,
        "DJANGO_SECRET_KEY_FALLBACKS": f"{OLD_KEY}, older-key",
    }
    code = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )

    assert result.stdout.strip() == str([OLD_KEY, "older-key"]), result.stderr


@pytest.mark.django_db
def test_sessions_survive_a_key_rotation_only_while_the_old_key_is_a_fallback():
    user = make_user("rotating")
    with_fallback, without = Client(), Client()
    with override_settings(SECRET_KEY=OLD_KEY):
        with_fallback.force_login(user)
        without.force_login(user)
    history = reverse("quizzes:history")

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert with_fallback.get(history).status_code == 200
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        assert without.get(history).status_code == 302
