"""Admin pages beyond the model forms: bank import (dry run, then apply), bank export and
item statistics. ``QuestionAdmin.get_urls`` mounts them; the preview is in ``preview``."""

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from quizzes.authoring import staging
from quizzes.authoring.banks import BankValidationError, LoadReport, load_bank_texts
from quizzes.authoring.banks.changes import ChangeKind, QuestionChange
from quizzes.authoring.banks.exporter import export_archive
from quizzes.authoring.forms import BankUpload, BankUploadForm, GiftUploadForm
from quizzes.authoring.gift import GiftImportError, gift_to_bank_documents
from quizzes.authoring.item_stats import (
    MIN_RESPONSES,
    TOO_EASY,
    TOO_FEW_RESPONSES,
    TOO_HARD,
    item_statistics,
    rank_items,
)
from quizzes.models import Question

IMPORT_PERMISSIONS = tuple(
    f"quizzes.{action}_{model}"
    for model in ("topic", "question", "choice", "exam", "examtopic")
    for action in ("add", "change")
)
EXPORT_PERMISSIONS = ("quizzes.view_topic", "quizzes.view_question", "quizzes.view_exam")

ARCHIVE_NAME = "crss-banks-{date:%Y%m%d}.zip"
# A dry run with more changed questions than this lists them closed, one line each.
OPEN_CHANGES_UP_TO = 20

# Worded like ``load_questions`` so a trainer and an operator read the same thing.
ERRORS_FOUND = "{count} error(s) in the question banks; nothing was written."
DRY_RUN_DONE = "Dry run: nothing was written. Check the changes below, then apply them."
NO_CHANGES = "No changes: the database already holds exactly these banks."
IMPORT_EXPIRED = "This dry run is no longer available: upload the files again."
IMPORT_APPLIED = "Banks imported. {summary}"


# --- reports -------------------------------------------------------------------------------


def question_changes(report: LoadReport) -> dict[str, list[QuestionChange]]:
    """The report's question changes by kind ("new", "changed", "retired"), each by id."""
    grouped: dict[str, list[QuestionChange]] = {kind: [] for kind in ChangeKind.values}
    for change in sorted(report.question_changes, key=lambda change: change.external_id):
        grouped[change.kind].append(change)
    return grouped


def report_rows(report: LoadReport) -> list[tuple[str, object]]:
    return [("Topics", report.topics), ("Questions", report.questions), ("Exams", report.exams)]


# --- views ---------------------------------------------------------------------------------


def can_import(user) -> bool:
    return user.has_perms(IMPORT_PERMISSIONS)


def can_export(user) -> bool:
    return user.has_perms(EXPORT_PERMISSIONS)


