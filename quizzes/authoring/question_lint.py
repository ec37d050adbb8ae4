"""Item-writing flaws of multiple-choice questions (issue 16): what lets a candidate answer
without knowing the material. Pure: plain question data in, flags out; no database.

Per question (``code``: rule):

- ``key-longest``: the key is at least 1.3 times as long (in characters) as the longest
  distractor. ``key-shortest``: the key is at most 0.7 times as long as the shortest one.
- ``absolutes-in-distractors``, ``excuses-in-distractors``, ``secrecy-in-distractors``: the
  key has no absolute word (always, never, only, must, all...), no excuse or reason
  (because, since, as long as, if they...), or no secrecy word (quietly, without telling...)
  while two or more distractors do: the pattern a guesser exploits by elimination. One
  distractor with "always" is not flagged; the guesser's score (below) covers the rest.
- ``stem-key-cue``: a content word (5+ letters, not a number nor a common word of
  ``lint_text.COMMON_TEXT``) is in the stem and in the key and in no distractor (compared
  after folding case, possessives and the endings -s, -es, -ed, -ing).
- ``all-none-above``: a choice is "all/none of the above", "both a and b" and the like.
- ``stem-names-source``: the stem names the article, passage, reading, text, author or writer
  ("the article", "according to the text"...), which candidates never see.
- ``stem-not-a-question``: the stem holds no "?" and does not end with ":" (an explicit
  instruction such as "Complete the sentence:" is accepted).
- ``near-duplicate``: the stem is a near-duplicate of another question's stem in the pool:
  word 3-gram Jaccard >= 0.5 or difflib sequence ratio >= 0.85 (the rules of the content
  tests). Both questions of a pair are flagged, each naming the other.
- ``similar-scenario``: the stem tells the same scenario as a stem of another topic, in
  other words: the two share 3 or more rare scenario words (4+ letters, not common, used by
  at most 3 stems of the pool), such as a name, "mechanic" and "free". Within one topic a
  scenario may carry several questions; across topics it may not. Both are flagged.
- ``seed-copy``: 8 or more consecutive words (folded as above, punctuation ignored) of the
  stem, a choice or the explanation appear in a seed article.

The pool's score for the test-wise guesser of ``question_guesser`` is reported alongside:
information, not a flag.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from quizzes.authoring.lint_text import (
    StemShape,
    content_words,
    near_duplicate,
    shared_rare_words,
    shared_runs,
    stem_frequencies,
    stem_shape,
)
from quizzes.authoring.question_guesser import (
    ABSOLUTE,
    EXCUSE,
    SECRECY,
    GuesserScore,
    guess,
    guesser_score,
)

LONGEST_RATIO = 1.3
SHORTEST_RATIO = 0.7
MIN_DISTRACTORS_WITH_CUE = 2

KEY_LONGEST = "the key is {ratio:.1f}x as long as the longest distractor (limit {limit}x)"
KEY_SHORTEST = "the key is {ratio:.1f}x as long as the shortest distractor (limit {limit}x)"
CUES_IN_DISTRACTORS = "{what} appear in distractors {keys} but not in the key ({words})"
STEM_KEY_CUE = "the stem and only the key share the word(s) {words}"
ALL_NONE_ABOVE = "choice {key} leans on the other choices: {text!r}"
STEM_NAMES_SOURCE = "the stem names its source ({words!r}); stems must stand alone"
STEM_NOT_A_QUESTION = "the stem asks no question (no '?', and it does not end with ':')"
NEAR_DUPLICATE = (
    "the stem is a near-duplicate of {other} (3-gram Jaccard {jaccard:.2f}, "
    "sequence ratio {ratio:.2f})"
)
SIMILAR_SCENARIO = "the scenario resembles {other} of topic {topic}: both stems use {words}"
SEED_COPY = "the {where} shares {count} consecutive words with seed {seed}: {run!r}"

BANNED_CHOICE = re.compile(
    r"\b(?:all|none|any|both|neither)\s+of\s+(?:the\s+)?(?:above|below|these|those|answers"
    r"|options|choices)\b"
    r"|\b(?:both|neither|either)\s+\(?[a-f]\)?\s*(?:,|and|&|nor|or)\s*\(?[a-f]\)?(?![\w'])"
    r"|^\s*\(?[a-f]\)?\s*(?:,|and|&|or)\s*\(?[a-f]\)?(?:\s+only)?\W*$"
    r"|\ball\s+(?:the\s+)?(?:answers|options|choices)\b",
    re.IGNORECASE,
)
SOURCE_NAMED = re.compile(
    r"\b(?:the|this|that)\s+(?:article|passage|reading|author|writer)s?\b"
    r"|\b(?:according\s+to|in|from|by)\s+(?:the|this)\s+text\b(?!\s+messages?)"
    r"|\bthe\s+text\s+(?:says|states|describes|explains|argues|suggests|claims)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LintQuestion:
    """The plain data of one question; ``place`` is ``path:line`` (or empty)."""

    id: str
    stem: str
    choices: Mapping[str, str]
    answer: str
    explanation: str = ""
    kind: str = ""
    domain: str = ""
    topic: str = ""
    published: bool = True
    place: str = ""


@dataclass(frozen=True)
class Flag:
    """One item-writing flaw of one question."""

    question_id: str
    code: str
    message: str
    place: str = ""

    def __str__(self) -> str:
        prefix = f"{self.place}: " if self.place else ""
        return f"{prefix}{self.question_id}: {self.code}: {self.message}"


@dataclass(frozen=True)
class LintReport:
    """Every flag of a pool, and its guesser's score."""

    flags: tuple[Flag, ...]
    guesser: GuesserScore
    guessed: frozenset[str] = field(default_factory=frozenset)  # ids the guesser gets right


