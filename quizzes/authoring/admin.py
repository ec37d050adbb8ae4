"""Trainer authoring in Django admin: topics, questions with their choices, and exams.

Trainers add, change and view; they never delete (a question leaves the pool by being
retired, so past attempts keep it). Import, export and preview live in ``admin_views``.
"""

import io
import zipfile

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from quizzes.authoring import preview as admin_preview
from quizzes.authoring import views as admin_views
from quizzes.authoring.banks.exporter import bank_documents
from quizzes.authoring.exam_forms import ExamAdminForm, ExamTopicForm, ExamTopicInlineFormSet
from quizzes.authoring.forms import (
    ChoiceForm,
    ChoiceInlineFormSet,
    QuestionAdminForm,
    TopicAdminForm,
)
from quizzes.authoring.item_stats import cached_item_statistics
from quizzes.authoring.lint_admin import ItemWritingFlagFilter, flags_box
from quizzes.authoring.publishing import change_question_status
from quizzes.authoring.reports import QuestionReportAdmin
from quizzes.models import (
    MAX_CHOICES,
    Choice,
    Exam,
    ExamTopic,
    Question,
    QuestionReport,
    ReportStatus,
    Status,
    Topic,
)
from quizzes.rendering import plain_excerpt, render_markdown

ADMIN_CSS = "admin_extra/admin.css"
NO_DATA = "—"
DEFAULT_CHOICE_ROWS = 4
STEM_START_CHARS = 80
SELECTION_ARCHIVE_NAME = "crss-questions-{date:%Y%m%d}.zip"

PUBLISHED = "Published {count} question(s)."
RETIRED = (
    "Retired {count} question(s): new attempts no longer include them; "
    "past attempts keep them as they were."
)
# A question rule broken, in its words: "Not published: x-001. This question has no ...".
NOT_PUBLISHED = "Not published: {ids}. {subject} {problem}."
NOT_RETIRED = "Not retired: {ids}. {subject} {problem}."
ONE_QUESTION, SEVERAL_QUESTIONS = "This question", "Each of these questions"
EXPORTED = (
    "Exported {count} question(s) as YAML. Note: loading a file that holds only some of a "
    "topic's questions retires that topic's other questions."
)
PARTIAL_EXPORT = (
    "The download holds only some of the questions of: {topics}. To edit and re-import "
    "them, export the whole topic, or use “Export banks”."
)
PARTIAL_FILE_HEADER = (
    "# Partial export: loading this file retires every other question of this topic.\n"
)
NOTES_NOT_SAVED = "Save the topic to see its notes as candidates will."
LOG_PUBLISHED = "Published with the “publish” action."
LOG_RETIRED = "Retired with the “retire” action."
STATUS_MESSAGES = {  # refused, done, admin history
    Status.PUBLISHED: (NOT_PUBLISHED, PUBLISHED, LOG_PUBLISHED),
    Status.RETIRED: (NOT_RETIRED, RETIRED, LOG_RETIRED),
}

admin.site.site_header = "CRSS Prep administration"
admin.site.site_title = "CRSS Prep admin"
admin.site.index_title = "Authoring"


def partial_topics(questions: QuerySet[Question]) -> list[Topic]:
    """Topics of which ``questions`` holds some, but not all, questions."""
    selected = dict(questions.order_by().values_list("topic").annotate(n=Count("pk")))
    totals = dict(
        Question.objects.filter(topic__in=selected)
        .order_by()
        .values_list("topic")
        .annotate(n=Count("pk"))
    )
    partial = [pk for pk, count in selected.items() if count < totals[pk]]
    return list(Topic.objects.filter(pk__in=partial).order_by("slug"))


