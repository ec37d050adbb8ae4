"""GIFT import: which questions become drafts (and how), which are skipped and why, and
loading through the bank loader without ever retiring a topic's existing questions."""

import io
import tempfile
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from quizzes.authoring.banks import BankValidationError
from quizzes.authoring.gift import convert
from quizzes.authoring.gift.convert import (
    DESCRIPTION,
    MARKDOWN_WITH_HTML,
    MISSING_WORD,
    NEW_TOPIC,
    NO_EXPLANATION,
    UNKNOWN_CATEGORY,
    UNKNOWN_CRSS_KEY,
    WEIGHTED,
    WOULD_RETIRE,
    GiftImport,
    Skipped,
    convert_gift,
    gift_to_bank_documents,
    html_to_markdown,
    load_gift,
)
from quizzes.management.commands.import_gift import BAD_TOPIC, NOTHING_IMPORTED, OUTPUT_EXISTS
from quizzes.models import Choice, Question, Status, Topic
from tests.banks import GOOD_TOPIC
from tests.moodle import moodle_fixture

SOURCE_Q = "Imported from questions.gift.txt"
SOURCE_C = "Imported from questions_in_category.gift.txt"


def convert_text(text: str, *, topic: str = "sample", known=(), taken=()) -> GiftImport:
    """Pure conversion, with the database's topics and ids given instead of read."""
    return convert_gift(
        text, filename="t.gift", topic_slug=topic, known_topics=set(known), taken_ids=set(taken)
    )


def convert_fixture(name: str, topic: str = "sample") -> GiftImport:
    path = moodle_fixture(name)
    return convert_gift(
        path.read_text(encoding="utf-8"),
        filename=name,
        topic_slug=topic,
        known_topics={topic},
        taken_ids=set(),
    )


def draft(external_id, stem, choices, answer, source, explanation=None) -> dict:
    document = {
        "id": external_id,
        "kind": "recall",
        "domain": "professional-responsibility",
        "source": source,
        "stem": stem,
        "choices": choices,
        "answer": answer,
    }
    if explanation:
        document["explanation"] = explanation
    document["status"] = "draft"
    return document


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_gift", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def sample_topic(write_bank):
    """The small valid bank (topic sample-topic, two published questions) loaded."""
    call_command("load_questions", str(write_bank("sample.yaml", GOOD_TOPIC)), stdout=io.StringIO())


# --- Moodle's fixture files ---------------------------------------------------------------------


def test_moodle_questions_file_imports_the_four_single_answer_questions():
    result = convert_fixture("questions.gift.txt")

    assert [(q.line, q.title, q.topic_slug) for q in result.imported] == [
        (14, "Q2", "sample"),
        (41, "Q1", "sample"),
        (46, "2-08 TSL", "sample"),
        (49, "2-08 TSL", "sample"),
    ]
    assert [q.document for q in result.imported] == [
        draft(
            "sample-q2",
            "What's between orange and green in the spectrum?",
            {
                "a": {"text": "yellow", "feedback": "right; good!"},
                "b": {"text": "red", "feedback": "wrong, it's yellow"},
                "c": {"text": "blue", "feedback": "wrong, it's yellow"},
            },
            "a",
            SOURCE_Q,
        ),
        draft(
            "sample-q1",
            "42 is the Absolute Answer to everything.",
            {
                "a": {"text": "True", "feedback": "42 is the Ultimate Answer."},
                "b": {"text": "False", "feedback": "You gave the right answer."},
            },
            "b",
            SOURCE_Q,
            explanation="This is, of course, a Hitchiker's Guide to the Galaxy reference.",
        ),
        draft("sample-2-08-tsl", "TSL is blablabla.", {"a": "True", "b": "False"}, "a", SOURCE_Q),
        draft("sample-2-08-tsl-2", "TSL is blablabla.", {"a": "True", "b": "False"}, "a", SOURCE_Q),
    ]


def test_moodle_questions_file_skips_every_other_question_with_its_line_and_reason():
    result = convert_fixture("questions.gift.txt")

    assert [str(skip) for skip in result.skipped] == [
        "questions.gift.txt:2: skipped 'Q8': essay questions are not supported",
        "questions.gift.txt:5: skipped 'Moodle activities': matching questions are not supported",
        f"questions.gift.txt:22: skipped 'colours': {WEIGHTED}",
        "questions.gift.txt:31: skipped 'Q5': numerical questions are not supported",
        "questions.gift.txt:34: skipped 'Shortanswer': short-answer questions are not supported",
    ]
    assert result.summary() == [
        "imported 4 question(s) as drafts: 4 into sample",
        "skipped 5 question(s): 1 essay, 1 matching, 1 multiple answers, 1 numerical, "
        "1 short answer",
    ]


