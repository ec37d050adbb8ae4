"""The bank format's rules: YAML nodes in, plain specs (or ``path:line`` errors) out.

Pure: no database. ``content/README.md`` documents the format these rules enforce.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from quizzes.models import (
    CHOICE_KEYS,
    MAX_CHOICES,
    MIN_CHOICES,
    Domain,
    Exam,
    Kind,
    Question,
    Selection,
    Status,
    Topic,
)
from quizzes.models.content import SLUG_PATTERN

from .reader import BankError, cyclic_gc_paused, line_of

SLUG_RE = re.compile(SLUG_PATTERN)
NULL_TAG = "tag:yaml.org,2002:null"
INT_TAG = "tag:yaml.org,2002:int"
MAX_ITEMS = 1000
MAX_MINUTES = 24 * 60
MAX_TEXT_CHARS = 20_000
# The columns' sizes: a longer value is an error with its line here, not a database error
# (or, on SQLite, a silently stored overlong value) at import.
TOPIC_SLUG_CHARS = Topic._meta.get_field("slug").max_length
TOPIC_TITLE_CHARS = Topic._meta.get_field("title").max_length
TOPIC_SOURCE_CHARS = Topic._meta.get_field("source").max_length
QUESTION_ID_CHARS = Question._meta.get_field("external_id").max_length
QUESTION_SOURCE_CHARS = Question._meta.get_field("source").max_length
EXAM_SLUG_CHARS = Exam._meta.get_field("slug").max_length
EXAM_TITLE_CHARS = Exam._meta.get_field("title").max_length

# Built once: a choices class's ``values`` is a new list on every read, and a bank reads
# them for each of its thousands of questions.
KINDS = tuple(Kind.values)
DOMAINS = tuple(Domain.values)
STATUSES = tuple(Status.values)
SELECTIONS = tuple(Selection.values)
PUBLISHED = Status.PUBLISHED.value
WEIGHTED = Selection.WEIGHTED.value

# The keys of each record: (required, optional).
FILE_KEYS = (frozenset(), frozenset({"topic", "questions", "exams"}))
TOPIC_KEYS = (frozenset({"slug", "title"}), frozenset({"source", "notes"}))
QUESTION_KEYS = (
    frozenset({"id", "kind", "domain", "stem", "choices", "answer"}),
    frozenset({"explanation", "status", "tags", "source"}),
)
CHOICE_FIELDS = (frozenset({"text"}), frozenset({"feedback"}))  # a choice with its feedback
EXAM_KEYS = (
    frozenset({"slug", "title", "items", "minutes", "pass_mark", "topics"}),
    frozenset({"description", "selection", "status"}),
)
ANY_KEYS = (frozenset(), frozenset())

EXPECTED_MAPPING = "{what} must be a mapping of keys, found {found}"
EXPECTED_LIST = "{what} must be a list, found {found}"
EXPECTED_TEXT = "{what} must be text, found {found}"
EXPECTED_NUMBER = "{what} must be a whole number, found {found}"
DUPLICATE_KEY = "duplicate key '{key}' in {what}: defined at {places}"
UNKNOWN_KEY = "unknown key '{key}' in {what}; allowed keys: {allowed}"
MISSING_KEY = "missing required key '{key}' in {what}"
BLANK_TEXT = "{what} is blank"
TEXT_TOO_LONG = "{what} is {length} characters long; the limit is {limit}"
NUL_CHARACTER = "{what} contains a NUL character (\\0), which cannot be stored: remove it"
NUMBER_OUT_OF_RANGE = "{what} must be between {low} and {high}, found {value}"
BAD_SLUG = "{what} '{value}' is not valid: use lowercase letters, digits and single hyphens"
UNKNOWN_VALUE = "unknown {name} '{value}' in {what}; use one of: {allowed}"
BAD_CHOICE_KEY = "choice key '{key}' in {what} is not valid: use the letters a to f"
CHOICE_COUNT = "{what} has {count} choices; a question needs {low} to {high}"
IDENTICAL_CHOICES = "choices {keys} of {what} have the same text: defined at {places}"
ANSWER_NOT_A_CHOICE = "answer '{answer}' of {what} is not one of its choice keys ({keys})"
MISSING_EXPLANATION = (
    "{what} has no explanation; every question that is not a draft needs one "
    "(or set 'status: draft')"
)
NOTHING_TO_LOAD = "the file has neither 'topic' with 'questions' nor 'exams'"
TOPIC_WITHOUT_QUESTIONS = "the file has 'topic' but no 'questions' list"
QUESTIONS_WITHOUT_TOPIC = "the file has 'questions' but no 'topic' they belong to"
TOPICS_ALL_OR_WEIGHTS = "topics of {what} must be 'all' or a mapping of topic slug to weight"


@dataclass(frozen=True)
class Place:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ChoiceSpec:
    key: str
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    external_id: str
    kind: str
    domain: str
    status: str
    stem: str
    choices: tuple[ChoiceSpec, ...]
    answer: str
    explanation: str
    source: str
    tags: tuple[str, ...]
    place: Place


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    title: str
    source: str
    notes: str
    questions: tuple[QuestionSpec, ...]
    place: Place


@dataclass(frozen=True)
class ExamSpec:
    slug: str
    title: str
    description: str
    items: int
    minutes: int
    pass_mark: int
    topic_weights: dict[str, int] | None  # None: every topic, weighted by its size
    selection: str
    status: str
    place: Place


@dataclass
class BankFile:
    """What one file holds once its rules have passed (parts that failed are left out)."""

    path: str
    topic: TopicSpec | None = None
    exams: list[ExamSpec] = field(default_factory=list)
    has_errors: bool = False


def describe(node: yaml.Node) -> str:
    """Name what a node is, for a 'wrong type' message."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "nothing"
    return f"'{node.value[:40]}'"