def download(documents: dict[str, str]) -> HttpResponse:
    """One file as .yaml; several as a zip."""
    if len(documents) == 1:
        ((name, text),) = documents.items()
        response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file_name, text in documents.items():
                archive.writestr(file_name, text)
        name = SELECTION_ARCHIVE_NAME.format(date=timezone.localdate())
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class PartOfParentInline:
    """Rows that belong to their parent (a question's choices, an exam's topics): removing
    one is editing the parent, so it needs the right to change, not to delete."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_change_permission(request, obj)


class ChoiceInline(PartOfParentInline, admin.TabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceInlineFormSet
    min_num = 0  # the formset's own rule says "2 to 6" in words a trainer understands
    max_num = MAX_CHOICES

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        existing = obj.choices.count() if obj is not None else 0
        return max(0, DEFAULT_CHOICE_ROWS - existing)


class OpenReportInline(admin.TabularInline):
    """Candidates' open reports, next to the question they are about."""

    model = QuestionReport
    fields = ["reason", "comment", "created_at", "status"]
    readonly_fields = ["reason", "comment", "created_at"]
    extra = 0
    can_delete = False
    verbose_name_plural = "open reports from candidates"

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionReport]:
        return super().get_queryset(request).filter(status=ReportStatus.OPEN)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    inlines = [ChoiceInline]
    # The stem's start beside the id; the topic is in the id and the filter, not a column,
    # so that the row fits at 1280 px.
    list_display = [
        "external_id",
        "stem_start",
        "kind",
        "status",
        "times_answered",
        "percent_correct",
        "open_reports",
        "preview_link",
    ]
    list_filter = ["topic", "domain", "kind", "status", ItemWritingFlagFilter]
    list_select_related = ["topic"]
    search_fields = ["external_id", "stem"]
    actions = ["publish", "retire", "export_selected"]
    readonly_fields = ["item_writing_flags", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["external_id", "topic", "status"]}),
        ("Item-writing flags (of the saved question)", {"fields": ["item_writing_flags"]}),
        ("Text", {"fields": ["stem", "explanation"]}),
        ("Classification", {"fields": ["kind", "domain", "tags", "source"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    class Media:
        css = {"all": [ADMIN_CSS]}

    # --- columns ---------------------------------------------------------------------------

    @admin.display(description="question")
    def stem_start(self, question: Question) -> str:
        return plain_excerpt(question.stem, length=STEM_START_CHARS)

    @admin.display(description="times answered")
    def times_answered(self, question: Question) -> str:
        return self.item_statistic(question, "responses")

    @admin.display(description="% correct")
    def percent_correct(self, question: Question) -> str:
        return self.item_statistic(question, "facility")

    def item_statistic(self, question: Question, name: str) -> str:
        """A figure from the item statistics over first attempts (cached for a minute)."""
        stats = cached_item_statistics().get(question.pk)
        value = getattr(stats, name) if stats else None
        return NO_DATA if value is None else str(value)

    @admin.display(description="flags")
    def item_writing_flags(self, question: Question) -> str:
        return flags_box(question)

    @admin.display(description="open reports", ordering="open_report_count")
    def open_reports(self, question: Question) -> int:
        return question.open_report_count

    def get_inlines(self, request: HttpRequest, obj: Question | None) -> list:
        # The reports inline appears only while there is something to act on.
        if obj is not None and obj.reports.filter(status=ReportStatus.OPEN).exists():
            return [ChoiceInline, OpenReportInline]
        return [ChoiceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_report_count=Count("reports", filter=Q(reports__status=ReportStatus.OPEN))
            )
        )

    @admin.display(description="preview")
    def preview_link(self, question: Question) -> str:
        url = reverse("admin:quizzes_question_preview", args=[question.pk])
        return format_html('<a href="{}">Preview</a>', url)

    # --- pages -----------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="quizzes_question_import"),
            path("import-gift/", view(self.import_gift_view), name="quizzes_question_import_gift"),
            path("export/", view(admin_views.export_banks_view), name="quizzes_question_export"),
            path(
                "statistics/",
                view(self.statistics_view),
                name="quizzes_question_statistics",
            ),
            path(
                "<int:object_id>/preview/",
                view(self.preview_view),
                name="quizzes_question_preview",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return admin_views.import_banks_view(request, self)

    def import_gift_view(self, request: HttpRequest) -> HttpResponse:
        return admin_views.import_gift_view(request, self)

    def statistics_view(self, request: HttpRequest) -> HttpResponse:
        return admin_views.item_statistics_view(request, self)

    def preview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return admin_preview.question_preview_view(request, self, object_id)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra_context = {
            # The list needs the width more than the models menu does (there are breadcrumbs).
            "is_nav_sidebar_enabled": False,
            "can_import_banks": admin_views.can_import(request.user),
            "can_export_banks": admin_views.can_export(request.user),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    # --- actions ---------------------------------------------------------------------------

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self.move_questions(request, queryset, Status.PUBLISHED)

    @admin.action(description="Retire selected questions", permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self.move_questions(request, queryset, Status.RETIRED)

    def move_questions(
        self, request: HttpRequest, queryset: QuerySet[Question], status: Status
    ) -> None:
        refusal, done, log_message = STATUS_MESSAGES[status]
        change = change_question_status(
            queryset, status=status, user_id=request.user.pk, log_message=log_message
        )
        for problem, ids in change.refused.items():
            subject = ONE_QUESTION if len(ids) == 1 else SEVERAL_QUESTIONS
            text = refusal.format(ids=", ".join(ids), subject=subject, problem=problem)
            self.message_user(request, text, messages.ERROR)
        if change.moved:
            self.message_user(request, done.format(count=change.moved), messages.SUCCESS)

    @admin.action(description="Export selected questions as YAML", permissions=["view"])
    def export_selected(self, request: HttpRequest, queryset: QuerySet[Question]) -> HttpResponse:
        documents = bank_documents(queryset)
        partial = partial_topics(queryset)
        for topic in partial:
            name = f"{topic.slug}.yaml"
            documents[name] = PARTIAL_FILE_HEADER + documents[name]
        self.message_user(request, EXPORTED.format(count=queryset.count()), messages.INFO)
        if partial:
            topics = ", ".join(topic.slug for topic in partial)
            self.message_user(request, PARTIAL_EXPORT.format(topics=topics), messages.WARNING)
        return download(documents)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ["title", "slug", "question_count"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["notes_preview"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "source"]}),
        ("Study notes", {"fields": ["notes", "notes_preview"]}),
    ]

    class Media:
        css = {"all": [ADMIN_CSS]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, topic: Topic) -> int:
        return topic.question_total

    @admin.display(description="Preview (as candidates see the saved notes)")
    def notes_preview(self, topic: Topic) -> str:
        if not topic.pk:
            return NOTES_NOT_SAVED
        return format_html('<div class="markdown-preview">{}</div>', render_markdown(topic.notes))


class ExamTopicInline(PartOfParentInline, admin.TabularInline):
    model = ExamTopic
    form = ExamTopicForm
    formset = ExamTopicInlineFormSet
    fields = ["topic", "weight"]
    extra = 0
    verbose_name = "topic weight"
    verbose_name_plural = "topics and their weights (leave empty when “all topics” is ticked)"


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    form = ExamAdminForm
    inlines = [ExamTopicInline]
    list_display = [
        "title",
        "slug",
        "status",
        "item_count",
        "minutes",
        "pass_mark",
        "selection",
        "position",
    ]
    list_filter = ["status", "selection"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "status", "position"]}),
        ("Format", {"fields": ["item_count", "minutes", "pass_mark"]}),
        ("Where the items come from", {"fields": ["selection", "all_topics"]}),
    ]


admin.site.register(QuestionReport, QuestionReportAdmin)
