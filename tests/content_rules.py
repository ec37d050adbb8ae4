"""Quality rules for the CRSS Prep question banks (content/<topic-slug>.yaml).

No database: stdlib, PyYAML and the app's ``quizzes.question_rules``, whose vocabularies
(kinds, domains, statuses, choice keys, the slug format) and words these checks share. Our
banks hold a stricter standard than the app's rules: exactly four choices a-d where the app
allows 2 to 6 keyed a-f, an explanation of 40 to 120 words on every question, and so on. Every
rule takes parsed data (dicts) plus a display name and
returns a list of human-readable problems, ``"<file>: <question id>: <what is wrong>"``, so
tests can feed it hand-made banks. ``check_bank(path)`` runs every per-file rule on one file.

Command line::

    .venv/bin/python tests/content_rules.py FILE...   # these files (exams.yaml as exams)
    .venv/bin/python tests/content_rules.py           # all of content/, plus all-banks rules

Prints every problem and exits 1 if there are any; prints a one-line summary per file.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script, not as ``tests.content_rules``
    sys.path.insert(0, str(REPO))

from quizzes import question_rules as app_rules  # noqa: E402
from quizzes.authoring.lint_text import seed_index, shared_runs, words  # noqa: E402

CONTENT_DIR = REPO / "content"
EXAMS_FILE = "exams.yaml"
SEEDS_ENV = "CRSS_SEEDS_DIR"

Bank = Mapping[str, Any]

KINDS = app_rules.KINDS
DOMAINS = app_rules.DOMAINS
# Our banks' standard, not the app's rule (2 to 6 choices keyed a to f): four choices, a-d.
LETTERS = tuple(app_rules.CHOICE_KEYS[:4])
INACTIVE_STATUSES = (app_rules.Status.DRAFT.value, app_rules.Status.RETIRED.value)
TOPIC_KEYS = ("slug", "title", "source", "notes")
QUESTION_REQUIRED = ("id", "kind", "domain", "stem", "choices", "answer", "explanation")
QUESTION_ALLOWED = (*QUESTION_REQUIRED, "tags", "status")

NOTES_WORDS = (250, 600)
EXPLANATION_WORDS = (40, 120)
MIN_APPLICATION_SHARE = 0.50
LETTER_SHARE = (0.18, 0.32)
MAX_LONGEST_CORRECT_SHARE = 0.35
MAX_CORRECT_LENGTH_RATIO = 1.6
SHINGLE_SIZE = 3
MAX_SHINGLE_JACCARD = 0.5
MAX_SEQUENCE_RATIO = 0.85
SEED_RUN_WORDS = 10

# Issue 3: topic slug -> (seed file, minimum question count).
TOPIC_SEEDS = {
    "dual-relationships": "000_8d00e6f9e55f9cfe.txt",
    "professional-boundaries": "001_2a7defa06577b349.txt",
    "former-partners": "002_f109f14c455fb30d.txt",
    "power-dynamics": "003_64255009a7454eac.txt",
    "ethics-principles": "004_347c4d13e0ba5cd0.txt",
}
MIN_QUESTIONS = {
    "dual-relationships": 30,
    "professional-boundaries": 30,
    "former-partners": 30,
    "power-dynamics": 30,
    "ethics-principles": 50,
}
ETHICS_TOPIC = "ethics-principles"
ETHICS_TAGS = (
    "confidentiality",
    "professional-boundaries",
    "competence",
    "cultural-sensitivity",
    "informed-consent",
    "non-discrimination",
    "integrity",
    "client-welfare-advocacy",
)
MIN_PER_ETHICS_TAG = 5
MIN_TOTAL_QUESTIONS = 200

# exams.yaml: slug -> (items, minutes, pass mark).
FULL_MOCK = ("full-mock", 100, 120, 68)
MINI_MOCK = ("mini-mock", 25, 30, 68)
DRILL_ITEMS, DRILL_MINUTES = 20, 24

# Choices that lean on the other choices ("all of the above", "both a and b", ...).
BANNED_CHOICE = re.compile(
    r"\b(?:all|none|any|both|neither)\s+of\s+(?:the\s+)?(?:above|these|those|answers|options"
    r"|choices)\b"
    r"|\b(?:both|neither|either)\s+\(?[a-d]\)?\s*(?:,|and|&|nor|or)\s*\(?[a-d]\)?(?![\w'])"
    r"|^\s*\(?[a-d]\)?\s*(?:,|and|&|or)\s*\(?[a-d]\)?(?:\s+only)?\W*$"
    r"|\ball\s+(?:the\s+)?(?:answers|options|choices)\b",
    re.IGNORECASE,
)
# "option b", "choices b and d", "the answer is c", "(a)"; a lone lowercase "a" after
# option/choice/answer is only a reference when punctuation or a verb like "is" follows,
# so that "answer a question" is not flagged.
LETTER_REFERENCE = re.compile(
    r"\b(?i:option|choice|answer|letter)s?\s+(?i:is\s+)?"
    r"(?:\(?[b-dB-D]\)?(?![\w'])|\(?A\)?(?![\w'])|\(a\)"
    r"|a(?=\s*(?:[.,;:!?)]|$|\s(?:is|was|and|or|would|because|seems)\b)))"
    r"|\((?i:[a-d])\)",
    re.MULTILINE,
)
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)
SLUG = app_rules.SLUG_RE



# --------------------------------------------------------------------------- helpers


def word_count(text: Any) -> int:
    """Words as the brief counts them: ``len(text.split())``."""
    return len(str(text or "").split())


def questions(bank: Bank) -> list[Mapping[str, Any]]:
    """The question mappings of a bank (anything malformed is left to the shape rule)."""
    items = bank.get("questions") if isinstance(bank, Mapping) else None
    if not isinstance(items, list):
        return []
    return [q for q in items if isinstance(q, Mapping)]


def pool(bank: Bank) -> list[Mapping[str, Any]]:
    """Questions that count towards the pool (not draft or retired)."""
    return [q for q in questions(bank) if q.get("status") not in INACTIVE_STATUSES]


def topic_slug(bank: Bank) -> str:
    topic = bank.get("topic") if isinstance(bank, Mapping) else None
    return str(topic.get("slug", "")) if isinstance(topic, Mapping) else ""


def qid(question: Mapping[str, Any], index: int | None = None) -> str:
    """The question's id, or its position when the id is missing."""
    value = question.get("id")
    if value:
        return str(value)
    return f"question #{index + 1}" if index is not None else "question without id"