# --------------------------------------------------------------------------- one question


def check_length(question: LintQuestion) -> list[tuple[str, str]]:
    """The key far longer than the longest distractor, or far shorter than the shortest."""
    key = question.choices.get(question.answer)
    others = [len(t.strip()) for k, t in question.choices.items() if k != question.answer]
    if key is None or not others or min(others) == 0:
        return []
    length = len(key.strip())
    if length >= LONGEST_RATIO * max(others):
        ratio = length / max(others)
        return [("key-longest", KEY_LONGEST.format(ratio=ratio, limit=LONGEST_RATIO))]
    if length <= SHORTEST_RATIO * min(others):
        ratio = length / min(others)
        return [("key-shortest", KEY_SHORTEST.format(ratio=ratio, limit=SHORTEST_RATIO))]
    return []


CUE_CHECKS = (
    ("absolutes-in-distractors", "absolute words", ABSOLUTE),
    ("excuses-in-distractors", "excuses or reasons", EXCUSE),
    ("secrecy-in-distractors", "secrecy words", SECRECY),
)


def check_distractor_cues(question: LintQuestion) -> list[tuple[str, str]]:
    """Cues a guesser avoids, in two or more distractors and not in the key."""
    key = question.choices.get(question.answer)
    if key is None:
        return []
    flags = []
    for code, what, pattern in CUE_CHECKS:
        if pattern.search(key):
            continue
        found = {
            k: sorted({m.group(0).lower() for m in pattern.finditer(text)})
            for k, text in question.choices.items()
            if k != question.answer and pattern.search(text)
        }
        if len(found) >= MIN_DISTRACTORS_WITH_CUE:
            cue_words = ", ".join(sorted({w for ws in found.values() for w in ws}))
            keys = ", ".join(sorted(found))
            flags.append((code, CUES_IN_DISTRACTORS.format(what=what, keys=keys, words=cue_words)))
    return flags


def check_stem_key_cue(question: LintQuestion) -> list[tuple[str, str]]:
    """A content word in the stem and the key but in no distractor."""
    key = question.choices.get(question.answer)
    if key is None:
        return []
    shared = content_words(question.stem).keys() & content_words(key).keys()
    for other_key, text in question.choices.items():
        if other_key != question.answer:
            shared -= content_words(text).keys()
    if not shared:
        return []
    spelled = content_words(key)
    return [
        ("stem-key-cue", STEM_KEY_CUE.format(words=", ".join(sorted(spelled[w] for w in shared))))
    ]


def check_choices_lean_on_others(question: LintQuestion) -> list[tuple[str, str]]:
    """Choices such as "all of the above" or "both a and b"."""
    return [
        ("all-none-above", ALL_NONE_ABOVE.format(key=key, text=text.strip()))
        for key, text in question.choices.items()
        if BANNED_CHOICE.search(text)
    ]


def check_stem(question: LintQuestion) -> list[tuple[str, str]]:
    """The stem stands alone and asks a question."""
    flags = []
    named = SOURCE_NAMED.search(question.stem)
    if named:
        named_words = " ".join(named.group(0).split())  # a line break becomes a space
        flags.append(("stem-names-source", STEM_NAMES_SOURCE.format(words=named_words)))
    stem = question.stem.strip()
    if "?" not in stem and not stem.endswith(":"):
        flags.append(("stem-not-a-question", STEM_NOT_A_QUESTION))
    return flags


