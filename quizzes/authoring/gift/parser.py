"""Read Moodle's GIFT text into plain dataclasses, keeping the line each question starts on.

Pure: no database and no opinion on what CRSS Prep can store. Every block of lines between
blank lines is one question (or a ``$CATEGORY:`` switch), and its type is decided the way
Moodle's own importer decides it, so a file means here what it means in Moodle. ``convert``
then decides which of these questions fit our bank format.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What a backslash escapes; ``\n`` is Moodle's escaped line break.
ESCAPED = {"\\": "\\", ":": ":", "#": "#", "=": "=", "{": "{", "}": "}", "~": "~", "n": "\n"}
MASK = "\0"
FORMAT_MARKER = re.compile(r"^\[(html|markdown|plain|moodle)\]")
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
CATEGORY_PREFIX = "$CATEGORY:"
COMMENT_PREFIX = "//"

UNBALANCED_BRACES = "the answer braces do not match: a '{' needs a '}' after it"


class TextFormat(StrEnum):
    MOODLE = "moodle"  # Moodle's default "auto-format": HTML allowed
    HTML = "html"
    MARKDOWN = "markdown"
    PLAIN = "plain"


class QuestionType(StrEnum):
    MULTIPLE_CHOICE = "multiple choice"
    TRUE_FALSE = "true/false"
    ESSAY = "essay"
    MATCHING = "matching"
    NUMERICAL = "numerical"
    SHORT_ANSWER = "short answer"
    DESCRIPTION = "description"
    BROKEN = "broken"


@dataclass(frozen=True)
class FormattedText:
    """Unescaped text and the format it is written in."""

    text: str
    format: TextFormat


@dataclass(frozen=True)
class GiftAnswer:
    text: FormattedText
    correct: bool
    weight: float | None  # the ``%50%`` of a weighted answer, else None
    feedback: FormattedText


@dataclass(frozen=True)
class GiftCategory:
    line: int
    path: str

    @property
    def last_segment(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1].strip()


@dataclass(frozen=True)
class GiftQuestion:
    """One question as written; ``answers`` are filled for multiple choice and true/false."""

    line: int
    title: str
    type: QuestionType
    stem: FormattedText
    answers: tuple[GiftAnswer, ...] = ()
    general_feedback: FormattedText | None = None
    comments: tuple[str, ...] = ()  # the ``//`` lines right before the question, unprefixed
    text_after_answers: str = ""  # e.g. the stray ``";`` after a closing brace
    problem: str = ""  # why a BROKEN question could not be read

    @property
    def is_missing_word(self) -> bool:
        """Words after the closing brace: the answers fill a gap in a sentence."""
        return any(character.isalnum() for character in self.text_after_answers)


@dataclass(frozen=True)
class Block:
    line: int
    lines: tuple[str, ...]


def mask_escapes(text: str) -> str:
    """The same text with every escape pair blanked out, so searches skip escaped characters.

    Positions stay the same, so a match in the masked text slices the original text.
    """
    masked = []
    index = 0
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text) and text[index + 1] in ESCAPED:
            masked.append(MASK * 2)
            index += 2
        else:
            masked.append(text[index])
            index += 1
    return "".join(masked)


def unescape(text: str) -> str:
    """Replace each escape pair (``\\~``, ``\\n``, ...) with what it stands for."""
    return re.sub(r"\\(.)", lambda m: ESCAPED.get(m.group(1), m.group(0)), text, flags=re.S)


def escape(text: str) -> str:
    """Write text so GIFT reads it back unchanged: special characters and line breaks escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(
        r"[\\:#={}~\n]", lambda m: "\\n" if m.group(0) == "\n" else "\\" + m.group(0), text
    )


def read_format(raw: str, default: TextFormat) -> FormattedText:
    """Split a leading ``[html]``-style marker off escaped text, then unescape it."""
    raw = raw.strip()
    marker = FORMAT_MARKER.match(raw)
    if marker:
        return FormattedText(unescape(raw[marker.end() :]).strip(), TextFormat(marker.group(1)))
    return FormattedText(unescape(raw).strip(), default)


def split_blocks(text: str) -> list[Block]:
    """Group the stripped lines between blank lines, each block with its first line number."""
    if text.startswith("\ufeff"):
        text = text[1:]
    blocks, current, start = [], [], 0
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        line = line.strip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(Block(start, tuple(current)))
            current = []
    if current:
        blocks.append(Block(start, tuple(current)))
    return blocks


def parse_gift(text: str) -> list[GiftQuestion | GiftCategory]:
    """Every question and category switch in a GIFT file, in file order."""
    items: list[GiftQuestion | GiftCategory] = []
    for block in split_blocks(text):
        comments: list[str] = []
        body: list[str] = []
        body_line = 0
        for offset, line in enumerate(block.lines):
            number = block.line + offset
            if line.startswith(COMMENT_PREFIX):
                if not body:
                    comments.append(line[len(COMMENT_PREFIX) :].strip())
                continue
            if not body and line.startswith(CATEGORY_PREFIX):
                items.append(GiftCategory(number, unescape(line[len(CATEGORY_PREFIX) :]).strip()))
                comments = []
                continue
            if not body:
                body_line = number
            body.append(line)
        if body:
            items.append(parse_question("\n".join(body), body_line, tuple(comments)))
    return items


