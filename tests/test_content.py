"""Content quality of the real question banks in content/ (issue 3), plus proof that every
rule in tests/content_rules.py can fail. No database: plain data checks."""

from __future__ import annotations

import copy
import functools
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import content_rules as rules

CONTENT_DIR = rules.CONTENT_DIR


# --------------------------------------------------------------------------- real content


@functools.cache
def _parsed() -> tuple[dict[str, Any], tuple[str, ...]]:
    """(name -> parsed topic bank, parse problems) for every topic file in content/."""
    banks, problems = {}, []
    for path in rules.topic_files(CONTENT_DIR):
        name = str(path.relative_to(rules.REPO))
        try:
            banks[name] = rules.load_yaml(path)
        except (OSError, yaml.YAMLError) as error:
            problems.append(f"{name}: cannot read: {error}")
    return banks, tuple(problems)


def real_banks() -> dict[str, Any]:
    """Topic banks that parsed into a mapping (shape problems are reported by their test)."""
    return {name: bank for name, bank in _parsed()[0].items() if isinstance(bank, dict)}


def run_rule(rule: Callable[[Any, str], list[str]]) -> list[str]:
    return [problem for name, bank in real_banks().items() for problem in rule(bank, name)]


def report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def seeds_or_skip() -> dict[str, str]:
    """The seed articles; when missing, warn loudly and skip, or fail when CI=true."""
    folder = rules.find_seeds_dir()
    if folder is not None:
        return rules.load_seeds(folder)
    message = rules.seeds_missing_message()
    if rules.ci():
        pytest.fail(f"{message}; CI=true requires the seeds folder")
    warnings.warn(message, stacklevel=2)
    print(f"\n{message}\n", file=sys.stderr)
    pytest.skip(f"seeds folder not found at {rules.seeds_location()}: 10-word overlap NOT checked")


def test_content_folder_holds_topic_banks():
    assert real_banks(), f"no topic banks in {CONTENT_DIR}"


def test_every_bank_parses_and_has_the_required_shape():
    banks, problems = _parsed()
    problems = list(problems)
    for name, bank in banks.items():
        problems += rules.check_shape(bank, name)
    assert not problems, report(problems)


def test_study_notes_are_250_to_600_words_with_a_heading():
    problems = run_rule(rules.check_notes)
    assert not problems, report(problems)


def test_every_question_has_four_distinct_choices_a_to_d_and_an_answer_among_them():
    problems = run_rule(rules.check_choices)
    assert not problems, report(problems)


def test_every_explanation_is_40_to_120_words():
    problems = run_rule(rules.check_explanation_length)
    assert not problems, report(problems)


def test_no_stem_choice_or_explanation_refers_to_a_choice_by_letter():
    problems = run_rule(rules.check_letter_references)
    assert not problems, report(problems)


def test_kinds_and_domains_are_known_and_half_of_each_topic_is_application():
    problems = run_rule(rules.check_kinds_and_domains)
    assert not problems, report(problems)


def test_each_answer_letter_is_correct_in_18_to_32_percent_of_a_topic():
    problems = run_rule(rules.check_answer_spread)
    assert not problems, report(problems)


def test_choice_length_does_not_give_the_answer_away():
    problems = run_rule(rules.check_choice_lengths)
    assert not problems, report(problems)


def test_no_near_duplicate_stems_within_or_across_topics():
    problems = rules.check_near_duplicate_stems(real_banks())
    assert not problems, report(problems)


def test_no_ten_word_run_is_shared_with_a_seed_article():
    seeds = seeds_or_skip()
    problems = [
        problem
        for name, bank in real_banks().items()
        for problem in rules.check_seed_overlap(bank, name, seeds)
    ]
    assert not problems, report(problems)


def test_each_topic_source_is_its_seed_article_title():
    seeds = seeds_or_skip()
    problems = [
        problem
        for name, bank in real_banks().items()
        for problem in rules.check_source_title(bank, name, seeds)
    ]
    assert not problems, report(problems)


def test_each_topic_meets_its_minimum_count_and_ethics_covers_every_principle():
    problems = run_rule(rules.check_minimum_counts)
    assert not problems, report(problems)


def test_all_banks_cover_the_five_topics_with_at_least_200_questions():
    problems = rules.check_all_banks(real_banks())
    assert not problems, report(problems)