QUESTION_CHECKS = (
    check_length,
    check_distractor_cues,
    check_stem_key_cue,
    check_choices_lean_on_others,
    check_stem,
)


def question_flags(question: LintQuestion) -> list[Flag]:
    """The flags that need nothing but the question itself."""
    return [
        Flag(question.id, code, message, question.place)
        for check in QUESTION_CHECKS
        for code, message in check(question)
    ]


# --------------------------------------------------------------------------- the pool


def seed_flags(question: LintQuestion, index: Mapping[tuple[str, ...], str]) -> list[Flag]:
    """Runs of 8+ words of the stem, a choice or the explanation copied from a seed."""
    parts = [("stem", question.stem), ("explanation", question.explanation)]
    parts += [(f"choice {key}", text) for key, text in question.choices.items()]
    return [
        Flag(
            question.id,
            "seed-copy",
            SEED_COPY.format(where=where, count=len(run.split()), seed=seed, run=run),
            question.place,
        )
        for where, text in parts
        for seed, run in shared_runs(text, index)
    ]


def pair_messages(
    a: LintQuestion, b: LintQuestion, shapes: Mapping[str, StemShape], frequencies: Counter
) -> list[tuple[str, str, str]]:
    """(code, message about a, message about b) for a pair of questions of the pool."""
    found = []
    scores = near_duplicate(shapes[a.id], shapes[b.id])
    if scores:
        jaccard, ratio = scores
        found.append(
            (
                "near-duplicate",
                NEAR_DUPLICATE.format(other=b.id, jaccard=jaccard, ratio=ratio),
                NEAR_DUPLICATE.format(other=a.id, jaccard=jaccard, ratio=ratio),
            )
        )
    if a.topic != b.topic or not a.topic:
        shared = shared_rare_words(shapes[a.id], shapes[b.id], frequencies)
        if shared:
            listed = ", ".join(shared)
            found.append(
                (
                    "similar-scenario",
                    SIMILAR_SCENARIO.format(other=b.id, topic=b.topic, words=listed),
                    SIMILAR_SCENARIO.format(other=a.id, topic=a.topic, words=listed),
                )
            )
    return found


def pool_flags(
    questions: Sequence[LintQuestion], *, only: str | None = None
) -> dict[str, list[Flag]]:
    """Question id -> its flags from comparing stems across the pool (every pair, or only
    the pairs that hold question ``only``)."""
    shapes = {question.id: stem_shape(question.stem) for question in questions}
    frequencies = stem_frequencies(shapes.values())
    found: dict[str, list[Flag]] = {}
    for a, b in combinations(questions, 2):
        if only is not None and only not in (a.id, b.id):
            continue
        for code, about_a, about_b in pair_messages(a, b, shapes, frequencies):
            found.setdefault(a.id, []).append(Flag(a.id, code, about_a, a.place))
            found.setdefault(b.id, []).append(Flag(b.id, code, about_b, b.place))
    return found


def lint_question(
    question: LintQuestion,
    *,
    pool: Iterable[LintQuestion] = (),
    seeds: Mapping[tuple[str, ...], str] | None = None,
) -> list[Flag]:
    """The flags of one question: its own, those from comparing it with the ``pool``, and
    copies of ``seeds`` (an index from ``lint_text.seed_index``)."""
    others = [other for other in pool if other.id != question.id]
    flags = question_flags(question)
    flags += pool_flags([*others, question], only=question.id).get(question.id, [])
    if seeds:
        flags += seed_flags(question, seeds)
    return flags


def lint_pool(
    questions: Sequence[LintQuestion], *, seeds: Mapping[tuple[str, ...], str] | None = None
) -> LintReport:
    """Every flag of every question (in the pool's order) and the guesser's score over the
    published ones. ``seeds`` is an index from ``lint_text.seed_index`` (None: no copy
    check)."""
    compared = pool_flags(questions)
    flags: list[Flag] = []
    for question in questions:
        flags += question_flags(question)
        flags += compared.get(question.id, [])
        if seeds:
            flags += seed_flags(question, seeds)
    published = [q for q in questions if q.published and q.answer in q.choices]
    score = guesser_score((q.choices, q.answer) for q in published)
    guessed = frozenset(q.id for q in published if guess(q.choices) == q.answer)
    return LintReport(flags=tuple(flags), guesser=score, guessed=guessed)
