"""GIFT questions to our bank documents, loaded through the bank loader.

``gift_to_bank_documents`` turns a GIFT file (read by ``parser``, its text made Markdown by
``markdown``) into one bank document per topic it touches (the same dict shape as a topic's
YAML file), with every skipped question and note named by line. Each document holds the
topic's existing questions too, because the loader retires the questions of a loaded topic
that are missing from its file: an import adds questions, it never retires any. ``load_gift``
loads those documents as texts through ``quizzes.authoring.banks.load_bank_texts`` in one
transaction (nothing is written to disk).
A question is skipped with the words of ``quizzes.question_rules`` for the rule it breaks.
The way back, ``questions_to_gift``, is in ``exporter``.
"""

import re
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path

from django.db import OperationalError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from quizzes.authoring.banks import LoadReport, load_bank_texts
from quizzes.authoring.banks.exporter import Block, topic_document
from quizzes.authoring.banks.importer import BANKS_BUSY, wait_for_banks, waited_too_long
from quizzes.models import Choice, Question, Topic
from quizzes.question_rules import (
    CHOICE_KEYS,
    DOMAINS,
    KINDS,
    QUESTION_ID_CHARS,
    QUESTION_SOURCE_CHARS,
    Domain,
    Kind,
    Status,
    blank_problem,
    choice_count_problem,
    correct_choice_problem,
    explanation_problem,
    identical_choice_groups,
    identical_choices_problem,
    length_problem,
    unknown_value_problem,
)

# gift_block and html_to_markdown stay importable from here, as before the split.
from .exporter import gift_block  # noqa: F401
from .markdown import has_markdown_with_html, html_to_markdown, to_markdown  # noqa: F401
from .parser import GiftCategory, GiftQuestion, QuestionType, parse_gift
from .results import GiftImport, ImportedQuestion, Note, Skipped

DEFAULT_KIND = Kind.RECALL.value
DEFAULT_DOMAIN = Domain.PROFESSIONAL_RESPONSIBILITY.value
SOURCE = "Imported from {filename}"
CRSS_PREFIX = "crss:"
UNTITLED_ID = "{topic}-gift-{number}"

THE_QUESTION = "the question {problem}"  # a rule broken, as ``question_rules`` words it
THE_TEXT = "the {what} {problem}"
BLANK_CHOICE = "choice {number} {problem}"
UNSUPPORTED_TYPE = "{type} questions are not supported"
DESCRIPTION = "text without answers (a Moodle description) is not a question"
WEIGHTED = "multiple-answer questions with %weights% are not supported"
MISSING_WORD = "missing-word questions (text after the answers) are not supported"
NO_EXPLANATION = "{name} imports as a draft (no #### general feedback): it " + (
    explanation_problem("", Status.PUBLISHED) or ""
)
MARKDOWN_WITH_HTML = (
    "{name} has HTML tags in its Markdown text; they will show as typed, since our Markdown "
    "has raw HTML off: rewrite them as Markdown"
)
UNKNOWN_CATEGORY = (
    "category '{path}' does not name one of our topics; the questions after it go to '{topic}'"
)
UNKNOWN_CRSS_VALUE = "the // crss: comment {problem} ('{default}' was used)"
UNKNOWN_CRSS_KEY = "unknown key '{key}' in the // crss: comment was ignored (use kind and domain)"
NEW_TOPIC = "topic '{slug}' does not exist yet: it will be created as '{title}'"
WOULD_RETIRE = "the import would retire {count} existing question(s); nothing was written"

# Skip reasons, as counted in the summary.
REASON_WEIGHTED = "multiple answers"
REASON_MISSING_WORD = "missing word"
REASON_CHOICES = "choice count"
REASON_CORRECT = "correct answers"
REASON_BLANK = "blank text"
REASON_SAME = "identical choices"
REASON_LENGTH = "too long"


class GiftImportError(Exception):
    """The import would change the bank in a way an import must not; nothing was written."""


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
        base = base[: QUESTION_ID_CHARS - 5].strip("-")
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
    allowed = {"kind": KINDS, "domain": DOMAINS}
    defaults = {"kind": DEFAULT_KIND, "domain": DEFAULT_DOMAIN}
    values, problems = dict(defaults), []
    for comment in comments:
        if not comment.lower().startswith(CRSS_PREFIX):
            continue
        for pair in comment[len(CRSS_PREFIX) :].split():
            key, _, value = pair.partition("=")
            if key not in allowed:
                problems.append(UNKNOWN_CRSS_KEY.format(key=key))
            elif problem := unknown_value_problem(key, value, allowed[key]):
                problems.append(UNKNOWN_CRSS_VALUE.format(problem=problem, default=defaults[key]))
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
    for reason, problem in (
        (REASON_CHOICES, choice_count_problem(len(question.answers))),
        (REASON_CORRECT, correct_choice_problem(sum(a.correct for a in question.answers))),
    ):
        if problem:
            raise Problem(reason, THE_QUESTION.format(problem=problem))


def checked_length(text: str, what: str) -> str:
    """The text, unless it is longer than the loader allows (then ``Problem``)."""
    problem = length_problem(text)
    if problem:
        raise Problem(REASON_LENGTH, THE_TEXT.format(what=what, problem=problem))
    return text


def question_document(
    question: GiftQuestion, external_id: str, settings: dict, source: str
) -> dict:
    """The bank-file entry for a supported question; raises ``Problem`` on blank text."""
    stem = checked_length(to_markdown(question.stem), "question text")
    if problem := blank_problem(stem):
        raise Problem(REASON_BLANK, THE_TEXT.format(what="question text", problem=problem))
    choices: dict[str, str | dict] = {}
    answer, texts = "", []
    for number, (key, gift_answer) in enumerate(
        zip(CHOICE_KEYS, question.answers, strict=False), start=1
    ):
        text = checked_length(to_markdown(gift_answer.text), f"text of choice {key}")
        if problem := blank_problem(text):
            raise Problem(REASON_BLANK, BLANK_CHOICE.format(number=number, problem=problem))
        texts.append((key, text))
        if same := identical_choice_groups(texts):
            problem = identical_choices_problem(same[0])
            raise Problem(REASON_SAME, THE_QUESTION.format(problem=problem))
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
    source = SOURCE.format(filename=Path(filename).name)[:QUESTION_SOURCE_CHARS]
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
                report = load_bank_texts(result.yaml_files().items(), dry_run=dry_run)
            if report.questions.retired:
                raise GiftImportError(WOULD_RETIRE.format(count=report.questions.retired))
    except OperationalError as error:
        if waited_too_long(error):
            raise GiftImportError(f"{filename}: {BANKS_BUSY}") from error
        raise
    return result, report