def test_exams_define_full_mock_mini_mock_and_a_drill_per_topic():
    path = CONTENT_DIR / rules.EXAMS_FILE
    assert path.exists(), f"{path} is missing"
    counts = rules.topic_counts(real_banks().values())
    problems = rules.check_exams(rules.load_yaml(path), counts, "content/exams.yaml")
    assert not problems, report(problems)


# --------------------------------------------------------------------------- hand-made banks

NOTES = "## Key ideas\n" + "Keep the person you support at the centre of each decision. " * 30
STEMS = [
    "Amara, a CRSS at a peer centre, is asked by a client to lend him bus fare. "
    "What should she do?",
    "Why does the article say supervision matters when roles overlap?",
    "Jonah runs a support group in a church basement and sees his cousin walk in. "
    "What should he do first?",
    "Priya meets a client at a grocery store, and the client wants to chat about a relapse. "
    "How should she respond?",
]
EXPLANATION = (
    "Talking it through with a supervisor gives an outside view of the situation and keeps "
    "the client's welfare first. The tempting idea of handling it alone ignores how personal "
    "ties colour judgment, and a cold distance harms trust. Remember: consult early, keep "
    "warmth inside professional limits."
)


def good_question(n: int, answer: str) -> dict[str, Any]:
    choices = {
        "a": "Talk it through with her supervisor",
        "b": "Handle it on her own to protect privacy",
        "c": "Stop all contact with the person",
        "d": "Agree, because rapport comes first",
    }
    # Put the supervisor choice under the answer letter.
    choices[answer], choices["a"] = choices["a"], choices[answer]
    return {
        "id": f"sample-topic-{n:03d}",
        "kind": "comprehension" if n == 2 else "application",
        "domain": "professional-responsibility",
        "stem": STEMS[n - 1],
        "choices": choices,
        "answer": answer,
        "explanation": EXPLANATION,
    }


def good_bank(slug: str = "sample-topic") -> dict[str, Any]:
    """A small bank that passes every per-file rule."""
    return {
        "topic": {"slug": slug, "title": "Sample", "source": "Sample article", "notes": NOTES},
        "questions": [good_question(n, letter) for n, letter in enumerate("abcd", start=1)],
    }


def all_problems(bank: dict[str, Any], name: str = "sample-topic.yaml") -> list[str]:
    return rules.check_data(bank, name, seeds={"article.txt": "Sample article\nUnrelated."})