def test_moodle_questions_without_general_feedback_get_a_note():
    result = convert_fixture("questions.gift.txt")

    assert [str(note) for note in result.notes] == [
        "questions.gift.txt:14: " + NO_EXPLANATION.format(name="'Q2'"),
        "questions.gift.txt:46: " + NO_EXPLANATION.format(name="'2-08 TSL'"),
        "questions.gift.txt:49: " + NO_EXPLANATION.format(name="'2-08 TSL'"),
    ]


def test_moodle_category_file_imports_html_as_markdown_and_skips_the_rest():
    result = convert_fixture("questions_in_category.gift.txt")

    assert [q.document for q in result.imported] == [
        draft(
            "sample-greeting",
            "[Listen to this greeting:](http://demo.moodle.net/file.php/5/media/bonjour.mp3)"
            "\n\nWhat language is being spoken?",
            {
                "a": {"text": "English", "feedback": "Sorry, listen again."},
                "b": {"text": "French", "feedback": "Yes, well done!"},
                "c": {"text": "German", "feedback": "Sorry, listen again."},
                "d": {"text": "Spanish", "feedback": "Sorry, listen again."},
            },
            "b",
            SOURCE_C,
        ),
        draft(
            "sample-moodle-acronym",
            "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment.",
            {"a": "True", "b": "False"},
            "a",
            SOURCE_C,
        ),
    ]
    assert [(s.line, s.title, s.reason) for s in result.skipped] == [
        (5, "Moodle activities", "matching"),
        (22, "Moodle user", "short answer"),
    ]
    assert (result.notes[0].line, result.notes[0].message) == (
        2,
        UNKNOWN_CATEGORY.format(path="$course$/Default for New Features", topic="sample"),
    )


@pytest.mark.django_db
def test_command_loads_moodle_file_printing_each_skip_and_the_summary():
    path = moodle_fixture("questions.gift.txt")

    out, _ = run(path, topic="imported", load=True)

    lines = out.splitlines()
    assert f"{path}:31: skipped 'Q5': numerical questions are not supported" in lines
    assert f"{path}:14: " + NO_EXPLANATION.format(name="'Q2'") in lines
    assert f"{path}:14: " + NEW_TOPIC.format(slug="imported", title="Imported") in lines
    assert lines[-5:] == [
        "imported 4 question(s) as drafts: 4 into imported",
        "skipped 5 question(s): 1 essay, 1 matching, 1 multiple answers, 1 numerical, "
        "1 short answer",
        "topics: 1 created, 0 updated, 0 unchanged, 0 retired",
        "questions: 4 created, 0 updated, 0 unchanged, 0 retired",
        "exams: 0 created, 0 updated, 0 unchanged, 0 retired",
    ]
    assert sorted(Question.objects.values_list("external_id", "status", "topic__slug")) == [
        ("imported-2-08-tsl", Status.DRAFT, "imported"),
        ("imported-2-08-tsl-2", Status.DRAFT, "imported"),
        ("imported-q1", Status.DRAFT, "imported"),
        ("imported-q2", Status.DRAFT, "imported"),
    ]
    assert list(
        Choice.objects.filter(question__external_id="imported-q1").values_list(
            "key", "text", "is_correct", "feedback"
        )
    ) == [
        ("a", "True", False, "42 is the Ultimate Answer."),
        ("b", "False", True, "You gave the right answer."),
    ]
    assert Topic.objects.get(slug="imported").title == "Imported"


# --- what is supported -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "reason", "message"),
    [
        (
            "=a ~b ~c ~d ~e ~f ~g",
            "choice count",
            "the question has 7 choices; a question needs 2 to 6",
        ),
        ("~only", "choice count", "the question has 1 choice; a question needs 2 to 6"),
        (
            "=a =b ~c",
            "correct answers",
            "the question has 2 choices marked correct; mark exactly one",
        ),
        ("~a ~b", "correct answers", "the question has no choice marked correct; mark exactly one"),
        ("=%100%a ~%0%b", "multiple answers", WEIGHTED),
        (
            "=Same ~same ",
            "identical choices",
            "the question has choices a and b with the same text; make each choice different",
        ),
        ("=a ~[html]<br>", "blank text", "choice 2 is blank"),
    ],
)
def test_questions_we_cannot_represent_are_skipped_with_their_reason(answers, reason, message):
    result = convert_text(f"// one\n::T:: Question?{{{answers}}}")

    assert result.imported == []
    assert result.skipped == [Skipped("t.gift", 2, "T", reason, message)]


