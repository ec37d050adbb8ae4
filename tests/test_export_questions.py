import io

import pytest
from django.core.management import call_command

from quizzes.models import Choice, Exam, ExamTopic, Question, Topic
from tests.banks import GOOD_EXAMS, GOOD_TOPIC

pytestmark = pytest.mark.django_db


def content_snapshot():
    return (
        sorted(Topic.objects.values_list("slug", "title", "source", "notes")),
        sorted(
            Question.objects.values_list(
                "external_id",
                "topic__slug",
                "kind",
                "domain",
                "status",
                "stem",
                "explanation",
                "source",
                "tags",
            )
        ),
        sorted(
            Choice.objects.values_list(
                "question__external_id", "key", "text", "is_correct", "feedback"
            )
        ),
        sorted(
            Exam.objects.values_list(
                "slug",
                "title",
                "item_count",
                "minutes",
                "pass_mark",
                "all_topics",
                "selection",
                "status",
                "position",
            )
        ),
        sorted(ExamTopic.objects.values_list("exam__slug", "topic__slug", "weight")),
    )


def flush_content():
    ExamTopic.objects.all().delete()
    Exam.objects.all().delete()
    Choice.objects.all().delete()
    Question.objects.all().delete()
    Topic.objects.all().delete()


def test_export_then_load_into_empty_database_round_trips(settings, tmp_path, write_bank):
    extra = write_bank(
        "extra.yaml",
        GOOD_TOPIC.replace(
            "      c: Ignore it",
            "      c:\n        text: Ignore it\n        feedback: Waiting lets it grow.",
        ).replace(
            "    domain: advocacy",
            "    domain: advocacy\n    status: draft\n    tags: [housing, welfare]",
        ),
    )
    exams = write_bank("exams.yaml", GOOD_EXAMS.replace("items: 2", "items: 1"))
    call_command(
        "load_questions",
        str(settings.CRSS_CONTENT_DIR),
        str(extra),
        str(exams),
        stdout=io.StringIO(),
    )
    before = content_snapshot()

    call_command("export_questions", output=tmp_path / "export", stdout=io.StringIO())
    flush_content()
    out = io.StringIO()
    call_command("load_questions", str(tmp_path / "export"), stdout=out)

    assert content_snapshot() == before
    assert "updated" in out.getvalue()


def test_exported_files_reload_with_no_changes(settings, tmp_path):
    call_command("load_questions", str(settings.CRSS_CONTENT_DIR), stdout=io.StringIO())
    call_command("export_questions", output=tmp_path, stdout=io.StringIO())
    out = io.StringIO()

    call_command("load_questions", str(tmp_path), stdout=out)

    assert "0 created, 0 updated" in out.getvalue()
    assert " 0 retired" in out.getvalue().splitlines()[1]
