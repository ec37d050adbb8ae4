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
    "report_item",
    "start_exam",
    "submit",
    "take_item",
    "topic_detail",
    "topic_list",
]
