"""The question rules (``quizzes.question_rules``): each rule on good and bad input, and the
same bad question worded the same by the bank loader, the admin form, the GIFT import and the
publish action."""

import html
from dataclasses import dataclass

import pytest
import yaml

from quizzes import models
from quizzes import question_rules as rules
from quizzes.authoring.banks import read_banks
from quizzes.authoring.gift.convert import convert_gift
from quizzes.question_rules import CHOICE_KEYS, ChoiceDraft, Status
from tests import content_rules
from tests.factories import make_question, make_topic

ADD_URL = "/admin/quizzes/question/add/"
LIST_URL = "/admin/quizzes/question/"
EXPLAINED = "Talking it through first keeps the client safe."


# --- vocabularies: one home ---------------------------------------------------------------------


def test_the_models_and_the_content_checks_take_the_vocabularies_from_the_rules():
    assert (models.Kind, models.Domain, models.Status) == (rules.Kind, rules.Domain, rules.Status)
    assert models.CHOICE_KEYS == rules.CHOICE_KEYS == "abcdef"
    assert (content_rules.KINDS, content_rules.DOMAINS) == (rules.KINDS, rules.DOMAINS)
    assert content_rules.SLUG is rules.SLUG_RE


def test_our_banks_four_choices_a_to_d_are_a_content_standard_within_the_apps_rule():
    assert content_rules.LETTERS == ("a", "b", "c", "d")
    assert rules.choice_count_problem(len(content_rules.LETTERS)) is None
    assert all(rules.choice_key_problem(key) is None for key in content_rules.LETTERS)


# --- each rule, good and bad --------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
def test_two_to_six_choices_are_fine(count):
    assert rules.choice_count_problem(count) is None


@pytest.mark.parametrize(
    ("count", "problem"),
    [
        (0, "has 0 choices; a question needs 2 to 6"),
        (1, "has 1 choice; a question needs 2 to 6"),
        (7, "has 7 choices; a question needs 2 to 6"),
    ],
)
def test_fewer_than_two_or_more_than_six_choices_are_refused(count, problem):
    assert rules.choice_count_problem(count) == problem


def test_choice_keys_are_one_letter_a_to_f():
    assert [rules.choice_key_problem(key) for key in CHOICE_KEYS] == [None] * 6
    for key in ("g", "A", "ab", ""):
        assert rules.choice_key_problem(key) == (
            f"has a choice keyed '{key}'; use the letters a to f"
        )


def test_each_choice_has_its_own_key():
    assert rules.shared_key_problems("abcd") == []
    assert rules.shared_key_problems("abab") == [
        "has 2 choices keyed 'a'; give each choice its own letter, a to f",
        "has 2 choices keyed 'b'; give each choice its own letter, a to f",
    ]


def test_choice_texts_are_distinct_after_case_folding_and_spacing():
    assert rules.duplicate_choice_texts([("a", "Call her"), ("b", "Call him")]) == []
    assert rules.duplicate_choice_texts(
        [("c", "Call  HER "), ("a", "call her"), ("b", "Wait")]
    ) == ["has choices a and c with the same text; make each choice different"]


def test_a_stricter_sameness_can_be_asked_for():
    choices = [("a", "Call her."), ("b", "call her")]

    assert rules.identical_choice_groups(choices) == []
    assert rules.identical_choice_groups(choices, same=lambda text: text.strip(".").lower()) == [
        ["a", "b"]
    ]


@pytest.mark.parametrize(
    ("correct", "problem"),
    [
        (1, None),
        (0, "has no choice marked correct; mark exactly one"),
        (2, "has 2 choices marked correct; mark exactly one"),
    ],
)
def test_exactly_one_choice_is_correct(correct, problem):
    assert rules.correct_choice_problem(correct) == problem


def test_a_bank_files_answer_names_one_of_its_choices():
    assert rules.answer_problem("b", ["a", "b"]) is None
    assert rules.answer_problem("e", ["a", "b"]) == (
        "has answer 'e', which is not one of its choice keys (a, b)"
    )


@pytest.mark.parametrize(
    ("explanation", "status", "problem"),
    [
        ("", Status.DRAFT, None),
        (EXPLAINED, Status.PUBLISHED, None),
        ("", Status.PUBLISHED, "has no explanation, which a published question needs"),
        ("  ", Status.RETIRED, "has no explanation, which a retired question needs"),
    ],
)
def test_an_explanation_is_required_unless_draft(explanation, status, problem):
    found = rules.explanation_problem(explanation, status)

    assert found == (problem and f"{problem}: write one, or keep the question as a draft")