def parse_question(text: str, line: int, comments: tuple[str, ...]) -> GiftQuestion:
    """Read one question's text (comment lines already removed)."""
    masked = mask_escapes(text)
    title = ""
    if masked.startswith("::"):
        end = masked.find("::", 2)
        if end >= 0:
            title = unescape(text[2:end]).strip()
            text, masked = text[end + 2 :], masked[end + 2 :]
        else:
            text, masked = text[2:], masked[2:]

    start, end = masked.find("{"), masked.find("}")
    if start < 0 and end < 0:
        stem = read_format(text, TextFormat.MOODLE)
        return GiftQuestion(line, title, QuestionType.DESCRIPTION, stem, comments=comments)
    if start < 0 or end < start:
        stem = read_format(text, TextFormat.MOODLE)
        return GiftQuestion(
            line, title, QuestionType.BROKEN, stem, comments=comments, problem=UNBALANCED_BRACES
        )

    stem = read_format(text[:start], TextFormat.MOODLE)
    after = unescape(text[end + 1 :]).strip()
    answers, answers_masked = text[start + 1 : end].strip(), masked[start + 1 : end].strip()
    general_feedback = None
    separator = answers_masked.rfind("####")
    if separator >= 0:
        general_feedback = read_format(answers[separator + 4 :], stem.format)
        answers, answers_masked = answers[:separator].strip(), answers_masked[:separator].strip()

    question_type = answer_type(answers_masked)
    parsed: tuple[GiftAnswer, ...] = ()
    if question_type == QuestionType.MULTIPLE_CHOICE:
        parsed = multiple_choice_answers(answers, answers_masked, stem.format)
    elif question_type == QuestionType.TRUE_FALSE:
        parsed = true_false_answers(answers, answers_masked, stem.format)
    return GiftQuestion(
        line,
        title,
        question_type,
        stem,
        answers=parsed,
        general_feedback=general_feedback,
        comments=comments,
        text_after_answers=after,
    )


def answer_type(masked: str) -> QuestionType:
    """Moodle's rules, in Moodle's order, on the answer text with escapes masked."""
    if not masked:
        return QuestionType.ESSAY
    if masked.startswith("#"):
        return QuestionType.NUMERICAL
    if "~" in masked:
        return QuestionType.MULTIPLE_CHOICE
    if "=" in masked and "->" in masked:
        return QuestionType.MATCHING
    if masked.split("#", 1)[0].strip() in TRUE_FALSE:
        return QuestionType.TRUE_FALSE
    return QuestionType.SHORT_ANSWER


def multiple_choice_answers(text: str, masked: str, default: TextFormat) -> tuple[GiftAnswer, ...]:
    """``=right # feedback ~wrong ~%50%partly``: one answer per ``=`` or ``~``."""
    starts = [index for index, character in enumerate(masked) if character in "=~"]
    pieces = []
    if not starts or masked[: starts[0]].strip():
        # Moodle keeps text before the first marker as a wrong answer.
        pieces.append(("~", 0, starts[0] if starts else len(text)))
    bounds = [*starts, len(text)]
    pieces.extend((masked[s], s + 1, e) for s, e in pairwise(bounds))
    return tuple(
        answer_from(text[begin:end], masked[begin:end], marker == "=", default)
        for marker, begin, end in pieces
    )


def answer_from(text: str, masked: str, correct: bool, default: TextFormat) -> GiftAnswer:
    """One answer: an optional ``%weight%``, its text, and ``#feedback``."""
    lead = len(masked) - len(masked.lstrip())
    text, masked = text[lead:], masked[lead:]
    weight = None
    found = WEIGHT.match(masked)
    if found:
        weight = float(found.group(1))
        text, masked = text[found.end() :], masked[found.end() :]
    hash_at = masked.find("#")
    feedback = ""
    if hash_at >= 0:
        text, feedback = text[:hash_at], text[hash_at + 1 :]
    return GiftAnswer(read_format(text, default), correct, weight, read_format(feedback, default))


def true_false_answers(text: str, masked: str, default: TextFormat) -> tuple[GiftAnswer, ...]:
    """``{FALSE#shown to who says true#shown to who says false}`` as two answers."""
    cuts = [index for index, character in enumerate(masked) if character == "#"][:2]
    parts = [
        text[a:b] for a, b in zip([0, *(c + 1 for c in cuts)], [*cuts, len(text)], strict=True)
    ]
    truth = TRUE_FALSE[parts[0].strip()]
    wrong = read_format(parts[1], default) if len(parts) > 1 else FormattedText("", default)
    right = read_format(parts[2], default) if len(parts) > 2 else FormattedText("", default)
    plain = TextFormat.PLAIN
    return (
        GiftAnswer(FormattedText("True", plain), truth, None, right if truth else wrong),
        GiftAnswer(FormattedText("False", plain), not truth, None, wrong if truth else right),
    )
