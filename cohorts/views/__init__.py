from .exports import attempts_csv, learners_csv
from .lead import cohort_list, create_cohort, dashboard, questions, regenerate_code
from .learners import learner_history, learner_result, set_extra_time
from .membership import join, join_confirm, leave

__all__ = [
    "attempts_csv",
    "cohort_list",
    "create_cohort",
    "dashboard",
    "join",
    "join_confirm",
    "learner_history",
    "learner_result",
    "learners_csv",
    "leave",
    "questions",
    "regenerate_code",
    "set_extra_time",
]
