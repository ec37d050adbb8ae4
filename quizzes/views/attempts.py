"""The candidate's exam loop: catalogue, start, take (one item per screen), review, submit,
result. Views parse and check access; the services change state; nothing else here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quizzes import progress, services, tutor
from quizzes.attempt_urls import attempt_links, item_url
from quizzes.forms import AnswerForm, MarkForm, ReportForm
from quizzes.models import Attempt, AttemptKind, Exam, ReportReason, owned_attempt_or_none
from quizzes.models.reports import MAX_COMMENT_CHARS
from quizzes.palette import palette, palette_links, palette_of
from quizzes.result_page import result_context
from quizzes.taking import (
    LETTERS,
    item_states,
    items_on_screen,
    items_script,
    page_state,
)

INVALID_ANSWER = "Choose one of the answers shown before saving."
REPORT_THANKS = "Thank you: your report on item {position} was sent to the trainers."
INVALID_REPORT = "Choose what is wrong with the question (and keep the comment short)."


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def owned_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    """The signed-in candidate's attempt (anyone else's is a 404), closed if overdue: how
    every attempt view reads its attempt. (A save and a mark read nothing: their one
    statement is scoped to the candidate in ``services``.)"""
    attempt = owned_attempt_or_none(request.user, attempt_id)
    if attempt is None:
        raise Http404("No such attempt.")
    if services.finalize_if_overdue(attempt) and not attempt.is_submitted:
        attempt.refresh_from_db()
    return attempt


def remaining_seconds(attempt: Attempt) -> int:
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


@require_safe
def exam_catalogue(request: HttpRequest) -> HttpResponse:
    exams = Exam.objects.published()
    in_progress = {}
    if request.user.is_authenticated:
        in_progress = {a.exam_id: a for a in Attempt.objects.for_user(request.user).in_progress()}
    rows = [(exam, in_progress.get(exam.pk)) for exam in exams]
    return render(request, "quizzes/exam_catalogue.html", {"rows": rows})


@login_required
@require_POST
def start_exam(request: HttpRequest, slug: str) -> HttpResponse:
    """Start ``exam``, or resume the candidate's open attempt at it. An adaptive drill that
    cannot be built yet says what unlocks it; while another exam is open, the candidate is
    first offered to resume that one (a ``confirm`` field starts this one anyway)."""
    exam = get_object_or_404(Exam.objects.published(), slug=slug)
    open_attempts = progress.attempts_in_progress(request.user)
    if not any(a.exam_id == exam.pk and not a.time_is_up for a in open_attempts):
        if exam.selection in progress.ADAPTIVE_SELECTIONS:
            (drill,) = progress.adaptive_drills(request.user, exams=[exam])
            if not drill.available:
                messages.info(request, drill.explanation)
                return redirect("quizzes:exam_catalogue")
        if not request.POST.get("confirm"):
            others = [
                a
                for a in open_attempts
                if a.exam_id != exam.pk and not services.finalize_if_overdue(a)
            ]
            if others:
                return render(
                    request, "quizzes/start_confirm.html", {"exam": exam, "open_attempts": others}
                )
    try:
        attempt = services.start_attempt(user=request.user, exam=exam)
    except services.AttemptError as exc:
        messages.error(request, exc.message)
        return redirect("quizzes:exam_catalogue")
    return redirect(attempt)


@login_required
@require_safe
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = owned_attempt(request, attempt_id)
    if attempt.is_submitted:
        return redirect("quizzes:attempt_result", attempt.pk)
    first_open = attempt.items.filter(chosen_key="").values_list("position", flat=True).first()
    return redirect("quizzes:take_item", attempt.pk, first_open or 1)


@never_cache
@login_required
@require_safe
def take_item(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """One item on screen, and every item of the attempt in the page for the script to move
    between without a page load (``quizzes/taking.py``)."""
    attempt = owned_attempt(request, attempt_id)
    if attempt.is_submitted:
        return redirect("quizzes:attempt_result", attempt.pk)
    # A position outside the attempt is not sent to the database: it could overflow a column.
    in_range = 1 <= position <= attempt.item_count
    states, item = items_on_screen(attempt, position) if in_range else ([], None)
    if item is None:
        raise Http404("There is no such item in this attempt.")
    _, chosen, marked, version, struck = states[position - 1]
    links = attempt_links(attempt)
    # A tutor session's answered items come with their feedback; none for any other attempt.
    feedback = tutor.answered_feedback(attempt)
    data = tutor.page_data(attempt, feedback)
    item["choices"] = tutor.shown_choices(item["choices"], feedback.get(position))
    previous = position - 1 if position > 1 else None
    following = position + 1 if position < attempt.item_count else None
    here = {
        "answer": item_url(links, "answer", position),
        "mark": item_url(links, "mark", position),
        "strike": item_url(links, "strike", position),
        "star": item_url(links, "star", position),
        "previous": item_url(links, "item", previous) if previous else "",
        "next": item_url(links, "item", following) if following else "",
    }
    return render(
        request,
        "quizzes/attempt_take.html",
        {
            "attempt": attempt,
            "item": item,
            "position": position,
            "chosen": chosen,
            "marked": marked,
            "struck": struck,
            "version": version,
            "links": links,
            "here": here,
            "items_script": items_script(attempt),
            "page_state": page_state(states, links) | data,
            "feedback": feedback.get(position),
            "starred": position in data.get("starred", ()),
            "palette_links": palette_links(
                palette_of(attempt, [state[:3] for state in states], position)
            ),
            "previous": previous,
            "next": following,
            "remaining_seconds": remaining_seconds(attempt),
        },
    )


@login_required
@require_POST
def answer_item(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    stored = save_posted_answer(request, attempt_id, position)
    if isinstance(stored, HttpResponse):
        return stored
    if wants_json(request):
        return JsonResponse({"saved": True, **answer_json(stored, request.user, attempt_id)})
    if stored.tutor:  # a plain form: the same item, now showing its feedback
        return redirect(reverse("quizzes:take_item", args=[attempt_id, position]) + "#feedback")
    # A plain form (no script): on to the next item, or to the review after the last.
    item_count = Attempt.objects.filter(pk=attempt_id).values_list("item_count", flat=True)[0]
    if request.POST.get("go") == "review" or position >= item_count:
        return redirect("quizzes:attempt_review", attempt_id)
    return redirect("quizzes:take_item", attempt_id, position + 1)


def save_posted_answer(
    request: HttpRequest, attempt_id: int, position: int
) -> services.StoredAnswer | HttpResponse:
    """The posted choice saved (the answer as stored), or the refusal to send back."""
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return refuse(request, attempt_id, position, INVALID_ANSWER, status=400)
    try:
        # The service reads the attempt itself, scoped to the candidate.
        return services.save_answer(
            attempt_id=attempt_id,
            user=request.user,
            position=position,
            choice_key=form.cleaned_data["choice"],
            sequence=form.cleaned_data["sequence"],
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    except services.StaleSave as exc:
        return refuse(
            request, attempt_id, position, exc.message, status=exc.status, current=exc.current
        )
    except services.AttemptError as exc:
        return refuse(request, attempt_id, position, exc.message, status=exc.status)


def save_picked_choice(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse | None:
    """Before a plain form's mark or strike: the choice picked on the page, saved.

    Without the script, Mark and Strike out are buttons of the answer form, so that a radio
    picked but not saved yet comes along with them; saved first, pressing them never loses
    it. None when it is saved (or there is none), else the refusal to send back instead of
    the mark or strike. Not in a tutor session, where saving a choice checks it: there only
    "Check answer" does. (The script sends marks and strikes alone, as JSON.)"""
    if "choice" not in request.POST or wants_json(request):
        return None
    in_tutor_session = (
        Attempt.objects.for_user(request.user)
        .filter(pk=attempt_id, kind=AttemptKind.TUTOR)
        .exists()
    )
    if in_tutor_session:
        return None
    stored = save_posted_answer(request, attempt_id, position)
    return stored if isinstance(stored, HttpResponse) else None


def answer_json(stored: services.StoredAnswer, user, attempt_id: int) -> dict:
    """What the page is told of an item's answer; in a tutor session, with its feedback."""
    data = {"position": stored.position, "choice": stored.choice_key, "version": stored.version}
    if stored.tutor:
        found = tutor.item_feedback(attempt_id=attempt_id, user=user, position=stored.position)
        data["feedback"] = found.as_json() if found else None
    return data


