from .attempts import (
    answer_item,
    attempt_detail,
    attempt_result,
    attempt_review,
    attempt_state,
    exam_catalogue,
    mark_item,
    report_item,
    start_exam,
    submit,
    take_item,
)
from .pages import healthz, history, home, topic_detail, topic_list
from .practice import practice_builder
from .strike import strike_item

__all__ = [
    "answer_item",
    "attempt_detail",
    "attempt_result",
    "attempt_review",
    "attempt_state",
    "exam_catalogue",
    "healthz",
    "history",
    "home",
    "mark_item",
    "practice_builder",
    "report_item",
    "start_exam",
    "strike_item",
    "submit",
    "take_item",
    "topic_detail",
    "topic_list",
]
