"""Item statistics as Moodle computes them, over each candidate's first answer to a question.

- facility index: percent of first responses that were correct;
- discrimination index: facility among the top third of responses (by the attempt's total
  score) minus facility among the bottom third, in points; negative means strong candidates
  miss the item more often than weak ones;
- distractors nobody picked.

Every figure comes from database aggregates; no Python loop over individual answers.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from quizzes.models import AttemptItem, AttemptStatus, Choice, Question

TOO_EASY = 90
TOO_HARD = 30
# Below this many first responses an item's figures are mostly chance: it gets no flags and
# is listed as "too few responses" rather than ranked among the most problematic.
MIN_RESPONSES = 30
TOO_FEW_RESPONSES = "too few responses"
CACHE_KEY = "quizzes:item-statistics"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class ItemStats:
    question_id: int
    responses: int
    correct: int
    discrimination: int | None  # points; None when a third is empty
    unpicked_distractors: tuple[str, ...] = field(default=())

    @property
    def facility(self) -> int | None:
        return round(100 * self.correct / self.responses) if self.responses else None

    @property
    def enough_responses(self) -> bool:
        return self.responses >= MIN_RESPONSES

    @property
    def flags(self) -> list[str]:
        if not self.enough_responses:
            return []
        flags = []
        if self.facility > TOO_EASY:
            flags.append("too easy")
        if self.facility < TOO_HARD:
            flags.append("too hard")
        if self.discrimination is not None and self.discrimination < 0:
            flags.append("negative discrimination")
        if self.unpicked_distractors:
            flags.append("distractor nobody picks: " + ", ".join(self.unpicked_distractors))
        return flags

    @property
    def problem_score(self) -> tuple:
        """Sort key: most problematic first."""
        return (-len(self.flags), self.discrimination if self.discrimination is not None else 0)


def rank_items(
    rows: Iterable[tuple[Question, ItemStats]],
) -> tuple[list[tuple[Question, ItemStats]], list[tuple[Question, ItemStats]]]:
    """Items with enough responses, most problematic first; then the others, most answered
    first, unranked."""
    ranked, too_few = [], []
    for row in rows:
        (ranked if row[1].enough_responses else too_few).append(row)
    ranked.sort(key=lambda row: (row[1].problem_score, row[0].external_id))
    too_few.sort(key=lambda row: (-row[1].responses, row[0].external_id))
    return ranked, too_few


def first_responses() -> QuerySet[AttemptItem]:
    """Each candidate's first answered-or-not response to each question, in submitted attempts."""
    first = (
        AttemptItem.objects.filter(
            attempt__user=OuterRef("attempt__user"),
            question=OuterRef("question"),
            attempt__status=AttemptStatus.SUBMITTED,
        )
        .order_by("attempt__submitted_at", "attempt_id")
        .values("pk")[:1]
    )
    return AttemptItem.objects.filter(
        attempt__status=AttemptStatus.SUBMITTED, question__isnull=False, pk=Subquery(first)
    )


def score_thirds(responses: QuerySet[AttemptItem]) -> tuple[int, int] | None:
    """The attempt scores at the bottom and top third boundaries of these responses."""
    scores = responses.order_by("attempt__score").values_list("attempt__score", flat=True)
    total = scores.count()
    if total < 3:
        return None
    return scores[total // 3 - 1], scores[total - total // 3]


def item_statistics(questions: QuerySet[Question] | None = None) -> dict[int, ItemStats]:
    """Statistics per question id (only questions with at least one first response)."""
    responses = first_responses()
    if questions is not None:
        responses = responses.filter(question__in=questions)
    thirds = score_thirds(responses)
    correct = Q(is_correct=True)
    aggregates = {
        "responses": Count("pk"),
        "correct": Count("pk", filter=correct),
    }
    if thirds:
        low, high = thirds
        aggregates |= {
            "bottom": Count("pk", filter=Q(attempt__score__lte=low)),
            "bottom_correct": Count("pk", filter=correct & Q(attempt__score__lte=low)),
            "top": Count("pk", filter=Q(attempt__score__gte=high)),
            "top_correct": Count("pk", filter=correct & Q(attempt__score__gte=high)),
        }
    rows = responses.values("question_id").annotate(**aggregates).order_by()
    picks = {
        (row["question_id"], row["chosen_key"]): row["n"]
        for row in responses.exclude(chosen_key="")
        .values("question_id", "chosen_key")
        .annotate(n=Count("pk"))
        .order_by()
    }
    wrong_keys: dict[int, list[str]] = {}
    for question_id, key in Choice.objects.filter(
        question_id__in=[row["question_id"] for row in rows], is_correct=False
    ).values_list("question_id", "key"):
        wrong_keys.setdefault(question_id, []).append(key)

    stats = {}
    for row in rows:
        question_id = row["question_id"]
        discrimination = None
        if thirds and row["top"] and row["bottom"]:
            discrimination = round(
                100 * row["top_correct"] / row["top"] - 100 * row["bottom_correct"] / row["bottom"]
            )
        stats[question_id] = ItemStats(
            question_id=question_id,
            responses=row["responses"],
            correct=row["correct"],
            discrimination=discrimination,
            unpicked_distractors=tuple(
                key
                for key in sorted(wrong_keys.get(question_id, []))
                if not picks.get((question_id, key))
            ),
        )
    return stats


def cached_item_statistics() -> dict[int, ItemStats]:
    """All questions' statistics, recomputed at most once a minute (admin list columns)."""
    return cache.get_or_set(CACHE_KEY, item_statistics, CACHE_SECONDS)
