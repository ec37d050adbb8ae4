"""The bank format's rules: YAML nodes in, plain specs (or ``path:line`` errors) out.

Pure: no database. ``content/README.md`` documents the format these rules enforce; the rules
every question keeps, wherever it is written, come from ``quizzes.question_rules``.
"""

import yaml

from quizzes.models import Exam, Selection, Topic
from quizzes.question_rules import (
    DOMAINS,
    KINDS,
    QUESTION_ID_CHARS,
    QUESTION_SOURCE_CHARS,
    SLUG_RE,
    STATUSES,
    Status,
    answer_problem,
    choice_count_problem,
    choice_key_problem,
    explanation_problem,
    identical_choice_groups,
    identical_choices_problem,
    slug_problem,
)

from .nodes import NodeRules, join_places
from .reader import BankError, cyclic_gc_paused
from .specs import BankFile, ChoiceSpec, ExamSpec, QuestionSpec, TopicSpec

MAX_ITEMS = 1000
MAX_MINUTES = 24 * 60
# The columns' sizes: a longer value is an error with its line here, not a database error
# (or, on SQLite, a silently stored overlong value) at import.
TOPIC_SLUG_CHARS = Topic._meta.get_field("slug").max_length
TOPIC_TITLE_CHARS = Topic._meta.get_field("title").max_length
TOPIC_SOURCE_CHARS = Topic._meta.get_field("source").max_length
EXAM_SLUG_CHARS = Exam._meta.get_field("slug").max_length
EXAM_TITLE_CHARS = Exam._meta.get_field("title").max_length

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

IDENTICAL_CHOICES_AT = "{what} {problem} (defined at {places})"
NOTHING_TO_LOAD = "the file has neither 'topic' with 'questions' nor 'exams'"
TOPIC_WITHOUT_QUESTIONS = "the file has 'topic' but no 'questions' list"
QUESTIONS_WITHOUT_TOPIC = "the file has 'questions' but no 'topic' they belong to"
TOPICS_ALL_OR_WEIGHTS = "topics of {what} must be 'all' or a mapping of topic slug to weight"
BAD_TOPIC_SLUG = "topic in {what} {problem}"


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


class BankRules(NodeRules):
    """Checks one file's node tree against the bank format, collecting every error."""

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
        if choices and answer is not None:
            problem = answer_problem(answer, [choice.key for choice in choices])
            if problem:
                self.error(fields["answer"], f"{what} {problem}")
        problem = explanation_problem(explanation or "", status) if status else None
        if problem:
            self.error(fields.get("explanation", node), f"{what} {problem}")
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
        choices, nodes = [], {}
        for key, value_node in fields.items():
            problem = choice_key_problem(key)
            if problem:
                key_node = next(k for k, v in node.value if v is value_node)
                self.error(key_node, f"{what} {problem}")
                continue
            choice = self.choice(value_node, key, what)
            if choice is not None:
                choices.append(choice)
                nodes[key] = value_node
        problem = choice_count_problem(len(fields))
        if problem:
            self.error(node, f"{what} {problem}")
            return None
        for keys in identical_choice_groups((choice.key, choice.text) for choice in choices):
            message = IDENTICAL_CHOICES_AT.format(
                what=what,
                problem=identical_choices_problem(keys),
                places=join_places(self.place(nodes[key]) for key in keys),
            )
            self.error(nodes[keys[-1]], message)
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
            problem = slug_problem(slug)
            if problem:
                self.error(weight_node, BAD_TOPIC_SLUG.format(what=what, problem=problem))
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
