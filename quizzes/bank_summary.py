"""What the pages need to know about the whole bank, computed once per content version.

Home, history, the topic list and the cohort dashboard all read the topics with their
question counts, the reference mock exam and its weights, and the built-in drills. These
change only when content does, so they are read together and cached (``content_cache``).
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .content_cache import content_cached
from .models import Exam, Question, Selection, Status, Topic


@dataclass(frozen=True)
class BankSummary:
    topics: list[Topic]  # by title, each with ``published_count``
    reference_mock: Exam | None  # readiness is about this exam: the largest weighted mock
    mock_weights: dict[int, float]  # topic id -> weight in the reference mock
    adaptive: dict[str, Exam]  # the built-in drills by selection rule
    smallest_mock: Exam | None
    largest_mock: Exam | None
    mock_ids: frozenset[int]  # every mock exam, published or not (old attempts count)


def topics_with_counts() -> QuerySet[Topic]:
    return Topic.objects.annotate(
        published_count=Count("questions", filter=Q(questions__status=Status.PUBLISHED))
    ).order_by("title")


def reference_mock() -> Exam | None:
    return (
        Exam.objects.published()
        .filter(selection=Selection.WEIGHTED)
        .order_by("-item_count", "position")
        .first()
    )


def mock_weights(exam: Exam | None) -> dict[int, float]:
    if exam is None:
        return {}
    if exam.all_topics:
        return Question.objects.published().count_by_topic()
    return dict(exam.topic_weights.values_list("topic_id", "weight"))


def read_bank_summary() -> BankSummary:
    exam = reference_mock()
    published = Exam.objects.published()
    mocks = published.mocks()
    adaptive = published.filter(selection__in=[Selection.WEAK_TOPICS, Selection.MISTAKES])
    return BankSummary(
        topics=list(topics_with_counts()),
        reference_mock=exam,
        mock_weights=mock_weights(exam),
        adaptive={exam.selection: exam for exam in adaptive},
        smallest_mock=mocks.order_by("item_count").first(),
        largest_mock=mocks.order_by("-item_count").first(),
        mock_ids=frozenset(Exam.objects.mocks().values_list("id", flat=True)),
    )


def bank_summary() -> BankSummary:
    return content_cached("bank-summary", read_bank_summary)