def refuse(
    request: HttpRequest,
    attempt_id: int,
    position: int,
    message: str,
    *,
    status: int,
    current: services.StoredAnswer | None = None,
):
    """A refused save, mark or strike: JSON for the page's script (with the answer the item
    holds, when a newer one refused it), a message and a redirect for plain forms."""
    if wants_json(request):
        data = {"saved": False, "error": message}
        if current is not None:
            data |= {"reason": "stale", **answer_json(current, request.user, attempt_id)}
        elif status == 409:
            data |= {
                "reason": "closed",
                "result_url": reverse("quizzes:attempt_result", args=[attempt_id]),
            }
        return JsonResponse(data, status=status)
    messages.error(request, message)
    if status == 409 and current is None:  # closed: show the attempt as it now stands
        return redirect("quizzes:attempt_detail", attempt_id)
    return redirect("quizzes:take_item", attempt_id, position)


@login_required
@require_POST
def mark_item(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    if refusal := save_picked_choice(request, attempt_id, position):
        return refusal
    form = MarkForm(request.POST)
    form.is_valid()
    marked = form.cleaned_data.get("marked", False)
    try:
        # The service reads the attempt itself, scoped to the candidate.
        services.set_marked(
            attempt_id=attempt_id, user=request.user, position=position, marked=marked
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    except services.AttemptError as exc:
        return refuse(request, attempt_id, position, exc.message, status=exc.status)
    if wants_json(request):
        return JsonResponse({"marked": marked, "position": position})
    if request.POST.get("next") == "review":
        return redirect("quizzes:attempt_review", attempt_id)
    return redirect("quizzes:take_item", attempt_id, position)


@never_cache
@login_required
@require_safe
def attempt_state(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """What an attempt's pages re-sync from: status, time left, each item's answer and
    version (another tab may have changed them), marks, struck-out choices."""
    attempt = owned_attempt(request, attempt_id)
    states = item_states(attempt)
    feedback = {} if attempt.is_submitted else tutor.answered_feedback(attempt)
    return JsonResponse(
        {
            "status": attempt.status,
            "remaining_seconds": 0 if attempt.is_submitted else remaining_seconds(attempt),
            "answers": {
                str(position): {"choice": chosen, "version": version}
                for position, chosen, _, version, _ in states
                if chosen
            },
            "marked": [position for position, _, marked, _, _ in states if marked],
            "struck": {str(position): struck for position, *_, struck in states if struck},
            "result_url": reverse("quizzes:attempt_result", args=[attempt.pk]),
            # A tutor session's answered items: what another tab checked meanwhile.
            **({"feedback": tutor.feedback_json(feedback)} if feedback else {}),
        }
    )


REVIEW_FILTERS = {
    "all": lambda entry: True,
    "unanswered": lambda entry: not entry.chosen_key,
    "marked": lambda entry: entry.marked,
}


@never_cache
@login_required
@require_safe
def attempt_review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Counts, a compact grid of every item with its state, and Submit; the grid can be
    narrowed to the unanswered or marked items (by the script at once, or by ?show=)."""
    attempt = owned_attempt(request, attempt_id)
    if attempt.is_submitted:
        return redirect("quizzes:attempt_result", attempt.pk)
    items = palette(attempt)
    shown = request.GET.get("show", "all")
    if shown not in REVIEW_FILTERS:
        shown = "all"
    return render(
        request,
        "quizzes/attempt_review.html",
        {
            "attempt": attempt,
            "links": attempt_links(attempt),
            "items": items,
            "hidden": {e.position for e in items if not REVIEW_FILTERS[shown](e)},
            "shown": shown,
            "answered_count": sum(1 for e in items if e.chosen_key),
            "unanswered_count": sum(1 for e in items if not e.chosen_key),
            "marked_count": sum(1 for e in items if e.marked),
            "remaining_seconds": remaining_seconds(attempt),
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = owned_attempt(request, attempt_id)
    services.submit_attempt(attempt=attempt)
    return redirect("quizzes:attempt_result", attempt.pk)


@login_required
@require_safe
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = owned_attempt(request, attempt_id)
    if not attempt.is_submitted:
        return redirect("quizzes:take_item", attempt.pk, 1)
    context = result_context(request, attempt, read_only=False)
    context["links"] = attempt_links(attempt)
    return render(request, "quizzes/attempt_result.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_item(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """A question of a submitted attempt: the form to report it (GET), the report (POST)."""
    attempt = owned_attempt(request, attempt_id)
    if request.method != "POST":
        return report_page(request, attempt, position)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, INVALID_REPORT)
    else:
        try:
            services.report_question(attempt=attempt, position=position, **form.cleaned_data)
            messages.success(request, REPORT_THANKS.format(position=position))
        except services.AttemptError as exc:
            messages.error(request, exc.message)
    return redirect(f"{reverse('quizzes:attempt_result', args=[attempt.pk])}#item-{position}")


def report_page(request: HttpRequest, attempt: Attempt, position: int) -> HttpResponse:
    if not attempt.is_submitted:
        messages.info(request, services.REPORT_BEFORE_SUBMIT)
        return redirect(attempt)
    item = get_object_or_404(attempt.items.only("position", "stem", "choices"), position=position)
    return render(
        request,
        "quizzes/report_item.html",
        {
            "attempt": attempt,
            "item": item,
            "choices": [(LETTERS[i], choice["text"]) for i, choice in enumerate(item.choices)],
            "reasons": ReportReason.choices,
            "max_comment": MAX_COMMENT_CHARS,
        },
    )