def name_by_id(node: yaml.Node, noun: str, index: int, key: str = "id") -> str:
    """``question 'x-001'`` when the mapping has a usable id, else ``question 3``."""
    for key_node, value_node in getattr(node, "value", []):
        if (
            isinstance(key_node, yaml.ScalarNode)
            and key_node.value == key
            and isinstance(value_node, yaml.ScalarNode)
            and SLUG_RE.match(value_node.value)
        ):
            return f"{noun} '{value_node.value}'"
    return f"{noun} {index}"


def join_places(places: Iterable[Place]) -> str:
    return " and ".join(str(place) for place in places)


class BankRules:
    """Checks one file's node tree against the bank format, collecting every error."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[BankError] = []

    # --- generic node readers --------------------------------------------------------------

    def error(self, node: yaml.Node, message: str) -> None:
        self.errors.append(BankError(self.path, line_of(node), message))

    def place(self, node: yaml.Node) -> Place:
        return Place(self.path, line_of(node))

    def mapping(
        self,
        node: yaml.Node,
        what: str,
        keys: tuple[frozenset[str], frozenset[str]],
        *,
        any_key: bool = False,
    ) -> dict[str, yaml.Node] | None:
        """Keys to value nodes; ``keys`` is (required, optional). Duplicate, missing and
        (unless ``any_key``) unknown keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, EXPECTED_MAPPING.format(what=what, found=describe(node)))
            return None
        required, optional = keys
        values: dict[str, yaml.Node] = {}
        first_key_nodes: dict[str, yaml.Node] = {}
        repeated: dict[str, list[yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, EXPECTED_TEXT.format(what=f"a key in {what}", found="a list"))
                continue
            key = key_node.value
            if key in first_key_nodes:
                repeated.setdefault(key, [first_key_nodes[key]]).append(key_node)
                continue
            first_key_nodes[key] = key_node
            if not any_key and key not in required and key not in optional:
                allowed = ", ".join(sorted(required | optional))
                self.error(key_node, UNKNOWN_KEY.format(key=key, what=what, allowed=allowed))
                continue
            values[key] = value_node
        for key in first_key_nodes:
            if key in repeated:
                places = join_places(self.place(n) for n in repeated[key])
                self.error(
                    repeated[key][-1], DUPLICATE_KEY.format(key=key, what=what, places=places)
                )
        for key in sorted(required.difference(first_key_nodes)):
            self.error(node, MISSING_KEY.format(key=key, what=what))
        return values

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, EXPECTED_LIST.format(what=what, found=describe(node)))
            return None
        return list(node.value)

    def text(
        self,
        node: yaml.Node | None,
        what: str,
        *,
        blank_ok: bool = False,
        limit: int = MAX_TEXT_CHARS,
    ) -> str | None:
        """Any scalar as the text the author typed (``yes`` stays "yes"), stripped."""
        if node is None:
            return "" if blank_ok else None
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, EXPECTED_TEXT.format(what=what, found=describe(node)))
            return None
        value = "" if node.tag == NULL_TAG else node.value.strip()
        if not value and not blank_ok:
            self.error(node, BLANK_TEXT.format(what=what))
            return None
        if len(value) > limit:
            self.error(node, TEXT_TOO_LONG.format(what=what, length=len(value), limit=limit))
            return None
        if "\x00" in value:  # only a quoted "\0" gets here; PostgreSQL text cannot hold it
            self.error(node, NUL_CHARACTER.format(what=what))
            return None
        return value

    def number(self, node: yaml.Node, what: str, low: int, high: int) -> int | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != INT_TAG:
            self.error(node, EXPECTED_NUMBER.format(what=what, found=describe(node)))
            return None
        try:
            value = int(node.value.replace("_", ""), 0)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            self.error(
                node, NUMBER_OUT_OF_RANGE.format(what=what, low=low, high=high, value=node.value)
            )
            return None
        return value

    def slug(self, node: yaml.Node, what: str, *, limit: int = MAX_TEXT_CHARS) -> str | None:
        value = self.text(node, what, limit=limit)
        if value is not None and not SLUG_RE.match(value):
            self.error(node, BAD_SLUG.format(what=what, value=value))
            return None
        return value

    def one_of(
        self, node: yaml.Node | None, name: str, what: str, allowed: tuple[str, ...], default: str
    ) -> str | None:
        if node is None:
            return default
        value = self.text(node, f"{name} of {what}")
        if value is not None and value not in allowed:
            self.error(
                node,
                UNKNOWN_VALUE.format(name=name, value=value, what=what, allowed=", ".join(allowed)),
            )
            return None
        return value

    # --- the bank format -------------------------------------------------------------------

    def bank_file(self, root: yaml.Node) -> BankFile:
        bank = BankFile(path=self.path)
        top = self.mapping(root, "the file", FILE_KEYS)
        if top is not None:
            if "topic" in top and "questions" not in top:
                self.error(root, TOPIC_WITHOUT_QUESTIONS)
            elif "questions" in top and "topic" not in top:
                self.error(root, QUESTIONS_WITHOUT_TOPIC)
            elif "topic" in top:
                bank.topic = self.topic(top["topic"], top["questions"])
            elif "exams" not in top:
                self.error(root, NOTHING_TO_LOAD)
            if "exams" in top:
                bank.exams = self.exams(top["exams"])
        bank.has_errors = bool(self.errors)
        return bank

    def topic(self, node: yaml.Node, questions_node: yaml.Node) -> TopicSpec | None:
        fields = self.mapping(node, "topic", TOPIC_KEYS)
        question_nodes = self.sequence(questions_node, "questions")
        if fields is None:
            return None
        slug = (
            self.slug(fields["slug"], "topic slug", limit=TOPIC_SLUG_CHARS)
            if "slug" in fields
            else None
        )
        title = (
            self.text(fields.get("title"), "topic title", limit=TOPIC_TITLE_CHARS)
            if "title" in fields
            else None
        )
        source = self.text(
            fields.get("source"), "topic source", blank_ok=True, limit=TOPIC_SOURCE_CHARS
        )
        notes = self.text(fields.get("notes"), "topic notes", blank_ok=True)
        questions = []
        for index, question_node in enumerate(question_nodes or [], start=1):
            question = self.question(question_node, index, default_source=source or "")
            if question is not None:
                questions.append(question)
        if slug is None or title is None:
            return None
        return TopicSpec(
            slug=slug,
            title=title,
            source=source or "",
            notes=notes or "",
            questions=tuple(questions),
            place=self.place(node),
        )

    def question(self, node: yaml.Node, index: int, default_source: str) -> QuestionSpec | None:
        errors_before = len(self.errors)
        fields = self.mapping(
            node,
            name_by_id(node, "question", index),
            QUESTION_KEYS,
        )
        if fields is None:
            return None
        external_id = (
            self.slug(fields["id"], f"id of question {index}", limit=QUESTION_ID_CHARS)
            if "id" in fields
            else None
        )
        what = f"question '{external_id}'" if external_id else f"question {index}"
        kind = self.one_of(fields.get("kind"), "kind", what, KINDS, "")
        domain = self.one_of(fields.get("domain"), "domain", what, DOMAINS, "")
        status = self.one_of(fields.get("status"), "status", what, STATUSES, PUBLISHED)
        stem = self.text(fields.get("stem"), f"stem of {what}") if "stem" in fields else None
        choices = self.choices(fields["choices"], what) if "choices" in fields else None
        answer = (
            self.text(fields.get("answer"), f"answer of {what}") if "answer" in fields else None
        )
        explanation = self.text(fields.get("explanation"), f"explanation of {what}", blank_ok=True)
        source = self.text(
            fields.get("source"), f"source of {what}", blank_ok=True, limit=QUESTION_SOURCE_CHARS
        )
        tags = self.tags(fields.get("tags"), what)
        if choices and answer is not None and answer not in {c.key for c in choices}:
            keys = ", ".join(c.key for c in choices)
            self.error(
                fields["answer"], ANSWER_NOT_A_CHOICE.format(answer=answer, what=what, keys=keys)
            )
        if status not in (None, Status.DRAFT) and not explanation:
            self.error(fields.get("explanation", node), MISSING_EXPLANATION.format(what=what))
        if len(self.errors) > errors_before:
            return None
        return QuestionSpec(
            external_id=external_id,
            kind=kind,
            domain=domain,
            status=status,
            stem=stem,
            choices=tuple(choices),
            answer=answer,
            explanation=explanation or "",
            source=source or default_source,
            tags=tags or (),
            place=self.place(node),
        )

    def choices(self, node: yaml.Node, what: str) -> list[ChoiceSpec] | None:
        fields = self.mapping(node, f"choices of {what}", ANY_KEYS, any_key=True)
        if fields is None:
            return None
        choices, places_by_text = [], {}
        for key, value_node in fields.items():
            if len(key) != 1 or key not in CHOICE_KEYS:
                key_node = next(k for k, v in node.value if v is value_node)
                self.error(key_node, BAD_CHOICE_KEY.format(key=key, what=what))
                continue
            choice = self.choice(value_node, key, what)
            if choice is None:
                continue
            choices.append(choice)
            normalised = " ".join(choice.text.casefold().split())
            places_by_text.setdefault(normalised, []).append((key, value_node))
        if not MIN_CHOICES <= len(fields) <= MAX_CHOICES:
            self.error(
                node,
                CHOICE_COUNT.format(
                    what=what, count=len(fields), low=MIN_CHOICES, high=MAX_CHOICES
                ),
            )
            return None
        for same in places_by_text.values():
            if len(same) > 1:
                keys = " and ".join(key for key, _ in same)
                places = join_places(self.place(n) for _, n in same)
                self.error(
                    same[-1][1], IDENTICAL_CHOICES.format(keys=keys, what=what, places=places)
                )
        return choices

    def choice(self, node: yaml.Node, key: str, what: str) -> ChoiceSpec | None:
        """A choice is its text, or a mapping with ``text`` and an optional ``feedback``."""
        if isinstance(node, yaml.MappingNode):
            fields = self.mapping(node, f"choice {key} of {what}", CHOICE_FIELDS)
            if fields is None or "text" not in fields:
                return None
            text = self.text(fields["text"], f"choice {key} of {what}")
            feedback = self.text(fields.get("feedback"), f"feedback of choice {key}", blank_ok=True)
            return ChoiceSpec(key, text, feedback or "") if text is not None else None
        text = self.text(node, f"choice {key} of {what}")
        return ChoiceSpec(key, text) if text is not None else None

    def tags(self, node: yaml.Node | None, what: str) -> tuple[str, ...] | None:
        if node is None:
            return ()
        items = self.sequence(node, f"tags of {what}")
        if items is None:
            return None
        tags = [self.slug(item, f"tag of {what}") for item in items]
        return None if None in tags else tuple(tags)

    def exams(self, node: yaml.Node) -> list[ExamSpec]:
        exams = []
        for position, exam_node in enumerate(self.sequence(node, "exams") or [], start=1):
            exam = self.exam(exam_node, position)
            if exam is not None:
                exams.append(exam)
        return exams

    def exam(self, node: yaml.Node, position: int) -> ExamSpec | None:
        errors_before = len(self.errors)
        fields = self.mapping(
            node,
            name_by_id(node, "exam", position, key="slug"),
            EXAM_KEYS,
        )
        if fields is None:
            return None
        slug = (
            self.slug(fields["slug"], f"slug of exam {position}", limit=EXAM_SLUG_CHARS)
            if "slug" in fields
            else None
        )
        what = f"exam '{slug}'" if slug else f"exam {position}"
        title = (
            self.text(fields.get("title"), f"title of {what}", limit=EXAM_TITLE_CHARS)
            if "title" in fields
            else None
        )
        description = self.text(fields.get("description"), f"description of {what}", blank_ok=True)
        items = minutes = pass_mark = None
        if "items" in fields:
            items = self.number(fields["items"], f"items of {what}", 1, MAX_ITEMS)
        if "minutes" in fields:
            minutes = self.number(fields["minutes"], f"minutes of {what}", 1, MAX_MINUTES)
        if "pass_mark" in fields:
            pass_mark = self.number(fields["pass_mark"], f"pass_mark of {what}", 0, 100)
        weights = self.topic_weights(fields["topics"], what) if "topics" in fields else None
        selection = self.one_of(fields.get("selection"), "selection", what, SELECTIONS, WEIGHTED)
        status = self.one_of(fields.get("status"), "status", what, STATUSES, PUBLISHED)
        if len(self.errors) > errors_before:
            return None
        return ExamSpec(
            slug=slug,
            title=title,
            description=description or "",
            items=items,
            minutes=minutes,
            pass_mark=pass_mark,
            topic_weights=None if weights == "all" else weights,
            selection=selection,
            status=status,
            place=self.place(node),
        )

    def topic_weights(self, node: yaml.Node, what: str) -> dict[str, int] | str | None:
        if isinstance(node, yaml.ScalarNode) and node.value == "all":
            return "all"
        if not isinstance(node, yaml.MappingNode) or not node.value:
            self.error(node, TOPICS_ALL_OR_WEIGHTS.format(what=what))
            return None
        fields = self.mapping(node, f"topics of {what}", ANY_KEYS, any_key=True)
        weights = {}
        for slug, weight_node in (fields or {}).items():
            if not SLUG_RE.match(slug):
                self.error(weight_node, BAD_SLUG.format(what=f"topic in {what}", value=slug))
                continue
            weight = self.number(weight_node, f"weight of topic '{slug}' in {what}", 1, 10_000)
            if weight is not None:
                weights[slug] = weight
        return weights


def read_bank_file(root: yaml.Node, path: str) -> tuple[BankFile, list[BankError]]:
    """Apply the format's rules to one parsed file."""
    rules = BankRules(path)
    with cyclic_gc_paused():  # thousands of small specs, none in a cycle (see the reader)
        bank = rules.bank_file(root)
    return bank, rules.errors
