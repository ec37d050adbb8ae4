"""Drawing a new attempt's items: which questions, in what order, and the snapshot of each
(its choices shuffled) that the attempt keeps whatever later happens to the question."""

import random

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Prefetch

from .attempt_errors import AttemptError
from .models import Attempt, AttemptItem, Choice, Exam, Question, Selection
from .progress import mastery_for, mistake_pool, weakest_topic_ids
from .scoring import allocate_items

NO_MISTAKES = (
    "You have no mistakes to retake: every question you missed has since been answered right "
    "twice. Try a mini mock or a topic drill instead."
)
NO_WEAK_TOPICS = "Weak topics come from your results: take a mini mock or a topic drill first."


def snapshot_item(
    attempt: Attempt, position: int, question: Question, rng: random.Random
) -> AttemptItem:
    choices = list(question.choices.all())
    rng.shuffle(choices)
    return AttemptItem(
        attempt=attempt,
        position=position,
        question=question,
        topic_id=question.topic_id,
        domain=question.domain,
        stem=question.stem,
        choices=[{"key": c.key, "text": c.text} for c in choices],
        choice_keys="".join(c.key for c in choices),
        correct_key=next(c.key for c in choices if c.is_correct),
        explanation=question.explanation,
    )


def draw_questions(*, exam: Exam, user: AbstractBaseUser, rng: random.Random) -> list[Question]:
    """The questions of a new attempt, per the exam's selection rule."""
    published = Question.objects.published().filter(choices__is_correct=True)
    if exam.selection == Selection.MISTAKES:
        available = set(published.values_list("id", flat=True))
        chosen_ids = [q for q in mistake_pool(user) if q in available][: exam.item_count]
        if not chosen_ids:
            raise AttemptError(NO_MISTAKES)
    else:
        chosen_ids = draw_weighted(exam=exam, user=user, published=published, rng=rng)
    rng.shuffle(chosen_ids)
    return questions_in_order(chosen_ids)


def questions_in_order(ids: list[int]) -> list[Question]:
    """The questions ``ids`` names, in that order, with what a snapshot copies (a hundred
    questions and their choices per start: nothing more)."""
    questions = (
        Question.objects.only("pk", "topic_id", "domain", "stem", "explanation")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=Choice.objects.only("question_id", "key", "text", "is_correct").order_by(
                    "key"
                ),
            )
        )
        .in_bulk(ids)
    )
    return [questions[pk] for pk in ids]


def draw_weighted(
    *, exam: Exam, user: AbstractBaseUser, published, rng: random.Random
) -> list[int]:
    """Question ids per the exam's topic weights, questions this candidate has not seen first."""
    if exam.all_topics or exam.selection == Selection.WEAK_TOPICS:
        counts = published.count_by_topic()
        weights = counts
        if exam.selection == Selection.WEAK_TOPICS:
            mastery = mastery_for(user)
            if not mastery:
                raise AttemptError(NO_WEAK_TOPICS)
            weights = {t: counts[t] for t in weakest_topic_ids(mastery, list(counts))}
    else:
        weights = dict(exam.topic_weights.values_list("topic_id", "weight"))
        counts = published.filter(topic_id__in=weights).count_by_topic()
    quotas = allocate_items(exam.item_count, weights, counts)
    seen = seen_question_ids(user)
    chosen_ids: list[int] = []
    for topic_id, quota in sorted(quotas.items()):
        ids = list(published.filter(topic_id=topic_id).values_list("id", flat=True))
        rng.shuffle(ids)
        ids.sort(key=lambda pk: pk in seen)  # stable: unseen first, each group still shuffled
        chosen_ids.extend(ids[:quota])
    return chosen_ids


def seen_question_ids(user: AbstractBaseUser) -> set[int]:
    """Every question the candidate has been shown, in any attempt."""
    return set(
        AttemptItem.objects.filter(attempt__user=user, question__isnull=False)
        .order_by()
        .values_list("question_id", flat=True)
        .distinct()
    )
