"""A test-wise guesser: picks an answer from the wording of the choices alone (issue 16).

It knows nothing about recovery support. It uses the tricks that paid on the old pool:

- every **absolute** ("always", "never", "only", "must", "all", "every", "none", "any
  time"...), **excuse** ("because", "since", "as long as", "so long as", "provided",
  "given that", "if they/he/she/you/the client...") and **secrecy** cue ("quietly",
  "secretly", "privately", "without telling", "keep it to herself"...) in a choice costs it
  1 point, once per occurrence;
- every **consult/professional** cue (a word starting with supervis, consult, professional,
  boundar, ethic, document, "policy"/"policies") and every **warm-professional** cue (a word
  starting with respect, honest, transparen, warm, or "kindly"/"kindness") earns it 1 point,
  once per occurrence (the old pool's keys were the warm-but-professional choice);
- the longest choice (in characters; every choice tied for longest) earns 0.5.

It picks the choice with the highest score; ties go to the longer choice, then to the
earlier key (a, b, c...), so the pick is deterministic. Its score on a pool is the share of
published questions on which the pick is the key: about 25 % means the wording gives nothing
away; the old pool gave it 57 %, the target is at most 35 %.

Pure: plain text in, no database.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ABSOLUTE = re.compile(
    r"\b(?:always|never|only|must|all|every|everyone|everything|everybody|none|nothing"
    r"|nobody|no\s+one|any\s+time|anytime|at\s+all\s+times|under\s+any\s+circumstances"
    r"|in\s+any\s+case|no\s+matter|completely|entirely|absolutely|totally|forever)\b",
    re.IGNORECASE,
)
EXCUSE = re.compile(
    r"\b(?:because|since|as\s+long\s+as|so\s+long\s+as|provided|providing|given\s+that"
    r"|if\s+(?:they|he|she|you|it|we|the\s+client|the\s+person|both|everyone|nobody"
    r"|no\s+one))\b",
    re.IGNORECASE,
)
SECRECY = re.compile(
    r"\b(?:quietly|secretly|privately|discreetly|in\s+secret|on\s+the\s+quiet|off\s+the\s+record"
    r"|without\s+(?:telling|informing|mentioning|letting|involving|asking)"
    r"|keep(?:s|ing)?\s+(?:it|this|that)\s+to\s+(?:him|her|them|your|my)sel(?:f|ves)"
    r"|between\s+the\s+two\s+of\s+(?:them|us|you)|behind\s+(?:\w+\s+)?back)\b",
    re.IGNORECASE,
)
PROFESSIONAL = re.compile(
    r"\b(?:supervis\w*|consult\w*|professional\w*|boundar\w*|ethic\w*|document\w*"
    r"|polic(?:y|ies)|respect\w*|honest\w*|transparen\w*|warm\w*|kindly|kindness)\b",
    re.IGNORECASE,
)
AVOIDED_CUES = (ABSOLUTE, EXCUSE, SECRECY)
LONGEST_BONUS = 0.5


@dataclass(frozen=True)
class GuesserScore:
    """How often the guesser picks the key: ``right`` of ``total`` published questions."""

    right: int
    total: int

    @property
    def percent(self) -> int:
        """The share, rounded to a whole percent (0 for an empty pool)."""
        return round(100 * self.right / self.total) if self.total else 0

    def above(self, limit: int) -> bool:
        """Whether the exact share (not the rounded percent) is above ``limit`` percent."""
        return 100 * self.right > limit * self.total

    def __str__(self) -> str:
        return f"guesser: {self.percent} %"


def count_cues(pattern: re.Pattern[str], text: str) -> int:
    """How many times a cue pattern occurs in a text."""
    return len(pattern.findall(text))


def choice_scores(choices: Mapping[str, str]) -> dict[str, float]:
    """Key -> the guesser's score for that choice (see the module docstring)."""
    longest = max((len(text.strip()) for text in choices.values()), default=0)
    scores = {}
    for key, text in choices.items():
        score = float(count_cues(PROFESSIONAL, text))
        score -= sum(count_cues(pattern, text) for pattern in AVOIDED_CUES)
        if len(text.strip()) == longest:
            score += LONGEST_BONUS
        scores[key] = score
    return scores


def guess(choices: Mapping[str, str]) -> str:
    """The key the guesser picks ("" when there are no choices)."""
    scores = choice_scores(choices)
    ranked = sorted(choices, key=lambda key: (-scores[key], -len(choices[key].strip()), key))
    return ranked[0] if ranked else ""


def guesser_score(questions: Iterable[tuple[Mapping[str, str], str]]) -> GuesserScore:
    """The guesser's score over (choices, answer key) pairs of published questions."""
    right = total = 0
    for choices, answer in questions:
        total += 1
        right += guess(choices) == answer
    return GuesserScore(right=right, total=total)
