from quizzes.question_rules import CHOICE_KEYS, MAX_CHOICES, MIN_CHOICES, Domain, Kind, Status

from .attempts import (
    Attempt,
    AttemptDomainResult,
    AttemptItem,
    AttemptKind,
    AttemptStatus,
    AttemptTopicResult,
    FinishReason,
    complete_q,
    owned_attempt_or_none,
)
from .content import Choice, Exam, ExamTopic, Question, Selection, Topic
from .reports import QuestionReport, ReportReason, ReportStatus
from .staging import StagedBankFile
from .stars import StarredQuestion

__all__ = [
    "CHOICE_KEYS",
    "MAX_CHOICES",
    "MIN_CHOICES",
    "Attempt",
    "AttemptDomainResult",
    "AttemptItem",
    "AttemptKind",
    "AttemptStatus",
    "AttemptTopicResult",
    "Choice",
    "Domain",
    "Exam",
    "ExamTopic",
    "FinishReason",
    "Kind",
    "Question",
    "QuestionReport",
    "ReportReason",
    "ReportStatus",
    "Selection",
    "StagedBankFile",
    "StarredQuestion",
    "Status",
    "Topic",
    "complete_q",
    "owned_attempt_or_none",
]
