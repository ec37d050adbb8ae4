"""Study aids beside the exam loop: starring questions, the starred list, and the one-click
review of what is due. Each POST answers JSON to a script (``Accept: application/json``)
and, to a plain form, redirects back with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from quizzes import review_schedule, stars
from quizzes.attempt_errors import AttemptError
from quizzes.models import Attempt, AttemptItem
from quizzes.start_tokens import posted_token
from quizzes.views.attempts import owned_attempt, wants_json

STARRED = "Question starred: practice it from your starred questions."
UNSTARRED = "Star removed."
INVALID_STAR = "Say whether to star the question or remove its star."
STAR_VALUES = {"1": True, "0": False}


def safe_next(request: HttpRequest) -> str | None:
    """The ``next`` the form names, when it is a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def item_page(attempt: Attempt, position: int) -> str:
    """Where an item is shown: its line on the result page, or its taking page."""
    if attempt.is_submitted:
        return f"{reverse('quizzes:attempt_result', args=[attempt.pk])}#item-{position}"
    return reverse("quizzes:take_item", args=[attempt.pk, position])


@login_required
@require_POST
def star_item(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Star (``starred=1``) or unstar (``starred=0``) the question of one item of the
    candidate's own attempt; anyone else's attempt is a 404."""
    attempt = owned_attempt(request, attempt_id)
    back = safe_next(request) or item_page(attempt, position)
    starred = STAR_VALUES.get(request.POST.get("starred", ""))
    try:
        if starred is None:
            raise AttemptError(INVALID_STAR)
        state = stars.set_item_star(attempt=attempt, position=position, starred=starred)
    except AttemptItem.DoesNotExist:
        raise Http404("There is no such item in this attempt.") from None
    except AttemptError as exc:
        if wants_json(request):
            return JsonResponse({"error": exc.message}, status=exc.status)
        messages.error(request, exc.message)
        return redirect(back)
    if wants_json(request):
        return JsonResponse({"position": state.position, "starred": state.starred})
    messages.success(request, STARRED if state.starred else UNSTARRED)
    return redirect(back)


@login_required
@require_POST
def unstar_question(request: HttpRequest, question_id: int) -> HttpResponse:
    """Remove one of the candidate's own stars, from the starred list."""
    stars.unstar(user=request.user, question_id=question_id)
    if wants_json(request):
        return JsonResponse({"question": question_id, "starred": False})
    messages.success(request, UNSTARRED)
    return redirect(safe_next(request) or reverse("quizzes:starred_list"))


@login_required
@require_safe
def starred_list(request: HttpRequest) -> HttpResponse:
    entries = stars.starred_entries(request.user)
    return render(
        request,
        "quizzes/starred_list.html",
        {"entries": entries, "practicable_count": sum(entry.in_practice for entry in entries)},
    )


@login_required
@require_POST
def practice_starred(request: HttpRequest) -> HttpResponse:
    """A practice session of the starred questions, or the list again saying why not."""
    try:
        attempt = stars.practice_starred(user=request.user, start_token=posted_token(request))
    except AttemptError as exc:
        messages.error(request, exc.message)
        return redirect("quizzes:starred_list")
    return redirect(attempt)


@login_required
@require_POST
def start_review(request: HttpRequest) -> HttpResponse:
    """The one-click review of what is due today, or home saying why there is none."""
    try:
        attempt = review_schedule.start_review(
            user=request.user, now=timezone.now(), start_token=posted_token(request)
        )
    except AttemptError as exc:
        messages.info(request, exc.message)
        return redirect("home")
    return redirect(attempt)
