"""Striking out a choice the candidate has ruled out, and restoring it: like a mark, kept with
the attempt, sent by the page's answer queue (JSON) or by a plain form."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from quizzes import services
from quizzes.forms import StrikeForm
from quizzes.models import Attempt
from quizzes.strike_out import set_struck
from quizzes.views.attempts import refuse, save_picked_choice, wants_json

INVALID_STRIKE = "Choose one of the item's choices to strike out or restore."


@login_required
@require_POST
def strike_item(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    if refusal := save_picked_choice(request, attempt_id, position):
        return refusal
    form = StrikeForm(request.POST)
    if not form.is_valid():
        return refuse(request, attempt_id, position, INVALID_STRIKE, status=400)
    choice_key, struck = form.cleaned_data["choice"], form.cleaned_data["struck"]
    try:
        # The service reads the attempt itself, scoped to the candidate.
        set_struck(
            attempt_id=attempt_id,
            user=request.user,
            position=position,
            choice_key=choice_key,
            struck=struck,
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    except services.AttemptError as exc:
        return refuse(request, attempt_id, position, exc.message, status=exc.status)
    if wants_json(request):
        return JsonResponse({"position": position, "choice": choice_key, "struck": struck})
    # Back to the item, at the button pressed (a keyboard's next Tab goes on from there).
    response = redirect("quizzes:take_item", attempt_id, position)
    response["Location"] += f"#strike-{choice_key}"
    return response