def choice_texts(question: Mapping[str, Any]) -> dict[str, str]:
    """Choice key -> text; a choice may be a plain string or a mapping with ``text``."""
    choices = question.get("choices")
    if not isinstance(choices, Mapping):
        return {}
    texts = {}
    for key, value in choices.items():
        if isinstance(value, Mapping):
            value = value.get("text", "")
        texts[str(key)] = "" if value is None else str(value).strip()
    return texts


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _issue(name: str, question: Mapping[str, Any], index: int, message: str) -> str:
    return f"{name}: {qid(question, index)}: {message}"


# --------------------------------------------------------------------------- per-file rules


def check_shape(bank: Any, name: str) -> list[str]:
    """Top level is ``topic`` (slug/title/source/notes) and a non-empty ``questions`` list."""
    if not isinstance(bank, Mapping):
        return [f"{name}: the file is not a mapping with 'topic' and 'questions'"]
    problems = [
        f"{name}: unknown top-level key {key!r}"
        for key in bank
        if key not in ("topic", "questions")
    ]
    topic = bank.get("topic")
    if not isinstance(topic, Mapping):
        problems.append(f"{name}: 'topic' is missing or not a mapping")
    else:
        for key in TOPIC_KEYS:
            if not isinstance(topic.get(key), str) or not topic[key].strip():
                problems.append(f"{name}: topic.{key} is missing or blank")
        slug = topic.get("slug")
        if isinstance(slug, str) and not SLUG.match(slug):
            problems.append(f"{name}: topic.slug {slug!r} is not a lowercase-hyphen slug")
        stem = Path(name).stem
        if isinstance(slug, str) and Path(name).suffix in (".yaml", ".yml") and stem != slug:
            problems.append(f"{name}: file name should be {slug}.yaml to match topic.slug")
    items = bank.get("questions")
    if not isinstance(items, list) or not items:
        problems.append(f"{name}: 'questions' is missing, empty or not a list")
        return problems
    slug = topic_slug(bank)
    seen: Counter[str] = Counter()
    for index, question in enumerate(items):
        if not isinstance(question, Mapping):
            problems.append(f"{name}: question #{index + 1}: is not a mapping")
            continue
        for key in QUESTION_REQUIRED:
            if key not in question or question[key] in (None, ""):
                problems.append(_issue(name, question, index, f"missing {key!r}"))
        for key in question:
            if key not in QUESTION_ALLOWED:
                problems.append(_issue(name, question, index, f"unknown key {key!r}"))
        ident = question.get("id")
        if ident:
            seen[str(ident)] += 1
            if slug and not re.fullmatch(rf"{re.escape(slug)}-\d{{3}}", str(ident)):
                problems.append(_issue(name, question, index, f"id should look like {slug}-NNN"))
        tags = question.get("tags")
        tags_ok = isinstance(tags, list) and all(
            isinstance(tag, str) and SLUG.match(tag) for tag in tags
        )
        if tags is not None and not tags_ok:
            problems.append(_issue(name, question, index, "tags must be a list of slugs"))
    problems += [f"{name}: {ident}: id is used {n} times" for ident, n in seen.items() if n > 1]
    return problems


