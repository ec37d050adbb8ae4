"""A candidate's attempts at an exam: the items as shown, the answers, the grade."""

from itertools import combinations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse

from crss_prep.fixed_rows import fetch_row

from ..question_rules import CHOICE_KEYS
from ..scoring import is_incomplete
from .content import Domain, Exam, Question, Topic


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class AttemptKind(models.TextChoices):
    EXAM = "exam", "Exam"  # from the catalogue: feedback after submitting
    PRACTICE = "practice", "Practice"  # built by the candidate: feedback after submitting
    TUTOR = "tutor", "Tutor"  # built by the candidate: feedback after each answer


class FinishReason(models.TextChoices):
    SUBMITTED = "submitted", "Submitted by the candidate"
    TIME_UP = "time_up", "Time ran out"


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user) -> "AttemptQuerySet":
        """The only way views reach attempts: a candidate sees their own, nobody else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def in_progress(self) -> "AttemptQuerySet":
        return self.filter(status=AttemptStatus.IN_PROGRESS)

    def submitted(self) -> "AttemptQuerySet":
        return self.filter(status=AttemptStatus.SUBMITTED)

    def overdue(self, now) -> "AttemptQuerySet":
        return self.in_progress().filter(deadline__lt=now)

    def complete(self) -> "AttemptQuerySet":
        return self.filter(complete_q())


def complete_q(prefix: str = "") -> Q:
    """Submitted attempts with at least half their items answered (``prefix`` reaches them
    from another model, e.g. ``"attempts__"``): the ones a trend or a mock figure counts."""
    return Q(**{f"{prefix}status": AttemptStatus.SUBMITTED}) & Q(
        GreaterThanOrEqual(F(f"{prefix}answered_count") * 2, F(f"{prefix}item_count"))
    )


class Attempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    # None for a practice session the candidate built (``quizzes.practice``).
    exam = models.ForeignKey(
        Exam, on_delete=models.PROTECT, related_name="attempts", null=True, blank=True
    )
    kind = models.CharField(max_length=10, choices=AttemptKind.choices, default=AttemptKind.EXAM)
    # An untimed session still has a deadline, far off (``practice.UNTIMED_DAYS``), so that
    # one left open is closed like any other; its pages show no countdown.
    timed = models.BooleanField(default=True)
    status = models.CharField(
        max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    finish_reason = models.CharField(max_length=12, choices=FinishReason.choices, blank=True)
    # Copied from the exam at start, so that editing the exam never changes this attempt.
    exam_title = models.CharField(max_length=200)
    pass_mark = models.PositiveSmallIntegerField()
    item_count = models.PositiveIntegerField()
    correct_count = models.PositiveIntegerField(null=True, blank=True)
    answered_count = models.PositiveIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField("score (%)", null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    # The start form's one-time token (``quizzes.start_tokens``) for a practice session: the
    # same form sent twice (a double tap on a slow connection) starts one session, not two.
    start_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["user", "status"], name="attempt_user_status"),
            models.Index(fields=["status", "deadline"], name="attempt_status_deadline"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exam"],
                condition=Q(status=AttemptStatus.IN_PROGRESS),
                name="one_attempt_in_progress_per_exam",
            ),
            models.UniqueConstraint(
                fields=["user", "start_token"],
                condition=Q(start_token__isnull=False),
                name="one_attempt_per_start_token",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttemptStatus.values), name="attempt_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=AttemptKind.EXAM, exam__isnull=False)
                | Q(kind__in=[AttemptKind.PRACTICE, AttemptKind.TUTOR], exam__isnull=True),
                name="attempt_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=AttemptStatus.IN_PROGRESS)
                | Q(submitted_at__isnull=False, score__isnull=False, correct_count__isnull=False),
                name="submitted_attempt_is_graded",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="attempt_score_percent"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("started_at")),
                name="attempt_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam_title} by {self.user} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt_detail", args=[self.pk])

    @property
    def is_incomplete(self) -> bool:
        """Submitted with fewer than half its items answered (see ``scoring.is_incomplete``)."""
        return self.is_submitted and is_incomplete(self.answered_count or 0, self.item_count)

    @property
    def is_submitted(self) -> bool:
        return self.status == AttemptStatus.SUBMITTED

    @property
    def is_tutor(self) -> bool:
        return self.kind == AttemptKind.TUTOR

    @property
    def time_used(self):
        end = self.submitted_at or self.deadline
        return min(end, self.deadline) - self.started_at


def owned_attempt_or_none(user, attempt_id: int) -> Attempt | None:
    """``Attempt.objects.for_user(user).filter(pk=attempt_id).first()``, as one fixed
    statement (``crss_prep.fixed_rows``): every page of an attempt reads it first, and the
    read took 0.79 ms through the query builder, about 0.5 ms this way (the benchmark's
    PostgreSQL)."""
    if not user.is_authenticated:
        return None
    return fetch_row(Attempt, id=attempt_id, user=user.pk)


def struck_keys_valid() -> Q:
    """Struck keys are some of the item's own keys, each once, in a-f order: one of the 64
    ordered subsets of a-f, and none missing from ``choice_keys``."""
    in_order = [
        "".join(keys)
        for size in range(len(CHOICE_KEYS) + 1)
        for keys in combinations(CHOICE_KEYS, size)
    ]
    condition = Q(struck_keys__in=in_order)
    for key in CHOICE_KEYS:
        condition &= ~Q(struck_keys__contains=key) | Q(choice_keys__contains=key)
    return condition


class AttemptItem(models.Model):
    """One item as the candidate was shown it: a snapshot, immune to later edits."""

    # No index of their own: attempt_item_position leads with the attempt and
    # attempt_item_question with the question, and every index is one more write per save.
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attempt_items",
        db_index=False,
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    # The question's exam domain when it was shown ("" for items shown before domains were
    # copied whose question is gone).
    domain = models.CharField(max_length=40, choices=Domain.choices, blank=True)
    stem = models.TextField()
    # [{"key": "b", "text": "..."}, ...] in the shuffled order shown; keys are the question's.
    choices = models.JSONField()
    # The same keys as one string ("bdac"), so that a save checks its key in the database,
    # in the statement that stores it.
    choice_keys = models.CharField(max_length=6)
    correct_key = models.CharField(max_length=1)
    explanation = models.TextField(blank=True)
    chosen_key = models.CharField(max_length=1, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The sequence number of the save that stored ``chosen_key``: a save of this item with a
    # number not above it comes from an older choice (another tab, a late retry) and is
    # refused. Pages number a choice by the time it was made (ms), hence the 64 bits.
    version = models.BigIntegerField(default=0)
    marked = models.BooleanField("marked for review", default=False)
    # The choices the candidate crossed out ("bd"): keys of this item, in a-f order. Kept
    # apart from the answer: striking the chosen choice leaves it chosen.
    struck_keys = models.CharField("struck-out choices", max_length=6, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)

    class Meta:
        # attempt_id, not attempt: ordering by the relation would follow Attempt's own
        # ordering and join the attempt table into every items query.
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="attempt_item_position_1"),
            models.CheckConstraint(condition=struck_keys_valid(), name="attempt_item_struck_keys"),
        ]
        indexes = [
            models.Index(fields=["question", "is_correct"], name="attempt_item_question"),
        ]

    def __str__(self) -> str:
        return f"Item {self.position} of attempt {self.attempt_id}"

    @property
    def is_answered(self) -> bool:
        return bool(self.chosen_key)

    def text_of(self, key: str) -> str:
        return next((c["text"] for c in self.choices if c["key"] == key), "")


class ResultCounts(models.Model):
    """Correct, answered and total items of one attempt in one topic or one domain, stored
    at submit so that history never rescans answers. The score counts a blank as wrong;
    mastery learns only from the answered ones."""

    correct = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()
    total = models.PositiveIntegerField()

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def counts_ordered(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(correct__lte=models.F("answered"), answered__lte=models.F("total")),
        name=name,
    )


class AttemptTopicResult(ResultCounts):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="topic_results")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["attempt", "topic__title"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "topic"], name="attempt_topic_unique"),
            counts_ordered("topic_result_counts_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.correct}/{self.total}"


class AttemptDomainResult(ResultCounts):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="domain_results")
    domain = models.CharField(max_length=40, choices=Domain.choices)

    class Meta:
        ordering = ["attempt", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "domain"], name="attempt_domain_unique"),
            counts_ordered("domain_result_counts_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.correct}/{self.total}"
