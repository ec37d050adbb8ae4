"""load_questions on a database that was never migrated says what to do, not a traceback."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from quizzes.management.commands.load_questions import NOT_MIGRATED

pytestmark = pytest.mark.django_db


def test_an_unmigrated_database_gets_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])

    with pytest.raises(CommandError) as refused:
        call_command("load_questions", str(tmp_path), check=True)

    assert str(refused.value) == NOT_MIGRATED
    assert "migrate" in NOT_MIGRATED