def test_missing_word_and_description_are_skipped():
    result = convert_text("Grant is {~buried =entombed} in the tomb.\n\nJust a description.")

    assert [(s.line, s.title, s.message) for s in result.skipped] == [
        (1, "", MISSING_WORD),
        (3, "", DESCRIPTION),
    ]
    assert str(result.skipped[0]) == f"t.gift:1: skipped an untitled question: {MISSING_WORD}"


def test_missing_word_question_is_imported_when_only_punctuation_follows_the_braces():
    result = convert_text('Pick one {=a ~b}.";')

    assert result.imported[0].document["stem"] == "Pick one"


def test_crss_comment_right_before_the_question_sets_kind_and_domain():
    result = convert_text(
        "// crss: kind=application domain=advocacy\n::A:: One?{=a ~b}\n\n"
        "// crss: kind=comprehension\n// crss: domain=mentoring tags=x\n::B:: Two?{=a ~b}\n\n"
        "::C:: Three?{=a ~b}"
    )

    assert [(q.document["kind"], q.document["domain"]) for q in result.imported] == [
        ("application", "advocacy"),
        ("comprehension", "mentoring"),
        ("recall", "professional-responsibility"),
    ]
    assert [(n.line, n.message) for n in result.notes if "crss" in n.message] == [
        (6, UNKNOWN_CRSS_KEY.format(key="tags"))
    ]


def test_unknown_crss_value_falls_back_to_the_default_with_a_note():
    result = convert_text("// crss: kind=trivia domain=advocacy\n::A:: One?{=a ~b ####Why.}")

    document = result.imported[0].document
    assert (document["kind"], document["domain"]) == ("recall", "advocacy")
    assert [n.message for n in result.notes] == [
        "the // crss: comment has unknown kind 'trivia'; "
        "use one of: recall, comprehension, application ('recall' was used)"
    ]


def test_ids_come_from_titles_repeats_and_untitled_questions_never_colliding():
    result = convert_text(
        "::Café Ethics_1!:: A?{=a ~b}\n\n::Café Ethics_1!:: B?{=a ~b}\n\n"
        "C?{=a ~b}\n\nD?{=a ~b}\n\n::???:: E?{=a ~b}\n\n::sample-007:: F?{=a ~b}\n\n"
        "::Taken:: G?{=a ~b}",
        taken={"sample-gift-1", "sample-taken", "sample-taken-2"},
    )

    assert [q.external_id for q in result.imported] == [
        "sample-cafe-ethics-1",
        "sample-cafe-ethics-1-2",
        "sample-gift-2",
        "sample-gift-3",
        "sample-gift-4",
        "sample-007",  # already starts with the topic: kept as it is
        "sample-taken-3",
    ]


def test_category_naming_a_topic_switches_to_it_and_an_unknown_one_switches_back():
    result = convert_text(
        "A?{=a ~b}\n\n$CATEGORY: $course$/top/other\n\nB?{=a ~b}\n\n"
        "$CATEGORY: Default\n\nC?{=a ~b}\n\n$CATEGORY: sample\n\nD?{=a ~b}",
        known={"other"},
    )

    assert [(q.external_id, q.topic_slug) for q in result.imported] == [
        ("sample-gift-1", "sample"),
        ("other-gift-1", "other"),
        ("sample-gift-2", "sample"),
        ("sample-gift-3", "sample"),
    ]
    assert [(n.line, n.message) for n in result.notes if "category" in n.message] == [
        (7, UNKNOWN_CATEGORY.format(path="Default", topic="sample"))
    ]


def test_html_is_sanitized_into_markdown_without_any_tag():
    markdown = html_to_markdown(
        '<p>Read <a href="https://example.org/a b">the <b>guide</b></a> first.</p>'
        "<script>alert(1)</script><ul><li>one</li><li><i>two</i></li></ul>"
        '<a href="javascript:alert(1)">bad link</a> <img src=x onerror=alert(1)>'
        "<span style='x'>5 * 3_</span> &lt;b&gt;"
    )

    assert markdown == (
        "Read [the **guide**](https://example.org/a%20b) first.\n\n"
        "- one\n- *two*\n\nbad link 5 \\* 3\\_ <b>"
    )