def broken(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """A deep copy of the good bank with ``change`` applied to it."""
    bank = copy.deepcopy(good_bank())
    change(bank)
    return bank


def q(bank: dict[str, Any], n: int = 1) -> dict[str, Any]:
    return bank["questions"][n - 1]


def assert_reports(problems: list[str], *fragments: str) -> None:
    for fragment in fragments:
        assert any(fragment in problem for problem in problems), (fragment, problems)


def test_a_well_formed_bank_passes_every_rule():
    assert all_problems(good_bank()) == []


def test_shape_rule_reports_missing_topic_fields_and_unknown_keys():
    def change(bank):
        del bank["topic"]["notes"]
        q(bank)["hint"] = "extra"
        del q(bank, 2)["explanation"]
        q(bank, 3)["id"] = "other-007"

    problems = rules.check_shape(broken(change), "sample-topic.yaml")
    assert_reports(
        problems,
        "topic.notes is missing",
        "sample-topic-001: unknown key 'hint'",
        "sample-topic-002: missing 'explanation'",
        "other-007: id should look like sample-topic-NNN",
    )
    assert rules.check_shape({"topic": {}}, "x.yaml")
    assert rules.check_shape(["not", "a", "mapping"], "x.yaml")


def test_notes_rule_reports_short_notes_without_heading():
    bank = broken(lambda b: b["topic"].update(notes="Too short to study from."))
    assert_reports(rules.check_notes(bank, "t.yaml"), "has 5 words", "no Markdown heading")
    long_notes = "## Notes\n" + "word " * 601
    bank = broken(lambda b: b["topic"].update(notes=long_notes))
    assert_reports(rules.check_notes(bank, "t.yaml"), "has 602 words")


def test_choices_rule_reports_a_five_choice_question():
    bank = broken(lambda b: q(b)["choices"].update(e="Write a letter to the board"))
    assert_reports(rules.check_choices(bank, "t.yaml"), "needs exactly 4 choices keyed a-d")


def test_choices_rule_reports_an_answer_that_is_not_a_choice():
    bank = broken(lambda b: q(b).update(answer="e"))
    assert_reports(
        rules.check_choices(bank, "t.yaml"),
        "has answer 'e', which is not one of its choice keys (a, b, c, d)",
    )


@pytest.mark.parametrize(
    "text",
    ["All of the above", "None of the above.", "Both a and b", "Both (A) and (C)", "a and c only"],
)
def test_choices_rule_reports_choices_that_lean_on_other_choices(text):
    bank = broken(lambda b: q(b)["choices"].update(d=text))
    assert_reports(rules.check_choices(bank, "t.yaml"), "choice d refers to other choices")


def test_choices_rule_reports_a_choice_that_combines_two_others():
    combined = "Handle it on her own to protect privacy, and stop all contact with the person"
    bank = broken(lambda b: q(b)["choices"].update(d=combined))
    assert_reports(rules.check_choices(bank, "t.yaml"), "choice d combines choices b and c")


def test_choices_rule_accepts_an_honest_both_and_choice():
    bank = broken(lambda b: q(b)["choices"].update(d="Both the client and her sponsor decide"))
    assert rules.check_choices(bank, "t.yaml") == []


def test_choices_rule_reports_two_identical_choices():
    bank = broken(lambda b: q(b)["choices"].update(d="handle it on her own, to protect privacy!"))
    assert_reports(
        rules.check_choices(bank, "t.yaml"),
        "sample-topic-001: has choices b and d with the same text; make each choice different",
    )


def test_explanation_rule_reports_an_explanation_of_10_words():
    short = "Consult your supervisor because it keeps the client safe always."
    bank = broken(lambda b: q(b).update(explanation=short))
    assert_reports(
        rules.check_explanation_length(bank, "t.yaml"),
        "sample-topic-001: explanation has 10 words, needs 40 to 120",
    )
    bank = broken(lambda b: q(b).update(explanation="word " * 121))
    assert_reports(rules.check_explanation_length(bank, "t.yaml"), "has 121 words")


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("explanation", EXPLANATION + " Option B is tempting but wrong."),
        ("explanation", EXPLANATION + " The answer is c."),
        ("explanation", EXPLANATION + " Choices a and d both fail."),
        ("stem", "Pick the best step (c) for Amara."),
    ],
)
def test_letter_rule_reports_references_to_choices_by_letter(field, text):
    bank = broken(lambda b: q(b).update({field: text}))
    assert_reports(rules.check_letter_references(bank, "t.yaml"), "refers to a choice by letter")


def test_letter_rule_ignores_ordinary_words_like_answer_a_question():
    stem = "How should Amara answer a client who asks for a loan, given the choice a peer made?"
    bank = broken(lambda b: q(b).update(stem=stem))
    assert rules.check_letter_references(bank, "t.yaml") == []


def test_kind_rule_reports_too_few_application_items_and_unknown_kinds_or_domains():
    def change(bank):
        for question in bank["questions"][:3]:
            question["kind"] = "recall"
        q(bank, 4)["kind"] = "scenario"
        q(bank, 4)["domain"] = "ethics"

    problems = rules.check_kinds_and_domains(broken(change), "t.yaml")
    assert_reports(
        problems,
        "only 0 of 4 questions (0%) are application items",
        "has unknown kind 'scenario'; use one of: recall, comprehension, application",
        "has unknown domain 'ethics'; use one of: advocacy,",
    )


def test_spread_rule_reports_all_a_answers():
    def change(bank):
        bank["questions"] = [good_question(n, "a") for n in range(1, 5)]

    problems = rules.check_answer_spread(broken(change), "t.yaml")
    assert_reports(
        problems,
        "answer a is correct in 4 of 4 questions (100%)",
        "answer b is correct in 0 of 4 questions (0%)",
    )


def test_length_rule_reports_a_correct_choice_that_is_usually_the_longest():
    def change(bank):
        for question in bank["questions"]:
            question["choices"][question["answer"]] = "Talk it through with her supervisor soon"

    problems = rules.check_choice_lengths(broken(change), "t.yaml")
    assert_reports(problems, "the correct choice is the longest in 4 of 4 questions (100%")