def check_notes(bank: Bank, name: str) -> list[str]:
    """Study notes: 250 to 600 words (tokens with a letter or digit) and a Markdown heading."""
    topic = bank.get("topic") if isinstance(bank, Mapping) else None
    notes = topic.get("notes") if isinstance(topic, Mapping) else None
    if not isinstance(notes, str) or not notes.strip():
        return [f"{name}: topic.notes is missing"]
    problems = []
    count = sum(1 for token in notes.split() if re.search(r"[^\W_]", token))
    low, high = NOTES_WORDS
    if not low <= count <= high:
        problems.append(f"{name}: topic.notes has {count} words, needs {low} to {high}")
    if not HEADING.search(notes):
        problems.append(f"{name}: topic.notes has no Markdown heading (## ...)")
    return problems


def check_choices(bank: Bank, name: str) -> list[str]:
    """Exactly choices a-d, answer among them, no 'all of the above'-style, combined or
    repeated choices."""
    problems = []
    for index, question in enumerate(questions(bank)):
        texts = choice_texts(question)
        plain = {key: f" {' '.join(words(text))} " for key, text in texts.items() if text}
        messages = []
        if sorted(texts) != list(LETTERS):
            keys = ", ".join(sorted(texts)) or "none"
            messages.append(f"needs exactly 4 choices keyed a-d, has: {keys}")
        answer_problem = app_rules.answer_problem(str(question.get("answer")), list(texts))
        if answer_problem:
            messages.append(answer_problem)
        for key, text in texts.items():
            inside = [
                other for other in plain if other != key and plain[other] in plain.get(key, "")
            ]
            if not text:
                messages.append(f"choice {key} is blank")
            elif BANNED_CHOICE.search(text):
                messages.append(f"choice {key} refers to other choices: {text!r}")
            elif len(inside) >= 2:
                messages.append(f"choice {key} combines choices {' and '.join(inside)}")
        # Stricter than the app's "same after case-folding": punctuation and quotes count too.
        filled = [(key, text) for key, text in texts.items() if text]
        for keys in app_rules.identical_choice_groups(filled, same=lambda t: " ".join(words(t))):
            messages.append(app_rules.identical_choices_problem(sorted(keys)))
        problems += [_issue(name, question, index, message) for message in messages]
    return problems


