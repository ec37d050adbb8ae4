"""What the pages need to know about the whole bank, computed once per content version.

Home, history, the topic list and the cohort dashboard all read the topics with their
question counts, the reference mock exam and its weights, and the built-in drills. These
change only when content does, so they are read together and cached until it changes
(``crss_prep.page_cache``).
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from crss_prep.page_cache import content_cached

from .models import Domain, Exam, Question, Selection, Status, Topic

# A domain with fewer published questions than this gets no figure: a handful of items would
# make a number that looks like a measure and is not. Pages say "not covered by this pool".
MIN_DOMAIN_QUESTIONS = 20


@dataclass(frozen=True)
class DomainCoverage:
    domain: str
    label: str
    questions: int  # published

    @property
    def covered(self) -> bool:
        return self.questions >= MIN_DOMAIN_QUESTIONS


def domain_coverage() -> tuple[DomainCoverage, ...]:
    """The four exam domains, each with how many published questions practice it."""
    counts = dict(
        Question.objects.published()
        .order_by()
        .values("domain")
        .annotate(n=Count("pk"))
        .values_list("domain", "n")
    )
    return tuple(DomainCoverage(d.value, d.label, counts.get(d.value, 0)) for d in Domain)


def and_list(words: list[str]) -> str:
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


def scope_sentence(domains: tuple[DomainCoverage, ...]) -> str:
    """What the pool covers of the real exam, in one plain sentence."""
    covered = [d for d in domains if d.covered]
    missing = [d.label for d in domains if not d.covered]
    questions = sum(d.questions for d in domains)
    if not covered:
        return f"The {questions} questions here are too few to cover any exam domain."
    if not missing:
        return f"The {questions} questions here cover all four domains of the real CRSS exam."
    main = max(covered, key=lambda d: d.questions)
    mostly = f" (mostly {main.label})" if len(covered) > 1 else ""
    plural = "s" if len(covered) > 1 else ""
    return (
        f"The {questions} questions here cover the {and_list([d.label for d in covered])} "
        f"domain{plural} of the real CRSS exam{mostly}; the real exam also tests "
        f"{and_list(missing)}, which scores here do not measure."
    )


@dataclass(frozen=True)
class BankSummary:
    topics: list[Topic]  # by title, each with ``published_count``
    reference_mock: Exam | None  # readiness is about this exam: the largest weighted mock
    mock_weights: dict[int, float]  # topic id -> weight in the reference mock
    adaptive: dict[str, Exam]  # the built-in drills by selection rule
    smallest_mock: Exam | None
    largest_mock: Exam | None
    mock_ids: frozenset[int]  # every mock exam, published or not (old attempts count)
    domains: tuple[DomainCoverage, ...]  # the four exam domains, in the exam's order
    scope: str  # one sentence: what the pool covers of the real exam

    def domain(self, value: str) -> DomainCoverage | None:
        return next((d for d in self.domains if d.domain == value), None)


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
    domains = domain_coverage()
    return BankSummary(
        topics=list(topics_with_counts()),
        reference_mock=exam,
        mock_weights=mock_weights(exam),
        adaptive={exam.selection: exam for exam in adaptive},
        smallest_mock=mocks.order_by("item_count").first(),
        largest_mock=mocks.order_by("-item_count").first(),
        mock_ids=frozenset(Exam.objects.mocks().values_list("id", flat=True)),
        domains=domains,
        scope=scope_sentence(domains),
    )


def bank_summary() -> BankSummary:
    return content_cached("bank-summary", read_bank_summary)