def test_a_publishable_question_keeps_every_rule():
    assert rules.publishable_problems(explanation=EXPLAINED, choice_count=4, correct=1) == []
    assert rules.publishable_problems(explanation="", choice_count=1, correct=0) == [
        rules.explanation_problem("", Status.PUBLISHED),
        rules.choice_count_problem(1),
        rules.correct_choice_problem(0),
    ]


def test_retiring_asks_only_for_the_explanation_and_publishing_for_everything():
    broken = {"explanation": EXPLAINED, "choice_count": 4, "correct": 0}

    assert rules.status_problems(Status.RETIRED, **broken) == []
    assert rules.status_problems(Status.PUBLISHED, **broken) == [rules.correct_choice_problem(0)]
    assert rules.status_problems(Status.RETIRED, explanation="", choice_count=4, correct=1) == [
        rules.explanation_problem("", Status.RETIRED)
    ]


def test_kinds_domains_and_statuses_come_from_their_vocabularies():
    assert rules.unknown_value_problem("kind", "recall", rules.KINDS) is None
    assert rules.unknown_value_problem("status", "draft", rules.STATUSES) is None
    assert rules.unknown_value_problem("domain", "ethics", rules.DOMAINS) == (
        "has unknown domain 'ethics'; use one of: advocacy, professional-responsibility, "
        "mentoring, recovery-support"
    )


@pytest.mark.parametrize("value", ["power-dynamics-007", "a", "x1"])
def test_slugs_of_lowercase_letters_digits_and_single_hyphens_are_fine(value):
    assert rules.slug_problem(value) is None


@pytest.mark.parametrize("value", ["Power", "a--b", "-a", "a b", "a_b", ""])
def test_other_slugs_are_refused(value):
    assert rules.slug_problem(value) == (
        f"'{value}' is not valid: use lowercase letters, digits and single hyphens"
    )


def test_texts_are_not_blank_not_too_long_and_hold_no_nul():
    assert rules.blank_problem("text") is None
    assert rules.blank_problem(" \n") == "is blank"
    assert rules.length_problem("x" * rules.MAX_TEXT_CHARS) is None
    assert rules.length_problem("x" * 61, 60) == "is 61 characters long; the limit is 60"
    assert rules.nul_problem("text") is None
    assert rules.nul_problem("a\x00b") == (
        "contains a NUL character (\\0), which cannot be stored: remove it"
    )


def test_every_choice_rule_a_question_breaks_is_named_in_order():
    choices = [ChoiceDraft("a", "Same", True), ChoiceDraft("a", " same ", True)]

    assert rules.choice_problems(choices) == [
        rules.correct_choice_problem(2),
        *rules.shared_key_problems("aa"),
        rules.identical_choices_problem(["a", "a"]),
    ]
    fine = [ChoiceDraft("a", "Yes", True), ChoiceDraft("b", "No", False)]
    assert rules.choice_problems(fine) == []


# --- the same bad question, everywhere ----------------------------------------------------------


@dataclass(frozen=True)
class BadQuestion:
    """A question as an author writes it, in any of the three ways: (text, correct) choices."""

    choices: tuple[tuple[str, bool], ...]
    status: str = Status.PUBLISHED
    explanation: str = EXPLAINED
    stem: str = "A client asks you to be friends online. What do you do first?"


FOUR = (("Decline kindly", True), ("Accept", False), ("Ignore it", False), ("Block them", False))
SEVEN_CHOICES = BadQuestion(
    (*FOUR, ("Report them", False), ("Ask a friend", False), ("Wait", False))
)
SAME_AFTER_CASE_FOLDING = BadQuestion(
    (("Talk to your supervisor", True), ("  talk to your  SUPERVISOR ", False), ("Wait", False))
)
NO_CORRECT_CHOICE = BadQuestion(tuple((text, False) for text, _ in FOUR))
PUBLISHED_WITHOUT_EXPLANATION = BadQuestion(FOUR, explanation="")


