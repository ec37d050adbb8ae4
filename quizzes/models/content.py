"""Question-bank content: topics, questions with their choices, and exam definitions."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

# The vocabularies and limits are the question rules'; the constraints below guard them.
from quizzes.question_rules import (
    CHOICE_KEYS,
    QUESTION_ID_CHARS,
    QUESTION_SOURCE_CHARS,
    SLUG_PATTERN,
    Domain,
    Kind,
    Status,
)

slug_validator = RegexValidator(
    SLUG_PATTERN, "Use lowercase letters, digits and single hyphens, e.g. 'power-dynamics-007'."
)


class Selection(models.TextChoices):
    """How an exam picks its items."""

    WEIGHTED = "weighted", "Weighted draw from its topics"
    WEAK_TOPICS = "weak-topics", "The candidate's weakest topics"
    MISTAKES = "mistakes", "The candidate's past mistakes"


class Topic(models.Model):
    slug = models.SlugField(max_length=60, unique=True, validators=[slug_validator])
    title = models.CharField(max_length=200)
    source = models.CharField("source article", max_length=300, blank=True)
    notes = models.TextField("study notes (Markdown)", blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_blank"),
            models.CheckConstraint(condition=~Q(title=""), name="topic_title_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:topic_detail", args=[self.slug])


class QuestionQuerySet(models.QuerySet):
    def published(self) -> "QuestionQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def for_topics(self, topics) -> "QuestionQuerySet":
        return self.filter(topic__in=topics)

    def count_by_topic(self) -> dict[int, int]:
        """Topic id -> number of these questions, in one GROUP BY."""
        rows = self.order_by().values("topic_id").annotate(n=models.Count("id"))
        return {row["topic_id"]: row["n"] for row in rows}


class Question(models.Model):
    external_id = models.CharField(
        "id",
        max_length=QUESTION_ID_CHARS,
        unique=True,
        validators=[slug_validator],
        help_text="Stable id used in bank files, e.g. 'dual-relationships-012'.",
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.APPLICATION)
    domain = models.CharField(
        max_length=40, choices=Domain.choices, default=Domain.PROFESSIONAL_RESPONSIBILITY
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    stem = models.TextField(help_text="The question as the candidate reads it (Markdown).")
    explanation = models.TextField(
        blank=True, help_text="Why the answer is right (Markdown). Required to publish."
    )
    source = models.CharField("source article", max_length=QUESTION_SOURCE_CHARS, blank=True)
    tags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["external_id"]
        indexes = [models.Index(fields=["topic", "status"], name="question_topic_status")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="question_kind_valid"),
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values), name="question_domain_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="question_status_valid"
            ),
            models.CheckConstraint(condition=~Q(stem=""), name="question_stem_not_blank"),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | ~Q(explanation=""),
                name="published_question_explained",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.CharField(max_length=1, help_text="a to f")
    text = models.TextField()
    is_correct = models.BooleanField("correct", default=False)
    feedback = models.TextField(blank=True, help_text="Optional feedback for this choice.")

    class Meta:
        ordering = ["question", "key"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="choice_key_unique"),
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_correct=True), name="one_correct_choice"
            ),
            models.CheckConstraint(
                condition=Q(key__in=list(CHOICE_KEYS)), name="choice_key_a_to_f"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="choice_text_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.key}) {self.text[:60]}"


class ExamQuerySet(models.QuerySet):
    def published(self) -> "ExamQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def mocks(self) -> "ExamQuerySet":
        """Exams in the real format's spirit: every topic, weighted by size."""
        return self.filter(all_topics=True, selection=Selection.WEIGHTED)

    def drills_for(self, topic) -> "ExamQuerySet":
        """Weighted exams that draw from ``topic`` alone."""
        return (
            self.filter(all_topics=False, selection=Selection.WEIGHTED)
            .annotate(topic_count=models.Count("topic_weights"))
            .filter(topic_count=1, topic_weights__topic=topic)
        )

    def adaptive(self, selection: str) -> "ExamQuerySet":
        return self.filter(selection=selection)


class Exam(models.Model):
    """An exam definition: how many items, how long, the pass mark, and where items come from."""

    slug = models.SlugField(max_length=60, unique=True, validators=[slug_validator])
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    item_count = models.PositiveIntegerField("items", validators=[MinValueValidator(1)])
    minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)", validators=[MaxValueValidator(100)]
    )
    all_topics = models.BooleanField(
        default=False, help_text="Draw from every topic, weighted by its number of questions."
    )
    topics = models.ManyToManyField(Topic, through="ExamTopic", related_name="exams", blank=True)
    selection = models.CharField(
        max_length=20, choices=Selection.choices, default=Selection.WEIGHTED
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    position = models.PositiveIntegerField(default=0, help_text="Order in the exam catalogue.")

    objects = ExamQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(item_count__gte=1), name="exam_has_items"),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="exam_has_minutes"),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=100), name="exam_pass_mark_percent"
            ),
            models.CheckConstraint(
                condition=Q(selection__in=Selection.values), name="exam_selection_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="exam_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class ExamTopic(models.Model):
    """One topic of an exam, with its weight (share of the items)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="topic_weights")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["exam", "topic__slug"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "topic"], name="exam_topic_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="exam_topic_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.exam.slug}: {self.topic.slug} x{self.weight}"
