"""Text measures for the question linter: words, cue words, similar stems, copied runs.

Pure: plain text in, no database.
"""

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

SHINGLE_SIZE = 3
MAX_SHINGLE_JACCARD = 0.5
MAX_SEQUENCE_RATIO = 0.85
SEED_RUN_WORDS = 8
CUE_WORD_LETTERS = 5
SCENARIO_WORD_LETTERS = 4
RARE_IN_STEMS = 3  # a scenario word is rare when at most this many stems of the pool use it
SHARED_RARE_WORDS = 3

# Words too common in this pool to cue anything or to tell scenarios apart.
COMMON_TEXT = """
about above after again against among around because before being below between could doing
during every first their there these those through under until where which while would
should other others might still since without within yourself themselves himself herself
itself whose whether never always cannot something someone anyone anything everyone
everything nothing shall client person people recovery support specialist worker crss
what when with that this they them from have does your will about into than then also just
best most more some only each make made says said tell told asks asked want wants help
become going getting really thing another right little better later often usually already
session participant resident
"""
ENDINGS = ("ing", "ed", "es", "s")
POSSESSIVE = re.compile(r"(?<=[^\W_])'s\b")
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212-", " "),
        "\u00a0": " ",
    }
)


def words(text: str) -> list[str]:
    """Lowercase words, quotes and dashes folded, apostrophes dropped, punctuation ignored."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_FOLD).lower()
    return re.findall(r"[^\W_]+", text.replace("'", ""))


def fold_ending(word: str) -> str:
    """``consents``/``consented``/``consenting`` -> ``consent`` (crude, on purpose)."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


COMMON_FOLDED = frozenset(fold_ending(word) for word in COMMON_TEXT.split())


def content_words(text: str, *, letters: int = CUE_WORD_LETTERS) -> dict[str, str]:
    """Folded form -> first spelling, for the words of ``letters``+ letters that are not
    common (``COMMON_TEXT``) nor numbers; "Marcus's" counts as "Marcus"."""
    found: dict[str, str] = {}
    text = POSSESSIVE.sub("", unicodedata.normalize("NFKC", str(text)).translate(_FOLD))
    for word in words(text):
        folded = fold_ending(word)
        if len(word) >= letters and not word.isdigit() and folded not in COMMON_FOLDED:
            found.setdefault(folded, word)
    return found


def shingles(tokens: Sequence[str], size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """Word n-grams of a token list (the whole list if it is shorter than ``size``)."""
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


# --------------------------------------------------------------------------- similar stems


@dataclass(frozen=True)
class StemShape:
    """What the pair checks compare of a stem, computed once per stem."""

    tokens: tuple[str, ...]
    shingles: frozenset[tuple[str, ...]]
    scenario_words: frozenset[str]


def stem_shape(stem: str) -> StemShape:
    tokens = tuple(words(stem))
    scenario = content_words(stem, letters=SCENARIO_WORD_LETTERS)
    return StemShape(tokens, frozenset(shingles(tokens)), frozenset(scenario))


def near_duplicate(a: StemShape, b: StemShape) -> tuple[float, float] | None:
    """(3-gram Jaccard, sequence ratio) when two stems are near-duplicates, else None."""
    if not a.shingles or not b.shingles:
        return None
    jaccard = len(a.shingles & b.shingles) / len(a.shingles | b.shingles)
    matcher = difflib.SequenceMatcher(None, a.tokens, b.tokens, autojunk=False)
    if jaccard < MAX_SHINGLE_JACCARD and (
        matcher.real_quick_ratio() < MAX_SEQUENCE_RATIO
        or matcher.quick_ratio() < MAX_SEQUENCE_RATIO
    ):
        return None  # the cheap upper bounds already rule the pair out
    ratio = matcher.ratio()
    if jaccard >= MAX_SHINGLE_JACCARD or ratio >= MAX_SEQUENCE_RATIO:
        return jaccard, ratio
    return None


def stem_frequencies(shapes: Iterable[StemShape]) -> Counter[str]:
    """Scenario word -> how many stems use it."""
    return Counter(word for shape in shapes for word in shape.scenario_words)


def shared_rare_words(a: StemShape, b: StemShape, frequencies: Mapping[str, int]) -> list[str]:
    """The rare scenario words two stems share, when there are enough to call it the same
    scenario told twice (the mechanic who fixes the worker's car, in other words)."""
    shared = sorted(
        word
        for word in a.scenario_words & b.scenario_words
        if frequencies.get(word, 0) <= RARE_IN_STEMS
    )
    return shared if len(shared) >= SHARED_RARE_WORDS else []


# --------------------------------------------------------------------------- seed articles


def seed_index(seeds: Mapping[str, str], size: int = SEED_RUN_WORDS) -> dict[tuple[str, ...], str]:
    """Every ``size``-word run of every seed article -> the seed's name."""
    index: dict[tuple[str, ...], str] = {}
    for name, text in seeds.items():
        tokens = words(text)
        for i in range(len(tokens) - size + 1):
            index.setdefault(tuple(tokens[i : i + size]), name)
    return index


def shared_runs(
    text: str, index: Mapping[tuple[str, ...], str], size: int = SEED_RUN_WORDS
) -> list[tuple[str, str]]:
    """Maximal runs of ``size``+ words of ``text`` found in an index of ``size``-word runs
    (``seed_index``): (seed, run)."""
    tokens = words(text)
    runs, i = [], 0
    while i <= len(tokens) - size:
        seed = index.get(tuple(tokens[i : i + size]))
        if seed is None:
            i += 1
            continue
        end = i + size
        while end < len(tokens) and tuple(tokens[end - size + 1 : end + 1]) in index:
            end += 1
        runs.append((seed, " ".join(tokens[i:end])))
        i = end
    return runs
