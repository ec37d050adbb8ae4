"""GIFT export: the text it writes, and round trips (our banks -> GIFT -> import) that keep
every stem, choice, answer, feedback, explanation, kind and domain."""

import io

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from quizzes.authoring.gift.convert import convert_gift, gift_block
from quizzes.models import Choice, Domain, Kind, Question, Status, Topic
from tests.banks import GOOD_TOPIC

SPECIAL_TOPIC = GOOD_TOPIC.replace(
    "      c: Ignore it",
    "      c:\n        text: '[html] Ignore {it}'\n        feedback: 'Waiting: it grows #1'",
).replace(
    "    stem: Dana needs housing help. What do you do?",
    "    stem: |\n      Dana needs ~housing~ = help.\n\n      What do you do? \\o/",
)


def export_gift(**options) -> str:
    out = io.StringIO()
    call_command("export_questions", format="gift", stdout=out, **options)
    return out.getvalue()


def import_gift(path, topic: str) -> str:
    out = io.StringIO()
    call_command("import_gift", str(path), topic=topic, load=True, stdout=out)
    return out.getvalue()


def question_snapshot(questions=None) -> dict[str, tuple]:
    """External id -> everything a GIFT round trip must keep."""
    questions = Question.objects.all() if questions is None else questions
    choices: dict[int, list] = {}
    for row in Choice.objects.filter(question__in=questions).order_by("key"):
        choices.setdefault(row.question_id, []).append(
            (row.key, row.text, row.is_correct, row.feedback)
        )
    return {
        question.external_id: (
            question.topic.slug,
            question.kind,
            question.domain,
            question.stem,
            question.explanation,
            choices[question.pk],
        )
        for question in questions.select_related("topic")
    }


@pytest.mark.django_db
def test_export_writes_categories_titles_crss_comments_and_escaped_text(write_bank):
    call_command("load_questions", str(write_bank("s.yaml", SPECIAL_TOPIC)), stdout=io.StringIO())

    assert export_gift() == (
        "// CRSS Prep questions in Moodle GIFT format\n"
        "\n"
        "$CATEGORY: sample-topic\n"
        "\n"
        "// crss: kind=recall domain=professional-responsibility\n"
        "::sample-001::[markdown]What should a CRSS do first about a dual relationship?{\n"
        "\t~Handle it alone\n"
        "\t=Consult a supervisor\n"
        "\t~[markdown][html] Ignore \\{it\\}#Waiting\\: it grows \\#1\n"
        "\t~End all contact at once\n"
        "\t####Consulting a supervisor gives perspective.\n"
        "}\n"
        "\n"
        "// crss: kind=application domain=advocacy\n"
        "::sample-002::[markdown]Dana needs \\~housing\\~ \\= help.\\n\\nWhat do you do? \\\\o/{\n"
        "\t=Connect her with resources\n"
        "\t~Let her stay at your home\n"
        "\t####Advocate through proper channels.\n"
        "}\n"
    )


@pytest.mark.django_db
def test_export_to_a_file_and_reimport_keeps_tricky_text(write_bank, tmp_path):
    call_command("load_questions", str(write_bank("s.yaml", SPECIAL_TOPIC)), stdout=io.StringIO())
    before = question_snapshot()
    path = tmp_path / "bank.gift"

    assert export_gift(output=path) == f"wrote {path}\n"
    Question.objects.all().delete()
    import_gift(path, "sample-topic")

    # These ids do not start with their topic, so the topic is put in front of them.
    assert question_snapshot() == {f"sample-topic-{key}": value for key, value in before.items()}


@pytest.mark.django_db
def test_retired_questions_and_empty_topics_are_left_out(write_bank):
    call_command("load_questions", str(write_bank("s.yaml", GOOD_TOPIC)), stdout=io.StringIO())
    Question.objects.filter(external_id="sample-002").update(status=Status.RETIRED)
    Topic.objects.create(slug="empty", title="Empty")

    text = export_gift()

    assert "::sample-001::" in text
    assert "sample-002" not in text
    assert "$CATEGORY: empty" not in text


