"""A reload writes only what changed, and still finds every change: in the files, and in the
database since the last load (an edit in admin is put back to what the files say)."""

import pytest

from quizzes.authoring.banks import load_bank_paths
from quizzes.models import Choice, Question, Status
from tests.banks import GOOD_TOPIC, topic_bank

pytestmark = pytest.mark.django_db

FIRST_KIND = "    kind: recall\n"  # a line of the first question, sample-001, only
WITHOUT_SECOND = GOOD_TOPIC[: GOOD_TOPIC.index("  - id: sample-002")]

FILE_CHANGES = {
    "stem": ("about a dual relationship?", "about a former partner?"),
    "explanation": ("gives perspective.", "gives another view."),
    "kind": (FIRST_KIND, "    kind: comprehension\n"),
    "domain": ("domain: professional-responsibility", "domain: mentoring"),
    "status": (FIRST_KIND, FIRST_KIND + "    status: draft\n"),
    "source": (FIRST_KIND, FIRST_KIND + "    source: Another article\n"),
    "tags": (FIRST_KIND, FIRST_KIND + "    tags: [boundaries]\n"),
    "answer": ("answer: b", "answer: a"),
    "choice text": ("c: Ignore it", "c: Wait and see"),
    "choice feedback": ("c: Ignore it", "c:\n        text: Ignore it\n        feedback: Never."),
    "choice added": ("d: End all contact at once", "d: End all contact at once\n      e: Wait"),
    "choice removed": ("      d: End all contact at once\n", ""),
}


def question_content(external_id: str) -> tuple:
    question = Question.objects.get(external_id=external_id)
    choices = question.choices.order_by("key").values_list("key", "text", "is_correct", "feedback")
    return (
        question.topic.slug,
        question.kind,
        question.domain,
        question.status,
        question.stem,
        question.explanation,
        question.source,
        question.tags,
        list(choices),
    )


def question_counts(report) -> tuple[int, int, int, int]:
    tally = report.questions
    return tally.created, tally.updated, tally.unchanged, tally.retired


@pytest.mark.parametrize("old, new", FILE_CHANGES.values(), ids=FILE_CHANGES.keys())
def test_every_change_to_a_question_is_written(write_bank, old, new):
    load_bank_paths([write_bank("topic.yaml", GOOD_TOPIC)])
    before = question_content("sample-001")
    assert GOOD_TOPIC.count(old) == 1
    changed = write_bank("topic.yaml", GOOD_TOPIC.replace(old, new))

    report = load_bank_paths([changed])

    assert question_counts(report) == (0, 1, 1, 0)
    reloaded = question_content("sample-001")
    assert reloaded != before
    # Exactly what loading the changed file into an empty bank gives.
    Question.objects.all().delete()
    load_bank_paths([changed])
    assert reloaded == question_content("sample-001")


def test_a_topic_source_change_reaches_the_questions_without_their_own(write_bank):
    load_bank_paths([write_bank("topic.yaml", GOOD_TOPIC)])

    report = load_bank_paths(
        [write_bank("topic.yaml", GOOD_TOPIC.replace("Sample article", "Other article"))]
    )

    assert report.topics.updated == 1
    assert question_counts(report) == (0, 2, 0, 0)
    assert set(Question.objects.values_list("source", flat=True)) == {"Other article"}


DATABASE_EDITS = {
    "stem edited": lambda q: Question.objects.filter(pk=q.pk).update(stem="Edited in admin?"),
    "retired by hand": lambda q: Question.objects.filter(pk=q.pk).update(status=Status.RETIRED),
    "tags edited": lambda q: Question.objects.filter(pk=q.pk).update(tags=["extra"]),
    "choice deleted": lambda q: q.choices.filter(key="d").delete(),
    "choice edited": lambda q: q.choices.filter(key="a").update(text="Edited"),
    "answer moved": lambda q: (
        q.choices.update(is_correct=False),
        q.choices.filter(key="a").update(is_correct=True),
    ),
    "choice added": lambda q: Choice.objects.create(question=q, key="e", text="Added"),
}


@pytest.mark.parametrize("edit", DATABASE_EDITS.values(), ids=DATABASE_EDITS.keys())
def test_a_reload_puts_back_what_was_edited_in_the_database(write_bank, edit):
    path = write_bank("topic.yaml", GOOD_TOPIC)
    load_bank_paths([path])
    loaded = question_content("sample-001")
    edit(Question.objects.get(external_id="sample-001"))
    assert question_content("sample-001") != loaded

    report = load_bank_paths([path])

    assert question_counts(report) == (0, 1, 1, 0)
    assert question_content("sample-001") == loaded


def test_a_question_moved_to_another_file_keeps_its_identity(write_bank):
    other = topic_bank("other-topic", 2)
    load_bank_paths([write_bank("topic.yaml", GOOD_TOPIC), write_bank("other.yaml", other)])
    moved = Question.objects.get(external_id="sample-002")
    second = GOOD_TOPIC.index("  - id: sample-002")
    without_it, its_text = GOOD_TOPIC[:second], GOOD_TOPIC[second:]

    report = load_bank_paths(
        [write_bank("topic.yaml", without_it), write_bank("other.yaml", other + its_text)]
    )

    # Updated (its topic), not created; whether it also counts as retired from its old topic
    # depends on which file is written first.
    assert (report.questions.created, report.questions.updated) == (0, 1)
    moved_now = Question.objects.get(external_id="sample-002")
    assert (moved_now.pk, moved_now.topic.slug, moved_now.status) == (
        moved.pk,
        "other-topic",
        Status.PUBLISHED,
    )
    assert moved_now.choices.count() == 2


def test_a_retired_question_back_in_its_file_is_published_again(write_bank):
    path = write_bank("topic.yaml", GOOD_TOPIC)
    load_bank_paths([path])
    load_bank_paths([write_bank("topic.yaml", WITHOUT_SECOND)])
    assert Question.objects.get(external_id="sample-002").status == Status.RETIRED

    report = load_bank_paths([write_bank("topic.yaml", GOOD_TOPIC)])

    assert question_counts(report) == (0, 1, 1, 0)
    assert Question.objects.get(external_id="sample-002").status == Status.PUBLISHED


def test_retired_questions_are_not_retired_again(write_bank):
    load_bank_paths([write_bank("topic.yaml", GOOD_TOPIC)])
    without_second = write_bank("topic.yaml", WITHOUT_SECOND)
    load_bank_paths([without_second])

    report = load_bank_paths([without_second])

    assert question_counts(report) == (0, 0, 1, 0)
