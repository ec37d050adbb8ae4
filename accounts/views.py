import csv
import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods, require_safe

from cohorts.csv_export import spreadsheet_safe

from . import deletion, privacy
from .forms import DeleteAccountForm, LoginForm, SignupForm
from .roles import Role, role_of

ACCOUNT_DELETED = "Your account and everything we kept about you have been deleted."

# Answers waiting in this browser's storage to be sent (static/js/answer-queue.js) belong to
# the person leaving: on a shared computer the next one must not find them.
CLEAR_BROWSER_STORAGE = '"storage"'


def clearing_browser_storage(response: HttpResponse) -> HttpResponse:
    response["Clear-Site-Data"] = CLEAR_BROWSER_STORAGE
    return response


class LoginView(auth_views.LoginView):
    """Django's login; a cohort lead lands on their cohorts, anyone else on home (a safe
    ``?next=`` still wins: ``get_success_url`` tries it first)."""

    authentication_form = LoginForm

    def get_default_redirect_url(self) -> str:
        if role_of(self.request.user) == Role.LEAD:
            return resolve_url("cohorts:list")
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        return clearing_browser_storage(super().post(request, *args, **kwargs))


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.AccountBackend")
        return redirect("home")  # where a new candidate is welcomed and given a first step
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/my_data.html", {"form": DeleteAccountForm(request.user)})


@login_required
@require_safe
def data_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(privacy.export_user_data(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="crss-prep-my-data.json"'
    return response


@login_required
@require_safe
def data_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="crss-prep-my-data.csv"'
    writer = csv.writer(response)
    for row in privacy.export_rows(request.user):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


@login_required
@require_http_methods(["POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, "registration/my_data.html", {"form": form}, status=400)
    user = request.user
    logout(request)
    deletion.delete_account(user)
    messages.success(request, ACCOUNT_DELETED)
    return clearing_browser_storage(redirect("home"))
