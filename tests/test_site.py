import os
import subprocess
import sys

import pytest
from django.db import DatabaseError

from quizzes.models import Question, Status, Topic
from tests.conftest import REPO


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("quizzes.views.pages.connection.cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_home_lists_topics_with_published_counts(client):
    topic = Topic.objects.create(slug="power-dynamics", title="Power dynamics and consent")
    for n, status in enumerate([Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT]):
        Question.objects.create(
            external_id=f"q-{n}", topic=topic, stem="Stem", explanation="Why", status=status
        )

    response = client.get("/")

    assert response.status_code == 200
    assert "Power dynamics and consent" in response.text
    assert "2 questions" in response.text


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def run_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "crss_prep.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = run_settings({"DJANGO_DEBUG": "0"})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_settings_start_with_secret_key_when_debug_is_off():
    result = run_settings({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50})

    assert result.returncode == 0, result.stderr