def test_length_rule_reports_a_correct_choice_far_longer_than_every_distractor():
    long_answer = "Talk it through with her supervisor before deciding anything about the fare"
    bank = broken(lambda b: q(b)["choices"].update(a=long_answer))
    assert_reports(
        rules.check_choice_lengths(bank, "t.yaml"),
        "sample-topic-001: correct choice is 1.92 x as long",
    )


def test_near_duplicate_rule_reports_two_near_identical_stems_in_one_topic():
    stem = STEMS[0].replace("Amara", "Beatriz").replace("peer centre", "recovery home")
    bank = broken(lambda b: q(b, 4).update(stem=stem))
    problems = rules.check_near_duplicate_stems({"t.yaml": bank})
    assert_reports(
        problems, "t.yaml: sample-topic-001: stem is a near-duplicate of t.yaml: sample-topic-004"
    )


def test_near_duplicate_rule_reports_a_stem_repeated_in_another_topic():
    other = good_bank("other-topic")
    q(other, 1)["stem"] = STEMS[2].replace("cousin", "nephew")
    q(other, 3)["stem"] = "Kofi notices a stranger filming a meeting. What should he do?"
    problems = rules.check_near_duplicate_stems({"t.yaml": good_bank(), "o.yaml": other})
    assert_reports(problems, "t.yaml: sample-topic-003: stem is a near-duplicate of o.yaml")
    assert rules.check_near_duplicate_stems({"o.yaml": other}, within=False) == []


def test_near_duplicate_rule_lets_different_scenarios_pass():
    assert rules.check_near_duplicate_stems({"t.yaml": good_bank()}) == []


ARTICLE = (
    "Sample article\n"
    "Let\u2019s face it: life is complex, and sometimes relationships blend\u2014maybe your "
    "client is also your neighbor or your friend\u2019s sibling.\n"
)


def test_overlap_rule_reports_a_stem_copied_from_an_article_sentence():
    copied = (
        "Lets face it - life is complex and sometimes relationships blend, maybe your client "
        "is also your neighbor. What should Amara do?"
    )
    bank = broken(lambda b: q(b).update(stem=copied))
    problems = rules.check_seed_overlap(bank, "t.yaml", {"000.txt": ARTICLE})
    assert_reports(
        problems,
        "sample-topic-001: stem shares 17 words with 000.txt: "
        '"lets face it life is complex and sometimes relationships blend maybe your client is '
        'also your neighbor"',
    )


def test_overlap_rule_reports_copied_notes_and_choices_but_not_a_nine_word_run():
    def change(bank):
        bank["topic"]["notes"] += "\nYour client is also your neighbor or your friend's sibling."
        q(bank)["choices"]["b"] = (
            "Sometimes relationships blend, maybe your client is also your cousin"
        )

    problems = rules.check_seed_overlap(broken(change), "t.yaml", {"000.txt": ARTICLE})
    assert_reports(problems, "topic: notes shares 10 words")
    assert not any("choice" in problem for problem in problems), problems  # only 9 words


def test_source_rule_reports_a_source_that_is_not_the_seed_title():
    bank = good_bank("dual-relationships")
    seeds = {rules.TOPIC_SEEDS["dual-relationships"]: "The real title\nBody."}
    assert_reports(rules.check_source_title(bank, "t.yaml", seeds), "should be the title")


def test_minimum_count_rule_reports_a_small_topic_and_thin_ethics_principles():
    assert_reports(
        rules.check_minimum_counts(good_bank("power-dynamics"), "p.yaml"),
        "power-dynamics has 4 questions, needs at least 30",
    )
    ethics = good_bank("ethics-principles")
    for question in ethics["questions"]:
        question["tags"] = ["confidentiality"]
    assert_reports(
        rules.check_minimum_counts(ethics, "e.yaml"),
        "needs at least 50",
        "principle tag 'integrity' is on 0 questions, needs at least 5",
    )
    assert rules.check_minimum_counts(good_bank(), "t.yaml") == []  # not an issue-3 topic


def test_all_banks_rule_reports_missing_topics_and_fewer_than_200_questions():
    problems = rules.check_all_banks({"a.yaml": good_bank("former-partners")})
    assert_reports(
        problems,
        "no bank for topic 'dual-relationships'",
        "4 questions in all, needs at least 200",
    )
    assert "former-partners" not in " ".join(p for p in problems if "no bank" in p)