def test_plain_and_markdown_text_is_kept_and_moodle_text_with_html_is_converted():
    result = convert_text(
        "::P::[plain]a <b> b?{=x ~y}\n\n::M::[markdown]**m**?{=x ~y}\n\n"
        "::D:: it&amp;s <i>so</i>?{=x ~y}"
    )

    assert [q.document["stem"] for q in result.imported] == ["a <b> b?", "**m**?", "it&s *so*?"]


def test_html_tags_in_markdown_text_are_kept_as_text_with_a_note():
    result = convert_text("::M::[markdown]A <b>bold</b> claim?{=x ~y ####Why.}")

    assert result.imported[0].document["stem"] == "A <b>bold</b> claim?"
    assert [(n.line, n.message) for n in result.notes] == [
        (1, MARKDOWN_WITH_HTML.format(name="'M'"))
    ]


# --- loading --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_adds_questions_and_leaves_the_topics_existing_ones_alone(sample_topic):
    before = list(
        Question.objects.values_list("external_id", "status", "stem", "updated_at", "source")
    )

    result, report = load_gift(
        "::sample-001:: New one?{=a ~b}\n\n::Fresh:: Another?{=c ~d ####Why.}",
        filename="x.gift",
        topic_slug="sample-topic",
    )

    assert [q.external_id for q in result.imported] == [
        "sample-topic-sample-001",
        "sample-topic-fresh",
    ]
    assert report.lines()[1] == "questions: 2 created, 0 updated, 2 unchanged, 0 retired"
    assert (
        list(
            Question.objects.filter(external_id__in=["sample-001", "sample-002"]).values_list(
                "external_id", "status", "stem", "updated_at", "source"
            )
        )
        == before
    )
    fresh = Question.objects.get(external_id="sample-topic-fresh")
    assert (fresh.status, fresh.source, fresh.explanation, fresh.topic.slug) == (
        Status.DRAFT,
        "Imported from x.gift",
        "Why.",
        "sample-topic",
    )
    assert Question.objects.get(external_id="sample-001").status == Status.PUBLISHED


@pytest.mark.django_db
def test_output_writes_a_merged_bank_file_that_load_questions_accepts(sample_topic, tmp_path):
    gift = tmp_path / "week.gift"
    gift.write_text("// crss: kind=application\n::Fresh:: Another?{=c ~d}\n", encoding="utf-8")

    out, _ = run(gift, topic="sample-topic", output=tmp_path / "out")

    written = tmp_path / "out" / "sample-topic.yaml"
    assert f"wrote {written}" in out
    document = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert document["topic"]["title"] == "Sample topic"
    assert [q["id"] for q in document["questions"]] == [
        "sample-001",
        "sample-002",
        "sample-topic-fresh",
    ]
    assert Question.objects.count() == 2  # --output writes no question
    load_out = io.StringIO()
    call_command("load_questions", str(written), stdout=load_out)
    assert "questions: 1 created, 0 updated, 2 unchanged, 0 retired" in load_out.getvalue()
    assert Question.objects.get(external_id="sample-topic-fresh").kind == "application"


@pytest.mark.django_db
def test_output_refuses_to_overwrite_a_bank_file(sample_topic, tmp_path):
    gift = tmp_path / "week.gift"
    gift.write_text("A?{=a ~b}", encoding="utf-8")
    (tmp_path / "sample-topic.yaml").write_text("keep me", encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run(gift, topic="sample-topic", output=tmp_path)

    assert str(raised.value) == OUTPUT_EXISTS.format(path=tmp_path / "sample-topic.yaml")
    assert (tmp_path / "sample-topic.yaml").read_text(encoding="utf-8") == "keep me"


@pytest.mark.django_db
def test_without_load_or_output_everything_is_checked_and_nothing_written(tmp_path):
    gift = tmp_path / "week.gift"
    gift.write_text("A?{=a ~b}", encoding="utf-8")

    out, _ = run(gift, topic="new-topic")

    assert "check only: the questions are valid; nothing was written" in out
    assert "questions: 1 created, 0 updated, 0 unchanged, 0 retired" in out
    assert not Topic.objects.exists()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_loader_errors_are_reported_like_load_questions_and_nothing_is_written(
    sample_topic, tmp_path
):
    # A question stored without a correct choice cannot be written back as a bank entry.
    Choice.objects.filter(question__external_id="sample-002").update(is_correct=False)
    gift = tmp_path / "week.gift"
    gift.write_text("::Fresh:: A?{=a ~b}", encoding="utf-8")

    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_gift",
            str(gift),
            topic="sample-topic",
            load=True,
            stdout=io.StringIO(),
            stderr=err,
        )

    assert str(raised.value) == "1 error(s) in the imported questions; nothing was written."
    assert err.getvalue().splitlines() == [
        "sample-topic.yaml:23: missing required key 'answer' in question 'sample-002'"
    ]
    assert not Question.objects.filter(external_id="sample-topic-fresh").exists()


