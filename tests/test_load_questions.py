"""load_questions: every rejection rule with its message and line; atomicity; idempotence."""

import io

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Choice, Exam, Question, Status, Topic
from tests.banks import GOOD_EXAMS, GOOD_TOPIC, topic_bank

pytestmark = pytest.mark.django_db


def load(*paths, check=False):
    """Run the command; return (stdout, stderr, failed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_questions", *map(str, paths), check=check, stdout=out, stderr=err)
    except CommandError:
        return out.getvalue(), err.getvalue(), True
    return out.getvalue(), err.getvalue(), False


def database_snapshot():
    return (
        list(Topic.objects.values_list("slug", "title", "notes")),
        list(Question.objects.values_list("external_id", "status", "stem", "explanation")),
        list(Choice.objects.values_list("question__external_id", "key", "text", "is_correct")),
        list(Exam.objects.values_list("slug", "item_count")),
    )


def broken(old: str, new: str, base: str = GOOD_TOPIC) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


REJECTIONS = [
    # (case, file text, line, message fragment)
    (
        "yaml syntax",
        broken("  title: Sample topic", "  title: [Sample"),
        4,
        "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence "
        "that started on line 3)",
    ),
    (
        "duplicate key",
        broken("    kind: recall", "    kind: recall\n    kind: application"),
        11,
        "duplicate key 'kind' in question 'sample-001': defined at {path}:10 and {path}:11",
    ),
    (
        "anchor",
        broken("      a: Handle it alone", "      a: &first Handle it alone"),
        15,
        "anchors (&first) are not allowed",
    ),
    (
        "alias",
        broken("      c: Ignore it", "      c: *first"),
        17,
        "aliases (*first) are not allowed",
    ),
    (
        "python tag",
        broken("      c: Ignore it", "      c: !!python/object:os.system x"),
        17,
        "explicit tags (!!python/object:os.system) are not allowed",
    ),
    (
        "plain tag",
        broken("  title: Sample topic", "  title: !!str Sample topic"),
        3,
        "explicit tags (!!str) are not allowed",
    ),
    (
        "unknown key",
        broken("    kind: recall", "    kind: recall\n    difficulty: 3"),
        11,
        "unknown key 'difficulty'",
    ),
    (
        "missing key",
        broken("    domain: professional-responsibility\n", ""),
        9,
        "missing required key 'domain' in question 'sample-001'",
    ),
    (
        "wrong type",
        broken(
            "    stem: |\n      What should a CRSS do first about a dual relationship?",
            "    stem:\n      - a list",
        ),
        13,
        "stem of question 'sample-001' must be text, found a list",
    ),
    ("blank text", broken("  title: Sample topic", "  title: ''"), 3, "topic title is blank"),
    (
        "bad slug",
        broken("  slug: sample-topic", "  slug: Sample_Topic"),
        2,
        "topic slug 'Sample_Topic' is not valid",
    ),
    (
        "bad id",
        broken("  - id: sample-001", "  - id: sample 001"),
        9,
        "id of question 1 'sample 001' is not valid",
    ),
    (
        "duplicate id",
        broken("  - id: sample-002", "  - id: sample-001"),
        22,
        "question id 'sample-001' is defined more than once: at {path}:9 and {path}:22",
    ),
    (
        "answer not a key",
        broken("    answer: b", "    answer: e"),
        19,
        "question 'sample-001' has answer 'e', which is not one of its choice keys (a, b, c, d)",
    ),
    (
        "one choice",
        broken("      b: Let her stay at your home\n", ""),
        27,
        "question 'sample-002' has 1 choice; a question needs 2 to 6",
    ),
    (
        "seven choices",
        broken(
            "      d: End all contact at once",
            "      d: End all contact at once\n      e: E\n      f: F\n      g: G",
        ),
        21,
        "question 'sample-001' has a choice keyed 'g'; use the letters a to f",
    ),
    (
        "identical choices",
        broken("      c: Ignore it", "      c: handle it  ALONE"),
        17,
        "question 'sample-001' has choices a and c with the same text; make each choice "
        "different (defined at {path}:15 and {path}:17)",
    ),
    (
        "unknown kind",
        broken("    kind: recall", "    kind: scenario"),
        10,
        "question 'sample-001' has unknown kind 'scenario'; "
        "use one of: recall, comprehension, application",
    ),
    (
        "unknown domain",
        broken("    domain: advocacy", "    domain: ethics"),
        24,
        "question 'sample-002' has unknown domain 'ethics'",
    ),
    (
        "unknown status",
        broken("    domain: advocacy", "    domain: advocacy\n    status: live"),
        25,
        "question 'sample-002' has unknown status 'live'",
    ),
    (
        "missing explanation",
        broken("    explanation: Advocate through proper channels.\n", ""),
        22,
        "question 'sample-002' has no explanation, which a published question needs: write one, "
        "or keep the question as a draft",
    ),
    (
        "blank explanation",
        broken("    explanation: Advocate through proper channels.", "    explanation: ''"),
        30,
        "question 'sample-002' has no explanation",
    ),
    (
        "topic slug longer than its column",
        broken("  slug: sample-topic", "  slug: " + "s" * 61),
        2,
        "topic slug is 61 characters long; the limit is 60",
    ),
    (
        "question id longer than its column",
        broken("  - id: sample-002", "  - id: " + "q" * 101),
        22,
        "id of question 2 is 101 characters long; the limit is 100",
    ),
    (
        "NUL in quoted text",
        broken(
            "    stem: Dana needs housing help. What do you do?",
            '    stem: "Dana needs housing help.\\0 What do you do?"',
        ),
        25,
        "stem of question 'sample-002' contains a NUL character (\\0), which cannot be "
        "stored: remove it",
    ),
    ("not a mapping", "- just\n- a list\n", 1, "the file must be a mapping of keys, found a list"),
    ("empty file", "# nothing here\n", 1, "the file is empty"),
]


@pytest.mark.parametrize(
    ("case", "text", "line", "message"), REJECTIONS, ids=[r[0] for r in REJECTIONS]
)
def test_bank_rule_is_refused_with_line_and_message(write_bank, case, text, line, message):
    path = write_bank("bank.yaml", text)
    before = database_snapshot()

    _, errors, failed = load(path)

    assert failed
    assert f"{path}:{line}: {message.format(path=path)}" in errors, errors
    assert database_snapshot() == before


def test_good_bank_loads(write_bank):
    out, errors, failed = load(write_bank("bank.yaml", GOOD_TOPIC))

    assert not failed, errors
    assert "questions: 2 created, 0 updated, 0 unchanged, 0 retired" in out
    question = Question.objects.get(external_id="sample-001")
    assert question.status == Status.PUBLISHED
    assert question.source == "Sample article"
    assert question.choices.get(is_correct=True).key == "b"
    assert question.stem == "What should a CRSS do first about a dual relationship?"


def test_draft_without_explanation_loads(write_bank):
    text = broken("    explanation: Advocate through proper channels.\n", "    status: draft\n")
    _, errors, failed = load(write_bank("bank.yaml", text))

    assert not failed, errors
    assert Question.objects.get(external_id="sample-002").status == Status.DRAFT


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_TOPIC.lstrip("\n").encode())

    _, errors, failed = load(path)

    assert not failed, errors


def test_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(
        GOOD_TOPIC.lstrip("\n").replace("Handle it alone", "Caf\xe9").encode("latin-1")
    )

    _, errors, failed = load(path)

    assert failed
    assert f"{path}:15: the file is not UTF-8 text (byte 0xe9 cannot be read)" in errors
    assert not Topic.objects.exists()


def test_file_over_two_mebibytes_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(GOOD_TOPIC + "#" * (2 * 1024 * 1024), encoding="utf-8")

    _, errors, failed = load(path)

    assert failed
    assert f"{path}:1: the file is 2.0 MiB; a bank file may be at most 2 MiB" in errors


def test_duplicate_question_id_across_files_names_both_places(write_bank):
    first = write_bank("first.yaml", GOOD_TOPIC)
    second = write_bank("second.yaml", topic_bank("other-topic", 1, prefix="sample"))

    _, errors, failed = load(first, second)

    assert failed
    assert (
        f"{second}:6: question id 'sample-001' is defined more than once: "
        f"at {first}:9 and {second}:6"
    ) in errors


def test_exam_naming_unknown_topic_is_refused(write_bank):
    topic = write_bank("topic.yaml", GOOD_TOPIC)
    exams = write_bank("exams.yaml", GOOD_EXAMS.replace("sample-topic: 1", "nowhere: 1"))

    _, errors, failed = load(topic, exams)

    assert failed
    assert f"{exams}:2: exam 'sample-exam' names unknown topic 'nowhere'" in errors
    assert not Topic.objects.exists()


def test_exam_asking_for_more_items_than_published_is_refused(write_bank):
    topic = write_bank("topic.yaml", GOOD_TOPIC)
    exams = write_bank("exams.yaml", GOOD_EXAMS.replace("items: 2", "items: 3"))

    _, errors, failed = load(topic, exams)

    assert failed
    assert (
        f"{exams}:2: exam 'sample-exam' asks for 3 items but its topics have only 2 published"
        in errors
    )


def test_wrong_type_for_exam_number_is_refused(write_bank):
    topic = write_bank("topic.yaml", GOOD_TOPIC)
    exams = write_bank("exams.yaml", GOOD_EXAMS.replace("minutes: 5", "minutes: five"))

    _, errors, failed = load(topic, exams)

    assert failed
    assert (
        f"{exams}:5: minutes of exam 'sample-exam' must be a whole number, found 'five'" in errors
    )


def test_every_error_is_reported_not_just_the_first(write_bank):
    text = broken("    kind: recall", "    kind: scenario")
    text = broken("    answer: b", "    answer: z", text)
    path = write_bank("bank.yaml", text)

    _, errors, failed = load(path)

    assert failed
    assert f"{path}:10: question 'sample-001' has unknown kind" in errors
    assert f"{path}:19: question 'sample-001' has answer 'z'" in errors


def test_error_in_second_file_leaves_database_untouched(write_bank):
    load(write_bank("first.yaml", GOOD_TOPIC))
    before = database_snapshot()
    changed_first = write_bank("first.yaml", GOOD_TOPIC.replace("Study this.", "Study more."))
    bad_second = write_bank(
        "second.yaml", topic_bank("other-topic", 3).replace("answer: b", "answer: q")
    )

    _, errors, failed = load(changed_first, bad_second)

    assert failed
    assert f"{bad_second}:" in errors
    assert database_snapshot() == before


def test_loading_twice_changes_nothing(write_bank):
    topic = write_bank("topic.yaml", GOOD_TOPIC)
    exams = write_bank("exams.yaml", GOOD_EXAMS)
    load(topic, exams)
    before = database_snapshot()

    out, _, failed = load(topic, exams)

    assert not failed
    assert "topics: 0 created, 0 updated, 1 unchanged" in out
    assert "questions: 0 created, 0 updated, 2 unchanged, 0 retired" in out
    assert "exams: 0 created, 0 updated, 1 unchanged" in out
    assert database_snapshot() == before


def test_changed_question_is_updated(write_bank):
    load(write_bank("topic.yaml", GOOD_TOPIC))

    out, _, _ = load(write_bank("topic.yaml", GOOD_TOPIC.replace("Ignore it", "Wait and see")))

    assert "questions: 0 created, 1 updated, 1 unchanged, 0 retired" in out
    assert Choice.objects.get(question__external_id="sample-001", key="c").text == "Wait and see"


def test_question_missing_from_its_topic_file_is_retired_not_deleted(write_bank):
    load(write_bank("topic.yaml", GOOD_TOPIC))
    without_second = GOOD_TOPIC[: GOOD_TOPIC.index("  - id: sample-002")]

    out, _, _ = load(write_bank("topic.yaml", without_second))

    assert "questions: 0 created, 0 updated, 1 unchanged, 1 retired" in out
    assert Question.objects.get(external_id="sample-002").status == Status.RETIRED


def test_topics_not_being_loaded_are_left_alone(write_bank):
    load(write_bank("topic.yaml", GOOD_TOPIC), write_bank("other.yaml", topic_bank("other", 2)))

    out, _, _ = load(write_bank("other.yaml", topic_bank("other", 1)))

    assert "1 retired" in out
    assert not Question.objects.filter(topic__slug="sample-topic", status=Status.RETIRED).exists()


def test_check_validates_without_writing(write_bank):
    out, _, failed = load(write_bank("topic.yaml", GOOD_TOPIC), check=True)

    assert not failed
    assert "questions: 2 created" in out
    assert not Topic.objects.exists()


def test_real_content_loads_clean(settings):
    _out, errors, failed = load(settings.CRSS_CONTENT_DIR)

    assert not failed, errors
    assert Question.objects.published().count() >= 10
    assert Exam.objects.published().exists()
