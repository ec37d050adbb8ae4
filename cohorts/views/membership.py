"""The candidate's side: join a cohort with its code (after reading what its leads will
see), see the cohorts one is in, and leave one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms import JoinCodeForm, JoinConfirmForm
from ..models import Cohort


def join_page(request: HttpRequest, form: JoinCodeForm, *, status: int = 200) -> HttpResponse:
    memberships = request.user.cohort_memberships.select_related("cohort").order_by("cohort__name")
    return render(
        request,
        "cohorts/join.html",
        {"form": form, "memberships": memberships},
        status=status,
    )


def code_refused(request: HttpRequest, code: str, message: str) -> HttpResponse:
    form = JoinCodeForm({"code": code})
    if form.is_valid():
        form.add_error("code", message)
    return join_page(request, form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """GET: the code form and one's cohorts. POST a code: the cohort, its leads and what
    they will see, with a confirmation form (joining happens only in ``join_confirm``)."""
    if request.method != "POST":
        return join_page(request, JoinCodeForm(initial={"code": request.GET.get("code", "")}))
    form = JoinCodeForm(request.POST)
    if not form.is_valid():
        return join_page(request, form, status=400)
    try:
        cohort = services.find_cohort_by_code(code=form.cleaned_data["code"])
    except services.JoinError as exc:
        return code_refused(request, form.cleaned_data["code"], exc.message)
    return confirm_page(request, cohort, JoinConfirmForm(initial={"code": cohort.join_code}))


@login_required
@require_POST
def join_confirm(request: HttpRequest) -> HttpResponse:
    code_form = JoinCodeForm(request.POST)
    if not code_form.is_valid():
        # A missing, overlong or malformed code never reaches the database lookup.
        return join_page(request, code_form, status=400)
    code = code_form.cleaned_data["code"]
    form = JoinConfirmForm(request.POST)
    try:
        if not form.is_valid():
            cohort = services.find_cohort_by_code(code=code)
            return confirm_page(request, cohort, form, status=400)
        cohort, joined = services.join_cohort(user=request.user, code=code)
    except services.JoinError as exc:
        return code_refused(request, code, exc.message)
    if joined:
        messages.success(request, services.JOINED.format(cohort=cohort))
    else:
        messages.info(request, services.ALREADY_MEMBER.format(cohort=cohort))
    return redirect("cohorts:join")


def confirm_page(
    request: HttpRequest, cohort: Cohort, form: JoinConfirmForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "cohorts/join_confirm.html",
        {"cohort": cohort, "leads": cohort.leads.order_by("username"), "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """GET: ask for confirmation. POST: leave the cohort."""
    cohort = get_object_or_404(Cohort.objects.joined_by(request.user), pk=cohort_id)
    if request.method != "POST":
        return render(request, "cohorts/leave_confirm.html", {"cohort": cohort})
    services.leave_cohort(user=request.user, cohort=cohort)
    messages.success(request, services.LEFT.format(cohort=cohort))
    return redirect("cohorts:join")
