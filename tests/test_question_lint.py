"""Item-writing flags (issue 16): each rule on a bad and a good question, the test-wise
guesser, and the shipped banks. The command and the admin: ``test_lint_questions``."""

from dataclasses import replace
from pathlib import Path

import pytest

from quizzes.authoring.lint_text import seed_index
from quizzes.authoring.question_guesser import GuesserScore, choice_scores, guess, guesser_score
from quizzes.authoring.question_lint import LintQuestion, lint_pool, lint_question
from quizzes.authoring.question_lint_sources import load_seeds, questions_from_banks
from tests.lint_samples import GOOD_CHOICES, GOOD_STEM

REPO = Path(__file__).resolve().parent.parent

def question(**fields) -> LintQuestion:
    """A good question, with ``fields`` replaced."""
    data = {
        "id": "sample-001",
        "stem": GOOD_STEM,
        "choices": GOOD_CHOICES,
        "answer": "b",
        "explanation": "Consulting early is what the overlap needs.",
        "topic": "sample",
    }
    return LintQuestion(**(data | fields))


def codes(item: LintQuestion, **options) -> list[str]:
    return [flag.code for flag in lint_question(item, **options)]


def with_choices(**texts: str) -> dict[str, str]:
    return GOOD_CHOICES | texts


# --------------------------------------------------------------------------- each flag


def test_a_good_question_has_no_flag():
    assert codes(question()) == []


@pytest.mark.parametrize(
    ("key_text", "code"),
    [
        (
            "Bring the overlap to her supervisor early, plan together how to handle it, and "
            "write the plan into the record so the whole team can follow it",
            "key-longest",
        ),
        ("Consult her supervisor", "key-shortest"),
    ],
)
def test_a_key_far_longer_or_shorter_than_the_distractors_is_flagged(key_text, code):
    assert codes(question(choices=with_choices(b=key_text))) == [code]


def test_a_key_a_little_longer_than_the_distractors_is_not_flagged():
    longer = GOOD_CHOICES["b"] + " with care"  # about 1.1x the longest distractor
    assert codes(question(choices=with_choices(b=longer))) == []


@pytest.mark.parametrize(
    ("a", "c", "key", "code"),
    [
        (
            "Always tell the client about the overlap and let the client decide",
            "Never ask the agency to reassign the client, whatever the reason",
            "Always bring the overlap to her supervisor and plan how to handle it",
            "absolutes-in-distractors",
        ),
        (
            "Carry on as usual, since being neighbors has nothing to do with the work",
            "Start services as long as the client signs a note that he does not mind",
            "Bring the overlap to her supervisor, because a plan protects them both",
            "excuses-in-distractors",
        ),
        (
            "Quietly ask the agency to reassign the client to a colleague next week",
            "Serve the client without telling anyone about the building they share",
            "Privately bring the overlap to her supervisor and plan how to handle it",
            "secrecy-in-distractors",
        ),
    ],
)
def test_cues_in_two_distractors_and_not_the_key_are_flagged(a, c, key, code):
    flagged = question(choices=with_choices(a=a, c=c))
    in_the_key_too = question(choices=with_choices(a=a, c=c, b=key))
    in_one_distractor = question(choices=with_choices(a=a))

    assert code in codes(flagged)
    assert code not in codes(in_the_key_too)
    assert code not in codes(in_one_distractor)


def test_a_word_shared_only_by_stem_and_key_is_flagged():
    stem = "A client withdraws consent to share records. What should the CRSS do?"
    key = "Honor the withdrawn consent and stop sharing the records from now on"
    flagged = question(stem=stem, choices=with_choices(b=key))
    consent_in_a_distractor = question(
        stem=stem, choices=with_choices(b=key, a="Ask for consent again at the next session")
    )

    def cue_messages(item: LintQuestion) -> list[str]:
        return [flag.message for flag in lint_question(item) if flag.code == "stem-key-cue"]

    assert cue_messages(flagged) == ["the stem and only the key share the word(s) consent, records"]
    assert cue_messages(consent_in_a_distractor) == [
        "the stem and only the key share the word(s) records"
    ]


def test_common_words_in_stem_and_key_are_no_cue():
    stem = "Which step should a recovery support specialist take with clients?"
    key = "Bring the overlap to the supervisor before supporting these clients"
    assert "stem-key-cue" not in codes(question(stem=stem, choices=with_choices(b=key)))


@pytest.mark.parametrize(
    "text", ["All of the above", "None of these choices", "Both a and b", "b and c only"]
)
def test_choices_that_lean_on_the_others_are_flagged(text):
    assert codes(question(choices=with_choices(d=text))) == ["all-none-above"]


@pytest.mark.parametrize(
    "stem",
    [
        "According to the article, what should a CRSS do first?",
        "What does this passage say about gifts?",
        "Which answer best matches the reading?",
        "What does the author recommend about dual roles?",
        "According to the text, what is a boundary?",
    ],
)
def test_stems_naming_their_source_are_flagged(stem):
    assert "stem-names-source" in codes(question(stem=stem))


