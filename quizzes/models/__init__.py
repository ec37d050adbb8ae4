from .content import (
    CHOICE_KEYS,
    MAX_CHOICES,
    MIN_CHOICES,
    Choice,
    Domain,
    Exam,
    ExamTopic,
    Kind,
    Question,
    Selection,
    Status,
    Topic,
)

__all__ = [
    "CHOICE_KEYS",
    "MAX_CHOICES",
    "MIN_CHOICES",
    "Choice",
    "Domain",
    "Exam",
    "ExamTopic",
    "Kind",
    "Question",
    "Selection",
    "Status",
    "Topic",
]
