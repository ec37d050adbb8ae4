"""The admin's preview of a question: first exactly as a candidate sees it on the exam screen
(the same rendering, A-D letters), then, for trainers, the key, each choice's feedback and
the explanation."""

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from quizzes.models import Choice, Question
from quizzes.taking import item_content


def trainer_choices(question: Question, shown: list[dict]) -> list[dict]:
    """The choices as shown (letter, HTML), each with whether it is the key and its feedback."""
    by_key = {choice.key: choice for choice in question.choices.all()}
    return [
        {
            **choice,
            "is_correct": by_key[choice["key"]].is_correct,
            "feedback": by_key[choice["key"]].feedback,
        }
        for choice in shown
    ]


@require_safe
def question_preview_view(
    request: HttpRequest, model_admin: ModelAdmin, object_id: str
) -> HttpResponse:
    """The question as a candidate sees it, then what only trainers see."""
    # Permission first: a 404 before the check would tell anyone staff which ids exist.
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    questions = Question.objects.select_related("topic").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("key"))
    )
    question = get_object_or_404(questions, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, question):
        raise PermissionDenied
    item = item_content(
        question.stem, [{"key": c.key, "text": c.text} for c in question.choices.all()]
    )
    choices = trainer_choices(question, item["choices"])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": question,
        "title": f"Preview of {question.external_id}",
        "question": question,
        "item": item,
        "choices": choices,
        "correct": [choice for choice in choices if choice["is_correct"]],
    }
    return TemplateResponse(request, "admin/quizzes/question/preview.html", context)