def test_a_text_message_in_a_scenario_is_not_a_source():
    stem = "A client sends a text at midnight. What does the text message call for?"
    assert "stem-names-source" not in codes(question(stem=stem))


@pytest.mark.parametrize(
    ("stem", "flagged"),
    [
        ("Rosa learns that her client manages her building. Pick the best response.", True),
        ("Complete the statement: a dual relationship is", True),
        ("Complete the statement:", False),
        ("Rosa learns that her client manages her building. What should she do?", False),
    ],
)
def test_a_stem_without_a_question_is_flagged(stem, flagged):
    assert ("stem-not-a-question" in codes(question(stem=stem))) is flagged


def test_near_duplicate_stems_are_flagged_both_ways():
    first = question(id="sample-001")
    reworded = question(id="sample-002", stem=GOOD_STEM.replace("Rosa", "Maria"))
    other = question(id="sample-003", stem="Which of these is a conflict of interest?")

    report = lint_pool([first, reworded, other])

    assert [(f.question_id, f.code) for f in report.flags] == [
        ("sample-001", "near-duplicate"),
        ("sample-002", "near-duplicate"),
    ]
    assert "sample-002" in report.flags[0].message
    assert codes(first, pool=[reworded, other]) == ["near-duplicate"]
    assert codes(first, pool=[other]) == []


def test_the_same_scenario_in_two_topics_is_flagged():
    mechanic = question(
        id="ethics-001",
        topic="ethics",
        stem="Victor, a mechanic, offers to repair his CRSS's car for free. What should she do?",
    )
    retold = question(
        id="power-001",
        topic="power",
        stem="Ibrahim's client Victor works as a mechanic and says: let me fix your car free. "
        "What is the best reply?",
    )
    same_topic = replace(retold, id="ethics-002", topic="ethics")

    flagged = lint_pool([mechanic, retold]).flags
    assert [(f.question_id, f.code) for f in flagged] == [
        ("ethics-001", "similar-scenario"),
        ("power-001", "similar-scenario"),
    ]
    assert "free, mechanic, victor" in flagged[0].message
    assert lint_pool([mechanic, same_topic]).flags == ()


def test_a_run_of_eight_words_from_a_seed_is_flagged():
    seeds = seed_index({"article.txt": "Helpers should always keep the focus on the person."})
    copied = question(explanation="You should always keep the focus on the person, we said.")
    seven = question(explanation="Keep the focus on the person, said the trainer.")

    flags = lint_question(copied, seeds=seeds)
    assert [f.code for f in flags] == ["seed-copy"]
    assert "explanation shares 8 consecutive words with seed article.txt" in flags[0].message
    assert codes(seven, seeds=seeds) == []


# --------------------------------------------------------------------------- the guesser


def test_the_guesser_scores_each_choice_as_documented():
    choices = {
        "a": "Always decline, since rules are rules",  # absolute and excuse: -2
        "b": "Talk it over with a supervisor and document the plan",  # two cues, longest: 2.5
        "c": "Quietly accept the gift",  # secrecy: -1
        "d": "Thank the client warmly",  # warm: +1
    }
    assert choice_scores(choices) == {"a": -2.0, "b": 2.5, "c": -1.0, "d": 1.0}
    assert guess(choices) == "b"


def test_the_guesser_breaks_ties_by_length_then_by_key():
    assert guess({"a": "Wait", "b": "Ask him", "c": "Ask her"}) == "b"
    assert guess({"a": "Ask him", "b": "Ask them", "c": "Never wait for anyone at all"}) == "b"


def test_the_guesser_score_is_the_share_of_keys_it_picks():
    right = ({"a": "Consult your supervisor", "b": "Never"}, "a")
    wrong = ({"a": "Consult your supervisor", "b": "Never"}, "b")
    score = guesser_score([right, right, wrong])

    assert score == GuesserScore(right=2, total=3)
    assert str(score) == "guesser: 67 %"
    assert score.above(66) and not score.above(67)


def test_the_pool_score_counts_published_questions_only():
    draft = question(id="sample-002", stem="Draft?", answer="a", published=False)
    report = lint_pool([question(), draft])

    assert report.guesser == GuesserScore(right=1, total=1)
    assert report.guessed == frozenset({"sample-001"})


# --------------------------------------------------------------------------- the shipped banks


def test_the_shipped_banks_have_no_item_writing_flag_and_fool_no_guesser():
    questions, errors = questions_from_banks([REPO / "content"])
    seeds = load_seeds()  # the content tests say loudly when the seeds are missing
    report = lint_pool(questions, seeds=seed_index(seeds) if seeds else None)

    assert errors == []
    assert [str(flag) for flag in report.flags] == []
    assert not report.guesser.above(35), report.guesser
