"""Backups: a dumpdata of users, content, attempts and cohorts restores into an empty database."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.roles import ensure_roles
from quizzes import services
from quizzes.models import Attempt, AttemptItem, AttemptTopicResult, Question
from tests.factories import answer, make_bank, make_exam, make_user

BACKUP_APPS = ["auth.user", "auth.group", "accounts", "quizzes", "cohorts"]


@pytest.mark.django_db(transaction=True)
def test_dump_restores_into_an_empty_database_with_every_attempt(tmp_path):
    ensure_roles()
    make_bank(topics=2, per_topic=5)
    exam = make_exam(items=4)
    for n in range(3):
        attempt = services.start_attempt(user=make_user(f"learner{n}"), exam=exam)
        answer(attempt, 1, "a")
        if n:
            services.submit_attempt(attempt=attempt)
    before = (
        sorted(Attempt.objects.values_list("user__username", "status", "score")),
        sorted(
            AttemptItem.objects.values_list("attempt__user__username", "position", "chosen_key")
        ),
        AttemptTopicResult.objects.count(),
    )
    backup = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        *BACKUP_APPS,
        "--natural-foreign",
        "--natural-primary",
        "--indent",
        "1",
        output=str(backup),
        stdout=io.StringIO(),
    )

    call_command("flush", "--noinput")
    ensure_roles()
    assert not Attempt.objects.exists()
    call_command("loaddata", str(backup), stdout=io.StringIO())

    after = (
        sorted(Attempt.objects.values_list("user__username", "status", "score")),
        sorted(
            AttemptItem.objects.values_list("attempt__user__username", "position", "chosen_key")
        ),
        AttemptTopicResult.objects.count(),
    )
    assert after == before
    assert get_user_model().objects.filter(username="learner2").exists()
    assert Question.objects.count() == 10