def yaml_messages(question: BadQuestion, tmp_path) -> list[str]:
    """What ``load_questions`` (and the admin's bank import) says about the question."""
    keys = "abcdefghij"
    entry = {
        "id": "rules-001",
        "kind": "recall",
        "domain": "advocacy",
        "stem": question.stem,
        "choices": {keys[n]: text for n, (text, _) in enumerate(question.choices)},
        "answer": next(keys[n] for n, (_, correct) in enumerate(question.choices) if correct),
        "status": str(question.status),
    }
    if question.explanation:
        entry["explanation"] = question.explanation
    path = tmp_path / "rules.yaml"
    document = {"topic": {"slug": "rules", "title": "Rules"}, "questions": [entry]}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    _, errors = read_banks([path])
    return [str(error) for error in errors]


def gift_messages(question: BadQuestion) -> list[str]:
    """What a GIFT import says: the question skipped, or imported with notes."""
    answers = " ".join(f"{'=' if correct else '~'}{text}" for text, correct in question.choices)
    feedback = f" ####{question.explanation}" if question.explanation else ""
    result = convert_gift(
        f"::Q1:: {question.stem}{{{answers}{feedback}}}",
        filename="rules.gift",
        topic_slug="rules",
        known_topics={"rules"},
        taken_ids=set(),
    )
    return result.messages()


def admin_messages(question: BadQuestion, client) -> list[str]:
    """The errors the admin's add-question page shows (the question's and its choices')."""
    topic = make_topic("rules")
    data = {
        "external_id": "rules-001",
        "topic": topic.pk,
        "status": question.status,
        "kind": "recall",
        "domain": "advocacy",
        "tags": "",
        "source": "",
        "stem": question.stem,
        "explanation": question.explanation,
        "choices-TOTAL_FORMS": len(question.choices),
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 6,
    }
    for number, (text, correct) in enumerate(question.choices):
        # Seven rows can only reuse a key: the key field offers a to f.
        data[f"choices-{number}-key"] = CHOICE_KEYS[number % len(CHOICE_KEYS)]
        data[f"choices-{number}-text"] = text
        if correct:
            data[f"choices-{number}-is_correct"] = "on"
    response = client.post(ADD_URL, data)
    assert response.status_code == 200  # refused: the form is shown again
    form = response.context["adminform"].form
    messages = [message for errors in form.errors.values() for message in errors]
    for inline in response.context["inline_admin_formsets"]:
        messages.extend(inline.formset.non_form_errors())
    return messages


def publish_messages(question: BadQuestion, client) -> list[str]:
    """What the admin's publish action says about the question stored as a draft."""
    correct = next((CHOICE_KEYS[n] for n, (_, c) in enumerate(question.choices) if c), "")
    stored = make_question(
        make_topic("stored"),
        correct=correct,
        keys=CHOICE_KEYS[: len(question.choices)],
        status=Status.DRAFT,
        explanation=question.explanation,
    )
    response = client.post(
        LIST_URL, {"action": "publish", "_selected_action": [stored.pk], "index": 0}, follow=True
    )
    return [html.unescape(response.text)]


SURFACES = {
    "bank file": lambda question, client, tmp_path: yaml_messages(question, tmp_path),
    "admin form": lambda question, client, tmp_path: admin_messages(question, client),
    "GIFT import": lambda question, client, tmp_path: gift_messages(question),
    "publish action": lambda question, client, tmp_path: publish_messages(question, client),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("question", "problem", "surfaces"),
    [
        pytest.param(
            SEVEN_CHOICES,
            rules.choice_count_problem(7),
            ["bank file", "admin form", "GIFT import"],
            id="seven choices",
        ),
        pytest.param(
            SAME_AFTER_CASE_FOLDING,
            rules.identical_choices_problem(["a", "b"]),
            ["bank file", "admin form", "GIFT import"],
            id="two choices the same after case-folding",
        ),
        pytest.param(
            NO_CORRECT_CHOICE,
            rules.correct_choice_problem(0),
            # A bank file marks the correct choice by its ``answer``: see answer_problem.
            ["admin form", "GIFT import", "publish action"],
            id="no correct choice",
        ),
        pytest.param(
            PUBLISHED_WITHOUT_EXPLANATION,
            rules.explanation_problem("", Status.PUBLISHED),
            # A GIFT question imports as a draft: its note gives the rule it must meet.
            ["bank file", "admin form", "GIFT import", "publish action"],
            id="published without explanation",
        ),
    ],
)
def test_the_same_bad_question_gets_the_same_words_everywhere(
    question, problem, surfaces, client, trainer, tmp_path
):
    for surface in surfaces:
        messages = SURFACES[surface](question, client, tmp_path)

        assert any(problem in message for message in messages), (surface, problem, messages)