@require_http_methods(["GET", "HEAD", "POST"])
def import_banks_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Upload bank files for a dry run; Apply writes the checked files in one transaction."""
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "apply" in request.POST:
        return apply_staged(request, model_admin)
    if request.method != "POST":
        staging.forget(request)
        return render_import(request, model_admin, form=BankUploadForm())
    form = BankUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_import(request, model_admin, form=form)
    return dry_run(request, model_admin, staging.stage(request, form.cleaned_data["files"]))


def dry_run(
    request: HttpRequest,
    model_admin: ModelAdmin,
    staged: staging.StagedImport,
    notes: list[str] = (),
) -> HttpResponse:
    try:
        report = load_bank_texts(staged.texts, dry_run=True)
    except BankValidationError as exc:
        staging.forget(request)
        return render_import(
            request,
            model_admin,
            form=BankUploadForm(),
            errors=[str(error) for error in exc.errors],
            names=staged.names,
            notes=notes,
        )
    if not report.changes:
        staging.forget(request)
    return render_import(
        request,
        model_admin,
        form=BankUploadForm(),
        report=report,
        staged=staged if report.changes else None,
        names=staged.names,
        notes=notes,
    )


def apply_staged(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    staged = staging.recall(request, request.POST.get("token", ""))
    if staged is None:
        messages.error(request, IMPORT_EXPIRED)
        return redirect("admin:quizzes_question_import")
    try:
        report = load_bank_texts(staged.texts)
    except BankValidationError as exc:
        # The database changed since the dry run in a way the banks no longer fit.
        staging.forget(request)
        errors = [str(error) for error in exc.errors]
        return render_import(
            request, model_admin, form=BankUploadForm(), errors=errors, names=staged.names
        )
    staging.forget(request)
    messages.success(request, IMPORT_APPLIED.format(summary="; ".join(report.lines())))
    return redirect("admin:quizzes_question_changelist")


def render_import(
    request: HttpRequest,
    model_admin: ModelAdmin,
    *,
    form: BankUploadForm,
    report: LoadReport | None = None,
    errors: list[str] | None = None,
    staged: staging.StagedImport | None = None,
    names: tuple[str, ...] = (),
    notes: list[str] = (),
) -> TemplateResponse:
    changes = question_changes(report) if report else {}
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Import question banks",
        "form": form,
        "names": names,
        "errors": errors or [],
        "errors_summary": ERRORS_FOUND.format(count=len(errors)) if errors else "",
        "report": report,
        "report_rows": report_rows(report) if report else [],
        "changes": changes,
        "retiring": [change.external_id for change in changes.get(ChangeKind.RETIRED, [])],
        "open_changes": len(changes.get(ChangeKind.CHANGED, [])) <= OPEN_CHANGES_UP_TO,
        "dry_run_message": DRY_RUN_DONE if report and report.changes else NO_CHANGES,
        "staged": staged,
        "notes": list(notes),
    }
    return TemplateResponse(request, "admin/quizzes/question/import.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def import_gift_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """A Moodle GIFT file becomes bank files, then the same dry run and Apply as YAML."""
    if not can_import(request.user):
        raise PermissionDenied
    form = GiftUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render_gift_form(request, model_admin, form)
    filename, text = form.cleaned_data["file"]
    try:
        converted = gift_to_bank_documents(
            text, filename=filename, topic_slug=form.cleaned_data["topic"]
        )
    except GiftImportError as exc:
        form.add_error("file", str(exc))
        return render_gift_form(request, model_admin, form)
    notes = [*converted.messages(), *converted.summary()]
    uploads = [
        BankUpload(name=f"{name} (from {filename})", content=yaml_text.encode("utf-8"))
        for name, yaml_text in converted.yaml_files().items()
    ]
    if not uploads:
        return render_import(request, model_admin, form=BankUploadForm(), notes=notes)
    return dry_run(request, model_admin, staging.stage(request, uploads), notes=notes)


def render_gift_form(request: HttpRequest, model_admin: ModelAdmin, form) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Import a Moodle GIFT file",
        "form": form,
    }
    return TemplateResponse(request, "admin/quizzes/question/import_gift.html", context)


@require_safe
def export_banks_view(request: HttpRequest) -> HttpResponse:
    """The whole bank as the zip ``load_questions`` (and the import page) reads back."""
    if not can_export(request.user):
        raise PermissionDenied
    response = HttpResponse(export_archive(), content_type="application/zip")
    name = ARCHIVE_NAME.format(date=timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def item_statistics_view(request: HttpRequest, model_admin) -> HttpResponse:
    """Answered questions with enough responses, the most problematic first; then the rest."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    stats = item_statistics()
    questions = Question.objects.select_related("topic").in_bulk(list(stats))
    ranked, too_few = rank_items(
        (questions[pk], item) for pk, item in stats.items() if pk in questions
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Item statistics",
        "rows": ranked,
        "too_few_rows": too_few,
        "too_few_responses": TOO_FEW_RESPONSES,
        "too_easy": TOO_EASY,
        "too_hard": TOO_HARD,
        "min_responses": MIN_RESPONSES,
    }
    return TemplateResponse(request, "admin/quizzes/question/statistics.html", context)