def test_all_banks_rule_reports_a_question_id_used_in_two_files():
    problems = rules.check_all_banks({"a.yaml": good_bank(), "b.yaml": good_bank()})
    assert_reports(problems, "question id sample-topic-001 is used 2 times", "defined in 2 files")


COUNTS = {"dual-relationships": 40, "power-dynamics": 60}


def good_exams() -> dict[str, Any]:
    drills = [
        {
            "slug": f"drill-{slug}",
            "title": slug,
            "items": 20,
            "minutes": 24,
            "pass_mark": 68,
            "topics": {slug: 1},
        }
        for slug in COUNTS
    ]
    return {
        "exams": [
            {
                "slug": "full-mock",
                "title": "Full",
                "items": 100,
                "minutes": 120,
                "pass_mark": 68,
                "topics": {"dual-relationships": 40, "power-dynamics": 60},
            },
            {
                "slug": "mini-mock",
                "title": "Mini",
                "items": 25,
                "minutes": 30,
                "pass_mark": 68,
                "topics": "all",
            },
            *drills,
        ]
    }


def test_exams_rule_accepts_proportional_mocks_and_a_drill_per_topic():
    assert rules.check_exams(good_exams(), COUNTS) == []


def test_exams_rule_reports_wrong_mock_format_weights_and_missing_drills():
    exams = good_exams()
    full, mini = exams["exams"][0], exams["exams"][1]
    full.update(items=90, topics={"dual-relationships": 50, "power-dynamics": 50})
    mini.update(minutes=45)
    exams["exams"][2]["items"] = 10
    del exams["exams"][3]
    problems = rules.check_exams(exams, COUNTS, "exams.yaml")
    assert_reports(
        problems,
        "full-mock: items is 90, should be 100",
        "weight 50 for 'dual-relationships' is not proportional",
        "mini-mock: minutes is 45, should be 30",
        "no drill for topic 'dual-relationships'",
        "found drill-dual-relationships (10 items, 24 min)",
        "no drill for topic 'power-dynamics'",
    )


def test_exams_rule_reports_a_full_mock_that_leaves_a_topic_out():
    exams = good_exams()
    exams["exams"][0]["topics"] = {"power-dynamics": 100}
    assert_reports(rules.check_exams(exams, COUNTS), "topics leaves out dual-relationships")
    assert_reports(rules.check_exams({"exams": []}, COUNTS), "full-mock: no exam with this slug")


# --------------------------------------------------------------------------- seeds folder


def test_missing_seeds_folder_warns_loudly_and_skips_outside_ci(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(rules.SEEDS_ENV, str(tmp_path / "nowhere"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.warns(UserWarning, match="NOT run"), pytest.raises(pytest.skip.Exception) as skip:
        seeds_or_skip()
    assert "seeds folder not found" in str(skip.value)
    assert "seeds folder not found" in capsys.readouterr().err


def test_missing_seeds_folder_fails_when_ci_is_true(monkeypatch, tmp_path):
    monkeypatch.setenv(rules.SEEDS_ENV, str(tmp_path / "nowhere"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        seeds_or_skip()


def test_seeds_folder_can_be_overridden_by_environment(monkeypatch, tmp_path):
    (tmp_path / "000.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv(rules.SEEDS_ENV, str(tmp_path))
    assert seeds_or_skip() == {"000.txt": ARTICLE}


def test_check_bank_and_cli_read_a_file(monkeypatch, tmp_path, capsys):
    path: Path = tmp_path / "sample-topic.yaml"
    path.write_text(yaml.safe_dump(good_bank(), sort_keys=False), encoding="utf-8")
    monkeypatch.setenv(rules.SEEDS_ENV, str(tmp_path))
    (tmp_path / "000.txt").write_text(ARTICLE, encoding="utf-8")
    assert rules.check_bank(path) == []
    assert rules.main([str(path)]) == 0
    assert "4 questions; kinds application 3 (75%)" in capsys.readouterr().out

    bank = broken(lambda b: q(b).update(explanation="Too short."))
    path.write_text(yaml.safe_dump(bank, sort_keys=False), encoding="utf-8")
    assert rules.main([str(path)]) == 1
    assert "explanation has 2 words" in capsys.readouterr().out