def check_explanation_length(bank: Bank, name: str) -> list[str]:
    """Every explanation is 40 to 120 words (``len(text.split())``)."""
    low, high = EXPLANATION_WORDS
    problems = []
    for index, question in enumerate(questions(bank)):
        count = word_count(question.get("explanation"))
        if not low <= count <= high:
            problems.append(
                _issue(
                    name, question, index, f"explanation has {count} words, needs {low} to {high}"
                )
            )
    return problems


def check_letter_references(bank: Bank, name: str) -> list[str]:
    """No stem, explanation or choice names a choice by letter (choices are shuffled)."""
    problems = []
    for index, question in enumerate(questions(bank)):
        fields = {"stem": question.get("stem"), "explanation": question.get("explanation")}
        fields |= {f"choice {key}": text for key, text in choice_texts(question).items()}
        for field, text in fields.items():
            match = LETTER_REFERENCE.search(str(text or ""))
            if match:
                problems.append(
                    _issue(
                        name,
                        question,
                        index,
                        f"{field} refers to a choice by letter: {match.group()!r}",
                    )
                )
    return problems


def check_kinds_and_domains(bank: Bank, name: str) -> list[str]:
    """Kinds and domains come from the allowed sets; at least half the items are application."""
    problems = []
    for index, question in enumerate(questions(bank)):
        for field, allowed in (("kind", KINDS), ("domain", DOMAINS)):
            problem = app_rules.unknown_value_problem(field, str(question.get(field)), allowed)
            if problem:
                problems.append(_issue(name, question, index, problem))
    items = pool(bank)
    applied = sum(1 for q in items if q.get("kind") == "application")
    if items and applied < MIN_APPLICATION_SHARE * len(items):
        problems.append(
            f"{name}: only {applied} of {len(items)} questions ({percent(applied, len(items))}) "
            f"are application items, needs at least {MIN_APPLICATION_SHARE:.0%}"
        )
    return problems


def check_answer_spread(bank: Bank, name: str) -> list[str]:
    """Each of a-d is the correct answer in 18 % to 32 % of the topic's questions."""
    items = pool(bank)
    if not items:
        return []
    counts = Counter(str(q.get("answer")) for q in items)
    low, high = LETTER_SHARE
    problems = []
    for letter in LETTERS:
        n = counts[letter]
        if not low * len(items) <= n <= high * len(items):
            problems.append(
                f"{name}: answer {letter} is correct in {n} of {len(items)} questions "
                f"({percent(n, len(items))}), needs {low:.0%} to {high:.0%}"
            )
    return problems


def correct_is_longest(question: Mapping[str, Any]) -> bool:
    """Whether the correct choice is strictly longer (in characters) than every distractor."""
    texts = choice_texts(question)
    answer = str(question.get("answer"))
    if answer not in texts or len(texts) < 2:
        return False
    return all(len(texts[answer]) > len(text) for key, text in texts.items() if key != answer)


