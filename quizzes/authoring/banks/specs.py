"""What a bank file holds once its rules have passed: plain frozen values, each with its place."""

from dataclasses import dataclass, field


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
