"""Candidates' reports of wrong or unclear questions, for trainers to act on."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .attempts import AttemptItem
from .content import Question

MAX_COMMENT_CHARS = 1000


class ReportReason(models.TextChoices):
    WRONG = "wrong", "The marked answer is wrong"
    UNCLEAR = "unclear", "The question is unclear"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class QuestionReportQuerySet(models.QuerySet):
    def open(self) -> "QuestionReportQuerySet":
        return self.filter(status=ReportStatus.OPEN)


class QuestionReport(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    attempt_item = models.ForeignKey(
        AttemptItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="question_reports",
    )
    reason = models.CharField(max_length=10, choices=ReportReason.choices)
    comment = models.TextField(max_length=MAX_COMMENT_CHARS, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "attempt_item"], name="one_report_per_item_and_reporter"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.question}"
