"""The practice builder: a session of the candidate's own choosing."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from quizzes.attempt_errors import AttemptError
from quizzes.bank_summary import bank_summary
from quizzes.practice import start_practice
from quizzes.practice_form import PracticeForm
from quizzes.start_tokens import posted_token


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice_builder(request: HttpRequest) -> HttpResponse:
    """The form (GET); a new session, or the form again saying why there is none (POST)."""
    bank = bank_summary()
    form = PracticeForm(request.POST or None, bank=bank)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = start_practice(
                user=request.user,
                request=form.practice_request(),
                start_token=posted_token(request),
            )
        except AttemptError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(attempt)
    return render(request, "quizzes/practice_builder.html", {"form": form, "bank": bank})