@pytest.mark.django_db
def test_yaml_stays_the_default_format(write_bank, tmp_path):
    call_command("load_questions", str(write_bank("s.yaml", GOOD_TOPIC)), stdout=io.StringIO())
    out = io.StringIO()

    call_command("export_questions", output=tmp_path / "yaml", stdout=out)

    assert out.getvalue() == f"wrote {tmp_path / 'yaml' / 'sample-topic.yaml'}\n"


@pytest.mark.django_db
def test_real_banks_survive_a_round_trip_into_a_database_without_their_questions(
    settings, tmp_path
):
    call_command("load_questions", str(settings.CRSS_CONTENT_DIR), stdout=io.StringIO())
    before = question_snapshot()
    path = tmp_path / "bank.gift"
    path.write_text(export_gift(), encoding="utf-8")
    Question.objects.all().delete()

    out = import_gift(path, "power-dynamics")

    # $CATEGORY: lines send each question back to its topic, and with no id taken the
    # titles (our ids, already prefixed by their topic) become the ids again.
    assert question_snapshot() == before
    assert "skipped 0 question(s)" in out
    assert set(Question.objects.values_list("status", "source")) == {
        (Status.DRAFT, "Imported from bank.gift")
    }


@pytest.mark.django_db
def test_real_banks_imported_again_beside_themselves_give_identical_copies(settings, tmp_path):
    call_command("load_questions", str(settings.CRSS_CONTENT_DIR), stdout=io.StringIO())
    originals = question_snapshot()
    stored = sorted(Question.objects.values_list("external_id", "status", "updated_at"))
    path = tmp_path / "bank.gift"
    path.write_text(export_gift(), encoding="utf-8")

    out = import_gift(path, "power-dynamics")

    assert f"questions: {len(originals)} created, 0 updated" in out
    assert "0 retired" in out
    copies = question_snapshot(Question.objects.filter(status=Status.DRAFT))
    assert copies == {f"{external_id}-2": values for external_id, values in originals.items()}
    assert (
        sorted(
            Question.objects.exclude(status=Status.DRAFT).values_list(
                "external_id", "status", "updated_at"
            )
        )
        == stored
    )


# Text as our banks hold it: stripped, no carriage returns, anything else goes.
bank_text = (
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r"), max_size=60)
    .map(str.strip)
    .filter(bool)
)


@given(
    stem=bank_text,
    texts=st.lists(
        bank_text, min_size=2, max_size=6, unique_by=lambda t: " ".join(t.casefold().split())
    ),
    feedback=st.lists(st.one_of(st.just(""), bank_text), min_size=6, max_size=6),
    explanation=st.one_of(st.just(""), bank_text),
    correct=st.integers(min_value=0, max_value=5),
    kind=st.sampled_from(Kind.values),
    domain=st.sampled_from(Domain.values),
)
def test_any_question_text_survives_export_and_import(
    stem, texts, feedback, explanation, correct, kind, domain
):
    correct %= len(texts)
    block = gift_block(
        external_id="topic-001",
        kind=kind,
        domain=domain,
        stem=stem,
        choices=[
            (t, i == correct, f) for i, (t, f) in enumerate(zip(texts, feedback, strict=False))
        ],
        explanation=explanation,
    )

    result = convert_gift(
        f"$CATEGORY: topic\n\n{block}\n",
        filename="x.gift",
        topic_slug="topic",
        known_topics={"topic"},
        taken_ids=set(),
    )

    assert result.skipped == []
    (imported,) = result.imported
    document = imported.document
    assert (document["id"], document["kind"], document["domain"]) == ("topic-001", kind, domain)
    assert document["stem"] == stem
    assert document.get("explanation", "") == explanation
    assert document["answer"] == "abcdef"[correct]
    assert list(document["choices"].values()) == [
        {"text": t, "feedback": f} if f else t for t, f in zip(texts, feedback, strict=False)
    ]