@pytest.mark.django_db
def test_loader_error_lines_name_the_bank_file_the_import_would_write(sample_topic):
    Choice.objects.filter(question__external_id="sample-002").update(is_correct=False)

    with pytest.raises(BankValidationError) as raised:
        load_gift("::Fresh:: A?{=a ~b}", filename="x.gift", topic_slug="sample-topic")

    assert [str(error) for error in raised.value.errors] == [
        "sample-topic.yaml:23: missing required key 'answer' in question 'sample-002'"
    ]
    assert not Question.objects.filter(external_id="sample-topic-fresh").exists()


@pytest.mark.django_db
def test_an_import_that_would_retire_questions_is_refused_and_rolled_back(
    sample_topic, monkeypatch
):
    def without_existing(slug, questions):
        return {"topic": {"slug": slug, "title": "Sample topic"}, "questions": questions}, False

    monkeypatch.setattr(convert, "merged_document", without_existing)

    with pytest.raises(convert.GiftImportError) as raised:
        load_gift("::Fresh:: A?{=a ~b}", filename="x.gift", topic_slug="sample-topic")

    assert str(raised.value) == WOULD_RETIRE.format(count=2)
    assert set(Question.objects.values_list("external_id", "status")) == {
        ("sample-001", Status.PUBLISHED),
        ("sample-002", Status.PUBLISHED),
    }


@pytest.mark.django_db
def test_gift_to_bank_documents_reads_the_database_for_ids_and_topics(sample_topic):
    Topic.objects.create(slug="other", title="Other")
    load_gift("::Fresh:: First?{=a ~b}", filename="x.gift", topic_slug="sample-topic")

    result = gift_to_bank_documents(
        "::Fresh:: Again?{=a ~b}\n\n$CATEGORY: top/other\n\n::Q:: There?{=a ~b}",
        filename="y.gift",
        topic_slug="sample-topic",
    )

    assert [q.external_id for q in result.imported] == ["sample-topic-fresh-2", "other-q"]
    assert sorted(result.documents) == ["other.yaml", "sample-topic.yaml"]
    assert [q["id"] for q in result.documents["sample-topic.yaml"]["questions"]] == [
        "sample-001",
        "sample-002",
        "sample-topic-fresh",
        "sample-topic-fresh-2",
    ]
    assert result.documents["other.yaml"]["topic"] == {"slug": "other", "title": "Other"}
    assert Question.objects.count() == 3  # converting writes nothing


@pytest.mark.django_db
def test_a_file_with_nothing_importable_writes_nothing(tmp_path):
    gift = tmp_path / "essay.gift"
    gift.write_text("::E:: Tell me.{}", encoding="utf-8")

    out, _ = run(gift, topic="sample", load=True)

    assert out.splitlines()[-1] == NOTHING_IMPORTED
    assert f"{gift}:1: skipped 'E': essay questions are not supported" in out
    assert not Topic.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "topic", "message"),
    [
        (b"A?{=a ~b}", "Bad Slug", BAD_TOPIC.format(slug="Bad Slug")),
        (b"A?{=a ~b}\n\xff", "sample", "in.gift:2: the file is not UTF-8 text"),
        (None, "sample", "no such file"),
    ],
)
def test_unusable_arguments_and_files_are_refused(tmp_path, content, topic, message):
    gift = tmp_path / "in.gift"
    if content is not None:
        gift.write_bytes(content)

    with pytest.raises(CommandError) as raised:
        run(gift, topic=topic, load=True)

    assert message in str(raised.value)
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_a_gift_load_writes_no_file(sample_topic, monkeypatch):
    def write_to_disk(*args, **kwargs):
        raise AssertionError("the import wrote to disk")

    for name in ("TemporaryDirectory", "mkdtemp", "mkstemp", "NamedTemporaryFile"):
        monkeypatch.setattr(tempfile, name, write_to_disk)
    monkeypatch.setattr(Path, "write_text", write_to_disk)
    monkeypatch.setattr(Path, "write_bytes", write_to_disk)

    _, report = load_gift("::Fresh:: A?{=a ~b}", filename="x.gift", topic_slug="sample-topic")

    assert report.questions.created == 1
    assert Question.objects.filter(external_id="sample-topic-fresh").exists()
