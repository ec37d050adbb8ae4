"""GIFT questions to our bank documents (and loaded through the bank loader), and back.

Import: ``gift_to_bank_documents`` turns a GIFT file into one bank document per topic it
touches (the same dict shape as a topic's YAML file), with every skipped question and note
named by line. Each document holds the topic's existing questions too, because the loader
retires the questions of a loaded topic that are missing from its file: an import adds
questions, it never retires any. ``load_gift`` loads those documents through
``quizzes.banks.load_bank_paths`` in one transaction.

Export: ``questions_to_gift`` writes questions as GIFT that imports back to the same text,
choices, answer, explanation, kind and domain.
"""

import os
import re
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nh3
from django.db import OperationalError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.text import slugify

from quizzes.banks import BankError, BankValidationError, LoadReport, load_bank_paths
from quizzes.banks.exporter import Block, dump_yaml, topic_document
from quizzes.banks.importer import BANKS_BUSY, wait_for_banks, waited_too_long
from quizzes.banks.schema import MAX_TEXT_CHARS
from quizzes.models import (
    CHOICE_KEYS,
    MAX_CHOICES,
    MIN_CHOICES,
    Choice,
    Domain,
    Kind,
    Question,
    Status,
    Topic,
)

from .parser import (
    FormattedText,
    GiftCategory,
    GiftQuestion,
    QuestionType,
    TextFormat,
    escape,
    parse_gift,
)

DEFAULT_KIND = Kind.RECALL.value
DEFAULT_DOMAIN = Domain.PROFESSIONAL_RESPONSIBILITY.value
SOURCE = "Imported from {filename}"
MAX_ID_LENGTH = 100
MAX_SOURCE_LENGTH = 300
CRSS_PREFIX = "crss:"
UNTITLED_ID = "{topic}-gift-{number}"

SKIP_LINE = "{filename}:{line}: skipped {name}: {message}"
NOTE_LINE = "{filename}:{line}: {message}"
UNSUPPORTED_TYPE = "{type} questions are not supported"
DESCRIPTION = "text without answers (a Moodle description) is not a question"
WEIGHTED = "multiple-answer questions with %weights% are not supported"
MISSING_WORD = "missing-word questions (text after the answers) are not supported"
CHOICE_COUNT = "the question has {count} choices; a question needs {low} to {high}"
CORRECT_COUNT = "the question has {count} correct answers; it needs exactly one (=)"
BLANK_STEM = "the question text is blank"
BLANK_CHOICE = "choice {number} is blank"
SAME_CHOICES = "choices {first} and {second} have the same text"
TOO_LONG = "the {what} is {length} characters long; the limit is {limit}"
NO_EXPLANATION = (
    "{name} has no explanation (no #### general feedback): it imports as a draft and needs "
    "one before it can be published"
)
MARKDOWN_WITH_HTML = (
    "{name} has HTML tags in its Markdown text; they will show as typed, since our Markdown "
    "has raw HTML off: rewrite them as Markdown"
)
UNKNOWN_CATEGORY = (
    "category '{path}' does not name one of our topics; the questions after it go to '{topic}'"
)
UNKNOWN_CRSS_VALUE = "unknown {key} '{value}' in the // crss: comment; used '{default}' ({allowed})"
UNKNOWN_CRSS_KEY = "unknown key '{key}' in the // crss: comment was ignored (use kind and domain)"
NEW_TOPIC = "topic '{slug}' does not exist yet: it will be created as '{title}'"
SUMMARY_IMPORTED = "imported {count} question(s) as drafts{where}"
SUMMARY_SKIPPED = "skipped {count} question(s){reasons}"
WOULD_RETIRE = "the import would retire {count} existing question(s); nothing was written"

# Skip reasons, as counted in the summary.
REASON_WEIGHTED = "multiple answers"
REASON_MISSING_WORD = "missing word"
REASON_CHOICES = "choice count"
REASON_CORRECT = "correct answers"
REASON_BLANK = "blank text"
REASON_SAME = "identical choices"
REASON_LENGTH = "too long"

EXPORT_HEADER = "// CRSS Prep questions in Moodle GIFT format"
# An answer or feedback starting like this would read as a format marker or a weight.
NEEDS_FORMAT_MARKER = ("[", "%")


class GiftImportError(Exception):
    """The import would change the bank in a way an import must not; nothing was written."""


@dataclass(frozen=True)
class Skipped:
    filename: str
    line: int
    title: str
    reason: str
    message: str

    def __str__(self) -> str:
        name = f"'{self.title}'" if self.title else "an untitled question"
        return SKIP_LINE.format(
            filename=self.filename, line=self.line, name=name, message=self.message
        )