def check_choice_lengths(bank: Bank, name: str) -> list[str]:
    """The correct choice is strictly longest in <= 35 % of questions, and never > 1.6 x the
    longest distractor."""
    problems = []
    for index, question in enumerate(questions(bank)):
        texts = choice_texts(question)
        answer = str(question.get("answer"))
        others = [len(text) for key, text in texts.items() if key != answer]
        if answer in texts and others and max(others):
            ratio = len(texts[answer]) / max(others)
            if ratio > MAX_CORRECT_LENGTH_RATIO:
                problems.append(
                    _issue(
                        name,
                        question,
                        index,
                        f"correct choice is {ratio:.2f} x as long as the longest distractor "
                        f"(max {MAX_CORRECT_LENGTH_RATIO})",
                    )
                )
    items = pool(bank)
    longest = sum(1 for q in items if correct_is_longest(q))
    if items and longest > MAX_LONGEST_CORRECT_SHARE * len(items):
        ids = ", ".join(qid(q) for q in items if correct_is_longest(q))
        problems.append(
            f"{name}: the correct choice is the longest in {longest} of {len(items)} questions "
            f"({percent(longest, len(items))}, max {MAX_LONGEST_CORRECT_SHARE:.0%}): {ids}"
        )
    return problems


def check_minimum_counts(bank: Bank, name: str) -> list[str]:
    """Issue 3 minimum question counts per topic, and 5+ questions per ethics principle tag."""
    slug = topic_slug(bank)
    items = pool(bank)
    problems = []
    minimum = MIN_QUESTIONS.get(slug)
    if minimum is not None and len(items) < minimum:
        problems.append(f"{name}: {slug} has {len(items)} questions, needs at least {minimum}")
    if slug == ETHICS_TOPIC:
        tags = Counter(tag for q in items if isinstance(q.get("tags"), list) for tag in q["tags"])
        for tag in ETHICS_TAGS:
            if tags[tag] < MIN_PER_ETHICS_TAG:
                problems.append(
                    f"{name}: principle tag {tag!r} is on {tags[tag]} questions, "
                    f"needs at least {MIN_PER_ETHICS_TAG}"
                )
    return problems


# --------------------------------------------------------------------------- near duplicates


