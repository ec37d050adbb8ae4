"""Candidates' reports in admin: each report's page shows the item as the reporter saw it (the
attempt's snapshot, with the key marked), the answer they chose, and links to the question's
change page and its item statistics; never who made the report (accounts/roles.py)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from quizzes.models import QuestionReport, ReportStatus
from quizzes.taking import item_content

NO_ANSWER = "No answer: the reporter left this item blank."
ITEM_GONE = "The attempt this report came from has been deleted, so the item is not available."


def item_as_seen(report: QuestionReport) -> dict | None:
    """The reported item as shown to the reporter: stem, lettered choices, key and choice."""
    item = report.attempt_item
    if item is None:
        return None
    content = item_content(item.stem, item.choices)
    for choice in content["choices"]:
        choice["is_correct"] = choice["key"] == item.correct_key
        choice["is_chosen"] = choice["key"] == item.chosen_key
    chosen = [choice for choice in content["choices"] if choice["is_chosen"]]
    return {**content, "position": item.position, "chosen": chosen[0] if chosen else None}


class QuestionReportAdmin(admin.ModelAdmin):
    list_display = ["question", "reason", "comment", "status", "created_at"]
    list_filter = ["status", "reason", "question__topic"]
    list_select_related = ["question"]
    search_fields = ["question__external_id", "comment"]
    fields = [
        "question_links",
        "reason",
        "comment",
        "question_as_seen",
        "chosen_answer",
        "status",
        "created_at",
        "closed_at",
    ]
    readonly_fields = [
        "question_links",
        "reason",
        "comment",
        "question_as_seen",
        "chosen_answer",
        "created_at",
        "closed_at",
    ]
    actions = ["close"]

    class Media:
        css = {"all": ["admin_extra/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionReport]:
        return super().get_queryset(request).select_related("question", "attempt_item")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # Trainers see a report without its reporter, so they may not filter by one either
        # (``?reporter=<id>`` is a local lookup Django would otherwise allow).
        if lookup.split(LOOKUP_SEP)[0] == "reporter":
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="question")
    def question_links(self, report: QuestionReport) -> str:
        question = report.question
        change = reverse("admin:quizzes_question_change", args=[question.pk])
        statistics = reverse("admin:quizzes_question_statistics") + f"#item-{question.pk}"
        return format_html(
            '<strong>{}</strong> · <a href="{}">Edit the question</a> · '
            '<a href="{}">Its item statistics</a>',
            question.external_id,
            change,
            statistics,
        )

    @admin.display(description="as the reporter saw it")
    def question_as_seen(self, report: QuestionReport) -> str:
        item = item_as_seen(report)
        if item is None:
            return ITEM_GONE
        return render_to_string("admin/quizzes/questionreport/item_as_seen.html", {"item": item})

    @admin.display(description="the reporter's answer")
    def chosen_answer(self, report: QuestionReport) -> str:
        item = item_as_seen(report)
        if item is None:
            return ITEM_GONE
        chosen = item["chosen"]
        if chosen is None:
            return NO_ANSWER
        verdict = "correct" if chosen["is_correct"] else "wrong"
        return format_html(
            "<strong>{}.</strong> {} ({})", chosen["letter"], chosen["html"], verdict
        )

    def save_model(self, request: HttpRequest, obj: QuestionReport, form, change: bool) -> None:
        if obj.status == ReportStatus.CLOSED and obj.closed_at is None:
            obj.closed_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Close selected reports (fixed)", permissions=["change"])
    def close(self, request: HttpRequest, queryset: QuerySet[QuestionReport]) -> None:
        closed = queryset.filter(status=ReportStatus.OPEN).update(
            status=ReportStatus.CLOSED, closed_at=timezone.now()
        )
        self.message_user(request, f"Closed {closed} report(s).", messages.SUCCESS)