@dataclass(frozen=True)
class Note:
    filename: str
    line: int
    message: str

    def __str__(self) -> str:
        return NOTE_LINE.format(filename=self.filename, line=self.line, message=self.message)


@dataclass(frozen=True)
class ImportedQuestion:
    line: int
    title: str
    topic_slug: str
    document: dict  # one entry of a bank file's ``questions`` list

    @property
    def external_id(self) -> str:
        return self.document["id"]


@dataclass
class GiftImport:
    """What a GIFT file gives: questions per topic, skips and notes, and the bank documents."""

    filename: str
    imported: list[ImportedQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    documents: dict[str, dict] = field(default_factory=dict)  # "<topic>.yaml" -> document

    def messages(self) -> list[str]:
        """Every skip and note, in file order."""
        found = sorted([*self.skipped, *self.notes], key=lambda item: item.line)
        return [str(item) for item in found]

    def summary(self) -> list[str]:
        """``imported 3 question(s) as drafts: ...`` and ``skipped 2 question(s): ...``."""
        per_topic = Counter(question.topic_slug for question in self.imported)
        where = ", ".join(f"{count} into {slug}" for slug, count in sorted(per_topic.items()))
        reasons = Counter(skip.reason for skip in self.skipped)
        reason_list = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
        return [
            SUMMARY_IMPORTED.format(count=len(self.imported), where=f": {where}" if where else ""),
            SUMMARY_SKIPPED.format(
                count=len(self.skipped), reasons=f": {reason_list}" if reason_list else ""
            ),
        ]

    def yaml_files(self) -> dict[str, str]:
        """File name -> YAML text, as ``load_questions`` reads it."""
        return {name: dump_yaml(document) for name, document in self.documents.items()}


# --- text formats ----------------------------------------------------------------------------

HTML_TAGS = {"a", "b", "strong", "i", "em", "code", "br", "p", "div", "ul", "ol", "li"}
INLINE_MARKERS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
BLOCK_TAGS = {"p", "div", "ul", "ol"}
LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")


class MarkdownWriter(HTMLParser):
    """Sanitised HTML to Markdown: emphasis, links, paragraphs and lists; other tags dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.frames: list[tuple[str, str, list[str]]] = [("", "", [])]  # tag, href, pieces
        self.lists: list[list] = []  # [ordered, next number]

    def emit(self, text: str) -> None:
        self.frames[-1][2].append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE_MARKERS or tag == "a":
            self.frames.append((tag, dict(attrs).get("href") or "", []))
        elif tag == "br":
            self.emit("\n")
        elif tag in BLOCK_TAGS:
            self.emit("\n\n")
            if tag in ("ul", "ol"):
                self.lists.append([tag == "ol", 1])
        elif tag == "li":
            ordered, number = self.lists[-1] if self.lists else (False, 1)
            if self.lists:
                self.lists[-1][1] += 1
            self.emit(f"\n{number}. " if ordered else "\n- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in INLINE_MARKERS or tag == "a":
            if any(frame[0] == tag for frame in self.frames[1:]):
                while self.close_frame() != tag:
                    pass
        elif tag in BLOCK_TAGS:
            self.emit("\n\n")
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def close_frame(self) -> str:
        tag, href, pieces = self.frames.pop()
        content = "".join(pieces)
        inner = content.strip()
        lead = " " if content[:1].isspace() else ""
        trail = " " if content[-1:].isspace() else ""
        if not inner:
            self.emit(lead or trail)
        elif tag == "a" and href:
            url = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            self.emit(f"{lead}[{inner}]({url}){trail}")
        elif tag in INLINE_MARKERS:
            marker = INLINE_MARKERS[tag]
            self.emit(f"{lead}{marker}{inner}{marker}{trail}")
        else:
            self.emit(content)
        return tag

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        if not any(frame[0] == "code" for frame in self.frames):
            text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
        self.emit(text)

    def markdown(self) -> str:
        self.close()
        while len(self.frames) > 1:
            self.close_frame()
        text = "".join(self.frames[0][2])
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_markdown(html: str) -> str:
    """Sanitise HTML with nh3, then write what is left as Markdown (never raw HTML)."""
    clean = nh3.clean(
        html,
        tags=HTML_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    writer = MarkdownWriter()
    writer.feed(clean)
    return writer.markdown()


def to_markdown(text: FormattedText) -> str:
    """Our text (Markdown) from GIFT text in any of its formats."""
    if text.format == TextFormat.HTML:
        return html_to_markdown(text.text)
    if text.format == TextFormat.MOODLE and LOOKS_LIKE_HTML.search(text.text):
        # Moodle's auto-format allows HTML and turns line breaks into <br>.
        return html_to_markdown(text.text.replace("\n", "<br>"))
    # Markdown is ours already; plain text reads the same as Markdown nearly always.
    return text.text


# --- import ------------------------------------------------------------------------------------


def has_markdown_with_html(question: GiftQuestion) -> bool:
    """Whether any Markdown text of the question holds HTML tags (which we show as text)."""
    texts = [question.stem, question.general_feedback]
    texts += [text for answer in question.answers for text in (answer.text, answer.feedback)]
    return any(
        text is not None and text.format == TextFormat.MARKDOWN and HTML_TAG.search(text.text)
        for text in texts
    )


def title_slug(title: str) -> str:
    """A slug of the title: lowercase ASCII letters, digits and single hyphens."""
    slug = slugify(title.replace("_", " "))
    return re.sub(r"-{2,}", "-", slug).strip("-")


class IdAllocator:
    """Question ids that collide neither with the database nor with earlier ones in the file."""

    def __init__(self, taken: Collection[str]) -> None:
        self.taken = set(taken)
        self.untitled: Counter[str] = Counter()

    def allocate(self, title: str, topic: str) -> str:
        slug = title_slug(title)
        if not slug:
            return self.untitled_id(topic)
        # An id that already starts with the topic (our own export's titles) is kept as it is.
        base = slug if slug == topic or slug.startswith(f"{topic}-") else f"{topic}-{slug}"
        base = base[: MAX_ID_LENGTH - 5].strip("-")
        candidate, number = base, 2
        while candidate in self.taken:
            candidate, number = f"{base}-{number}", number + 1
        self.taken.add(candidate)
        return candidate

    def untitled_id(self, topic: str) -> str:
        while True:
            self.untitled[topic] += 1
            candidate = UNTITLED_ID.format(topic=topic, number=self.untitled[topic])
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate


def crss_settings(comments: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Kind and domain from ``// crss: kind=... domain=...`` comments, plus notes on typos."""
    allowed = {"kind": Kind.values, "domain": Domain.values}
    defaults = {"kind": DEFAULT_KIND, "domain": DEFAULT_DOMAIN}
    values, problems = dict(defaults), []
    for comment in comments:
        if not comment.lower().startswith(CRSS_PREFIX):
            continue
        for pair in comment[len(CRSS_PREFIX) :].split():
            key, _, value = pair.partition("=")
            if key not in allowed:
                problems.append(UNKNOWN_CRSS_KEY.format(key=key))
            elif value not in allowed[key]:
                problems.append(
                    UNKNOWN_CRSS_VALUE.format(
                        key=key,
                        value=value,
                        default=defaults[key],
                        allowed="use one of: " + ", ".join(allowed[key]),
                    )
                )
            else:
                values[key] = value
    return values, problems


class Problem(Exception):
    """Why one question cannot become one of ours."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def check_supported(question: GiftQuestion) -> None:
    """Raise ``Problem`` unless the question is one correct answer among 2 to 6 choices."""
    if question.type == QuestionType.BROKEN:
        raise Problem(question.type.value, question.problem)
    if question.type == QuestionType.DESCRIPTION:
        raise Problem(question.type.value, DESCRIPTION)
    if question.type not in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE):
        # "short answer" reads as "short-answer questions".
        adjective = question.type.value.replace(" ", "-")
        raise Problem(question.type.value, UNSUPPORTED_TYPE.format(type=adjective))
    if any(answer.weight not in (None, 0) for answer in question.answers):
        raise Problem(REASON_WEIGHTED, WEIGHTED)
    if question.is_missing_word:
        raise Problem(REASON_MISSING_WORD, MISSING_WORD)
    count = len(question.answers)
    if not MIN_CHOICES <= count <= MAX_CHOICES:
        message = CHOICE_COUNT.format(count=count, low=MIN_CHOICES, high=MAX_CHOICES)
        raise Problem(REASON_CHOICES, message)
    correct = sum(answer.correct for answer in question.answers)
    if correct != 1:
        raise Problem(REASON_CORRECT, CORRECT_COUNT.format(count=correct))


def checked_length(text: str, what: str) -> str:
    """The text, unless it is longer than the loader allows (then ``Problem``)."""
    if len(text) > MAX_TEXT_CHARS:
        message = TOO_LONG.format(what=what, length=len(text), limit=MAX_TEXT_CHARS)
        raise Problem(REASON_LENGTH, message)
    return text


def question_document(
    question: GiftQuestion, external_id: str, settings: dict, source: str
) -> dict:
    """The bank-file entry for a supported question; raises ``Problem`` on blank text."""
    stem = checked_length(to_markdown(question.stem), "question text")
    if not stem:
        raise Problem(REASON_BLANK, BLANK_STEM)
    choices: dict[str, str | dict] = {}
    answer, seen = "", {}
    for number, (key, gift_answer) in enumerate(
        zip(CHOICE_KEYS, question.answers, strict=False), start=1
    ):
        text = checked_length(to_markdown(gift_answer.text), f"text of choice {key}")
        if not text:
            raise Problem(REASON_BLANK, BLANK_CHOICE.format(number=number))
        normalised = " ".join(text.casefold().split())
        if normalised in seen:
            raise Problem(REASON_SAME, SAME_CHOICES.format(first=seen[normalised], second=key))
        seen[normalised] = key
        feedback = checked_length(to_markdown(gift_answer.feedback), f"feedback of choice {key}")
        choices[key] = {"text": text, "feedback": feedback} if feedback else text
        if gift_answer.correct:
            answer = key
    explanation = ""
    if question.general_feedback is not None:
        explanation = checked_length(to_markdown(question.general_feedback), "explanation")
    document: dict = {
        "id": external_id,
        "kind": settings["kind"],
        "domain": settings["domain"],
        "source": source,
        "stem": Block(stem),
        "choices": choices,
        "answer": answer,
    }
    if explanation:
        document["explanation"] = Block(explanation)
    document["status"] = Status.DRAFT.value
    return document


def convert_gift(
    text: str,
    *,
    filename: str,
    topic_slug: str,
    known_topics: Collection[str],
    taken_ids: Collection[str],
) -> GiftImport:
    """Pure: each GIFT question imported (as a question document) or skipped, with notes.

    ``documents`` is left empty; ``gift_to_bank_documents`` adds it from the database.
    """
    result = GiftImport(filename=filename)
    ids = IdAllocator(taken_ids)
    source = SOURCE.format(filename=Path(filename).name)[:MAX_SOURCE_LENGTH]
    topic = topic_slug
    for item in parse_gift(text):
        if isinstance(item, GiftCategory):
            if item.last_segment in known_topics or item.last_segment == topic_slug:
                topic = item.last_segment
            else:
                topic = topic_slug
                message = UNKNOWN_CATEGORY.format(path=item.path, topic=topic_slug)
                result.notes.append(Note(filename, item.line, message))
            continue
        try:
            check_supported(item)
            settings, problems = crss_settings(item.comments)
            document = question_document(item, "", settings, source)
        except Problem as problem:
            result.skipped.append(
                Skipped(filename, item.line, item.title, problem.reason, problem.message)
            )
            continue
        document["id"] = ids.allocate(item.title, topic)
        result.notes.extend(Note(filename, item.line, message) for message in problems)
        name = f"'{item.title}'" if item.title else f"question {document['id']}"
        if has_markdown_with_html(item):
            result.notes.append(Note(filename, item.line, MARKDOWN_WITH_HTML.format(name=name)))
        if "explanation" not in document:
            result.notes.append(Note(filename, item.line, NO_EXPLANATION.format(name=name)))
        result.imported.append(ImportedQuestion(item.line, item.title, topic, document))
    return result


def topic_title(slug: str) -> str:
    """A readable title for a new topic: ``power-dynamics`` -> ``Power dynamics``."""
    return slug.replace("-", " ").capitalize()


def merged_document(slug: str, questions: list[dict]) -> tuple[dict, bool]:
    """The topic's bank document: its header and existing questions, then ``questions``.

    Returns the document and whether the topic is new.
    """
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        return {"topic": {"slug": slug, "title": topic_title(slug)}, "questions": questions}, True
    existing = list(
        topic.questions.order_by("external_id").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("key"))
        )
    )
    document = topic_document(topic, existing)
    document["questions"].extend(questions)
    return document, False


def gift_to_bank_documents(text: str, *, filename: str, topic_slug: str) -> GiftImport:
    """Convert a GIFT file into bank documents, one per topic it adds questions to.

    Reads the database (topics, taken ids, each touched topic's existing questions) but
    writes nothing. ``filename`` is the name shown in messages and in the questions' source.
    """
    result = convert_gift(
        text,
        filename=filename,
        topic_slug=topic_slug,
        known_topics=set(Topic.objects.values_list("slug", flat=True)),
        taken_ids=set(Question.objects.values_list("external_id", flat=True)),
    )
    by_topic: dict[str, list[dict]] = {}
    for question in result.imported:
        by_topic.setdefault(question.topic_slug, []).append(question.document)
    for slug, questions in sorted(by_topic.items()):
        document, is_new = merged_document(slug, questions)
        if is_new:
            message = NEW_TOPIC.format(slug=slug, title=document["topic"]["title"])
            line = next(q.line for q in result.imported if q.topic_slug == slug)
            result.notes.append(Note(filename, line, message))
        result.documents[f"{slug}.yaml"] = document
    return result


def load_bank_texts(files: dict[str, str], *, dry_run: bool = False) -> LoadReport:
    """Load YAML texts through ``load_bank_paths``; errors name the files by their own names."""
    with tempfile.TemporaryDirectory(prefix="crss-gift-") as folder:
        paths = []
        for name, text in files.items():
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        try:
            return load_bank_paths(paths, dry_run=dry_run)
        except BankValidationError as exc:
            prefix = str(Path(folder)) + os.sep
            raise BankValidationError(
                [
                    BankError(e.path.replace(prefix, ""), e.line, e.message.replace(prefix, ""))
                    for e in exc.errors
                ]
            ) from None


def load_gift(
    text: str, *, filename: str, topic_slug: str, dry_run: bool = False
) -> tuple[GiftImport, LoadReport]:
    """Convert a GIFT file and load it with the bank loader, in one transaction.

    Raises ``BankValidationError`` (the loader's errors) or ``GiftImportError``; either way
    nothing is written. With ``dry_run`` everything is checked and rolled back.
    """
    try:
        with transaction.atomic():
            # Taken before reading the existing questions, so none can appear before the load.
            wait_for_banks()
            result = gift_to_bank_documents(text, filename=filename, topic_slug=topic_slug)
            report = LoadReport()
            if result.documents:
                report = load_bank_texts(result.yaml_files(), dry_run=dry_run)
            if report.questions.retired:
                raise GiftImportError(WOULD_RETIRE.format(count=report.questions.retired))
    except OperationalError as error:
        if waited_too_long(error):
            raise GiftImportError(f"{filename}: {BANKS_BUSY}") from error
        raise
    return result, report


# --- export ------------------------------------------------------------------------------------


def gift_text(text: str) -> str:
    """Escaped text; a leading ``[`` or ``%`` is protected by an explicit Markdown marker."""
    escaped = escape(text)
    return f"[{TextFormat.MARKDOWN}]{escaped}" if text.startswith(NEEDS_FORMAT_MARKER) else escaped


def gift_block(
    *,
    external_id: str,
    kind: str,
    domain: str,
    stem: str,
    choices: Iterable[tuple[str, bool, str]],
    explanation: str,
) -> str:
    """One question as a GIFT block; ``choices`` are (text, is_correct, feedback) in key order."""
    lines = [
        f"// crss: kind={kind} domain={domain}",
        f"::{external_id}::[{TextFormat.MARKDOWN}]{escape(stem)}{{",
    ]
    for text, is_correct, feedback in choices:
        marker = "=" if is_correct else "~"
        after = f"#{gift_text(feedback)}" if feedback else ""
        lines.append(f"\t{marker}{gift_text(text)}{after}")
    if explanation:
        lines.append(f"\t####{gift_text(explanation)}")
    lines.append("}")
    return "\n".join(lines)


def question_to_gift(question: Question) -> str:
    """One stored question as GIFT (its choices should be prefetched in key order)."""
    return gift_block(
        external_id=question.external_id,
        kind=question.kind,
        domain=question.domain,
        stem=question.stem,
        choices=[(c.text, c.is_correct, c.feedback) for c in question.choices.all()],
        explanation=question.explanation,
    )


def questions_to_gift(questions: QuerySet[Question] | None = None) -> str:
    """Questions (default: all) as GIFT, one ``$CATEGORY:`` per topic; retired ones left out."""
    if questions is None:
        questions = Question.objects.all()
    questions = (
        questions.exclude(status=Status.RETIRED)
        .select_related("topic")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("key")))
        .order_by("topic__slug", "external_id")
    )
    blocks, topic = [EXPORT_HEADER], None
    for question in questions:
        if question.topic.slug != topic:
            topic = question.topic.slug
            blocks.append(f"$CATEGORY: {topic}")
        blocks.append(question_to_gift(question))
    return "\n\n".join(blocks) + "\n"