def shingles(tokens: Sequence[str], size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """Word n-grams of a token list (the whole list if it is shorter than ``size``)."""
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def check_near_duplicate_stems(banks: Mapping[str, Bank], *, within: bool = True) -> list[str]:
    """Pairs of near-duplicate stems (word 3-gram Jaccard >= 0.5 or SequenceMatcher ratio
    >= 0.85) within a topic and across topics; ``within=False`` compares across files only."""
    entries = []
    for name, bank in banks.items():
        for index, question in enumerate(questions(bank)):
            tokens = words(question.get("stem") or "")
            if tokens:
                entries.append((name, qid(question, index), tokens, shingles(tokens)))
    problems = []
    for (name_a, id_a, a, sa), (name_b, id_b, b, sb) in combinations(entries, 2):
        if not within and name_a == name_b:
            continue
        jaccard = len(sa & sb) / len(sa | sb)
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        if jaccard < MAX_SHINGLE_JACCARD and (
            matcher.real_quick_ratio() < MAX_SEQUENCE_RATIO
            or matcher.quick_ratio() < MAX_SEQUENCE_RATIO
        ):
            continue  # cheap upper bounds already rule the pair out
        ratio = matcher.ratio()
        if jaccard >= MAX_SHINGLE_JACCARD or ratio >= MAX_SEQUENCE_RATIO:
            problems.append(
                f"{name_a}: {id_a}: stem is a near-duplicate of {name_b}: {id_b} "
                f"(3-gram Jaccard {jaccard:.2f}, sequence ratio {ratio:.2f})"
            )
    return problems


# --------------------------------------------------------------------------- seed articles


def find_seeds_dir() -> Path | None:
    """``$CRSS_SEEDS_DIR`` if set, else ``<repo>/../shared/seeds``; None unless it is a folder
    holding at least one ``.txt`` article."""
    override = os.environ.get(SEEDS_ENV)
    path = Path(override) if override else REPO.parent / "shared" / "seeds"
    return path if path.is_dir() and any(path.glob("*.txt")) else None


def seeds_location() -> str:
    """Where the seeds folder is looked for (for messages)."""
    return os.environ.get(SEEDS_ENV) or str(REPO.parent / "shared" / "seeds")


def load_seeds(folder: Path) -> dict[str, str]:
    """Seed file name -> article text."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


def text_fields(bank: Bank) -> Iterator[tuple[str, str]]:
    """(label, text) for the notes and every stem, choice and explanation of a bank."""
    topic = bank.get("topic") if isinstance(bank, Mapping) else None
    if isinstance(topic, Mapping) and topic.get("notes"):
        yield "topic: notes", str(topic["notes"])
    for index, question in enumerate(questions(bank)):
        label = qid(question, index)
        for field in ("stem", "explanation"):
            if question.get(field):
                yield f"{label}: {field}", str(question[field])
        for key, text in choice_texts(question).items():
            yield f"{label}: choice {key}", text


def check_seed_overlap(bank: Bank, name: str, seeds: Mapping[str, str]) -> list[str]:
    """No run of 10+ consecutive normalised words in notes, stems, choices or explanations
    is shared with a seed article."""
    index = seed_index(seeds, SEED_RUN_WORDS)
    return [
        f'{name}: {label} shares {len(run.split())} words with {seed}: "{run}"'
        for label, text in text_fields(bank)
        for seed, run in shared_runs(text, index, SEED_RUN_WORDS)
    ]


def check_source_title(bank: Bank, name: str, seeds: Mapping[str, str]) -> list[str]:
    """topic.source is exactly the title (first line) of the topic's seed article."""
    slug = topic_slug(bank)
    seed = TOPIC_SEEDS.get(slug)
    if seed is None or seed not in seeds:
        return []
    title = seeds[seed].strip().splitlines()[0].strip()
    source = bank["topic"].get("source")
    if source != title:
        return [f"{name}: topic.source should be the title of {seed}: {title!r}, not {source!r}"]
    return []


# --------------------------------------------------------------------------- all banks, exams


def check_all_banks(banks: Mapping[str, Bank]) -> list[str]:
    """Across all topic files: every issue-3 topic present, slugs and ids unique, 200+ questions."""
    problems = []
    slugs = Counter(topic_slug(bank) for bank in banks.values())
    problems += [
        f"all banks: no bank for topic {slug!r}" for slug in MIN_QUESTIONS if slug not in slugs
    ]
    problems += [
        f"all banks: topic {slug!r} is defined in {n} files"
        for slug, n in slugs.items()
        if slug and n > 1
    ]
    ids = Counter(
        str(q.get("id")) for bank in banks.values() for q in questions(bank) if q.get("id")
    )
    problems += [
        f"all banks: question id {ident} is used {n} times" for ident, n in ids.items() if n > 1
    ]
    total = sum(len(pool(bank)) for bank in banks.values())
    if total < MIN_TOTAL_QUESTIONS:
        problems.append(
            f"all banks: {total} questions in all, needs at least {MIN_TOTAL_QUESTIONS}"
        )
    return problems


def topic_counts(banks: Iterable[Bank]) -> dict[str, int]:
    """Topic slug -> number of pool questions."""
    return {topic_slug(bank): len(pool(bank)) for bank in banks if topic_slug(bank)}


def _check_weights(
    label: str, topics: Any, counts: Mapping[str, int], scale: int | None
) -> list[str]:
    """``topics`` is ``all`` or maps every topic to a weight proportional to its size (within
    1 of count * scale / total; ``scale`` None means the weights' own sum)."""
    if topics == "all":
        return []
    if not isinstance(topics, Mapping):
        return [f"{label}: topics must be 'all' or a mapping of every topic to a weight"]
    problems = []
    for slug, weight in topics.items():
        if slug not in counts:
            problems.append(f"{label}: topics names unknown topic {slug!r}")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
            problems.append(f"{label}: weight of {slug!r} must be a positive integer")
    missing = sorted(set(counts) - set(topics))
    if missing:
        problems.append(f"{label}: topics leaves out {', '.join(missing)}")
    total = sum(counts.values())
    weights = [w for w in topics.values() if isinstance(w, int)]
    scale = scale if scale is not None else sum(weights)
    for slug, count in counts.items():
        weight = topics.get(slug)
        if total and isinstance(weight, int) and abs(weight - count * scale / total) > 1:
            problems.append(
                f"{label}: weight {weight} for {slug!r} is not proportional to its {count} of "
                f"{total} questions (expected {count * scale / total:.1f} +/- 1)"
            )
    return problems


def check_exams(data: Any, counts: Mapping[str, int], name: str = EXAMS_FILE) -> list[str]:
    """exams.yaml: full mock (100 items, 120 min, pass 68, proportional topics), mini mock
    (25, 30, 68) and a drill per topic (20 items, 24 min, only that topic)."""
    exams = data.get("exams") if isinstance(data, Mapping) else None
    if not isinstance(exams, list):
        return [f"{name}: needs a top-level 'exams' list"]
    exams = [e for e in exams if isinstance(e, Mapping)]
    by_slug = {e.get("slug"): e for e in exams}
    problems = []
    for (slug, items, minutes, pass_mark), scale in ((FULL_MOCK, 100), (MINI_MOCK, None)):
        exam = by_slug.get(slug)
        label = f"{name}: {slug}"
        if exam is None:
            problems.append(f"{label}: no exam with this slug")
            continue
        for key, expected in (("items", items), ("minutes", minutes), ("pass_mark", pass_mark)):
            if exam.get(key) != expected:
                problems.append(f"{label}: {key} is {exam.get(key)!r}, should be {expected}")
        if exam.get("selection", "weighted") != "weighted":
            problems.append(f"{label}: selection should be weighted (the default)")
        problems += _check_weights(label, exam.get("topics"), counts, scale)
    for slug in counts:
        drills = [
            e
            for e in exams
            if isinstance(e.get("topics"), Mapping)
            and list(e["topics"]) == [slug]
            and e.get("selection", "weighted") == "weighted"
        ]
        good = [
            e for e in drills if e.get("items") == DRILL_ITEMS and e.get("minutes") == DRILL_MINUTES
        ]
        if not good:
            found = ", ".join(
                f"{e.get('slug')} ({e.get('items')} items, {e.get('minutes')} min)" for e in drills
            )
            problems.append(
                f"{name}: no drill for topic {slug!r} ({DRILL_ITEMS} items, {DRILL_MINUTES} "
                f"minutes, topics naming only {slug})" + (f"; found {found}" if found else "")
            )
    return problems


# --------------------------------------------------------------------------- files and CLI

PER_FILE_RULES = (
    check_shape,
    check_notes,
    check_choices,
    check_explanation_length,
    check_letter_references,
    check_kinds_and_domains,
    check_answer_spread,
    check_choice_lengths,
    check_minimum_counts,
)


def load_yaml(path: str | Path) -> Any:
    """Parse one YAML file (raises yaml.YAMLError / OSError)."""
    with open(path, encoding="utf-8-sig") as handle:
        return yaml.safe_load(handle)


def seeds_missing_message() -> str:
    return (
        f"!! seeds folder not found (or holds no .txt articles) at {seeds_location()} "
        f"(set {SEEDS_ENV}): the 10-word "
        f"overlap check against the source articles was NOT run"
    )


def ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def check_data(bank: Any, name: str, seeds: Mapping[str, str] | None) -> list[str]:
    """Every per-file rule on parsed data; seed rules only when ``seeds`` is given."""
    problems = check_shape(bank, name)
    if not isinstance(bank, Mapping):
        return problems
    for rule in PER_FILE_RULES[1:]:
        problems += rule(bank, name)
    problems += check_near_duplicate_stems({name: bank})
    if seeds is not None:
        problems += check_seed_overlap(bank, name, seeds)
        problems += check_source_title(bank, name, seeds)
    return problems


def check_bank(path: str | Path, seeds: Mapping[str, str] | None = None) -> list[str]:
    """All per-file rules on one topic file, including near-duplicates within it and the
    10-word overlap with the seeds (found with ``find_seeds_dir`` unless given). A missing
    seeds folder prints a warning to stderr, and is a problem when CI=true."""
    name = str(path)
    try:
        bank = load_yaml(path)
    except (OSError, yaml.YAMLError) as error:
        return [f"{name}: cannot read: {error}"]
    problems = []
    if seeds is None:
        folder = find_seeds_dir()
        if folder is None:
            print(seeds_missing_message(), file=sys.stderr)
            if ci():
                problems.append(f"{name}: {seeds_missing_message()} (CI=true)")
        else:
            seeds = load_seeds(folder)
    return problems + check_data(bank, name, seeds)


def summary(bank: Bank, name: str) -> str:
    """One line: question count, kinds, domains, answer spread, correct-is-longest share."""
    items = pool(bank)
    n = len(items)
    kinds = Counter(str(q.get("kind")) for q in items)
    domains = Counter(str(q.get("domain")) for q in items)
    answers = Counter(str(q.get("answer")) for q in items)
    longest = sum(1 for q in items if correct_is_longest(q))
    return (
        f"{name}: {n} questions; kinds "
        + ", ".join(f"{k} {v} ({percent(v, n)})" for k, v in kinds.most_common())
        + "; domains "
        + ", ".join(f"{k} {v}" for k, v in domains.most_common())
        + "; answers "
        + " ".join(
            f"{letter}={answers[letter]} ({percent(answers[letter], n)})" for letter in LETTERS
        )
        + f"; correct choice longest in {percent(longest, n)}"
    )


def topic_files(folder: Path) -> list[Path]:
    """The topic banks in a content folder (everything but exams.yaml)."""
    return sorted(p for p in folder.glob("*.yaml") if p.name != EXAMS_FILE)


def _load_quietly(path: Path) -> Any:
    try:
        return load_yaml(path)
    except (OSError, yaml.YAMLError):
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="topic banks or exams.yaml (default: everything in content/)",
    )
    args = parser.parse_args(argv)
    everything = not args.files
    paths = args.files or [*topic_files(CONTENT_DIR), CONTENT_DIR / EXAMS_FILE]

    folder = find_seeds_dir()
    seeds = load_seeds(folder) if folder else None
    problems, summaries, banks = [], [], {}
    if folder is None:
        print(seeds_missing_message(), file=sys.stderr)
        if ci():
            problems.append(f"{seeds_missing_message()} (CI=true)")
    for path in paths:
        name = str(path)
        if path.name == EXAMS_FILE:
            continue
        try:
            bank = load_yaml(path)
        except (OSError, yaml.YAMLError) as error:
            problems.append(f"{name}: cannot read: {error}")
            continue
        problems += check_data(bank, name, seeds)
        if isinstance(bank, Mapping):
            banks[name] = bank
            summaries.append(summary(bank, name))
    if len(banks) > 1:  # pairs within one file were reported with that file
        problems += check_near_duplicate_stems(banks, within=False)
    if everything:
        problems += check_all_banks(banks)
    for path in paths:
        if path.name != EXAMS_FILE:
            continue
        try:
            data = load_yaml(path)
        except (OSError, yaml.YAMLError) as error:
            problems.append(f"{path}: cannot read: {error}")
            continue
        siblings = [_load_quietly(p) for p in topic_files(path.parent)]
        problems += check_exams(
            data, topic_counts(b for b in siblings if isinstance(b, Mapping)), str(path)
        )
        exams = data.get("exams") if isinstance(data, Mapping) else None
        if isinstance(exams, list):
            slugs = ", ".join(str(e.get("slug")) for e in exams if isinstance(e, Mapping))
            summaries.append(f"{path}: {len(exams)} exams: {slugs}")

    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problem(s).", file=sys.stderr)
    for line in summaries:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
