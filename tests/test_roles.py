"""Roles: the groups and their exact permissions, what each role may open in admin, and the
create_account command."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from accounts.roles import COHORT_LEADS, TRAINERS, Role, assign_role, ensure_roles, role_of
from tests.factories import make_question, make_topic, make_user

pytestmark = pytest.mark.django_db

TRAINER_CODENAMES = {
    f"quizzes.{action}_{model}"
    for model in ("topic", "question", "choice", "exam", "examtopic")
    for action in ("add", "change", "view")
} | {"quizzes.change_questionreport", "quizzes.view_questionreport"}
STRONG_PASSWORD = "a-long-Passphrase-42"


def permission_names(group: Group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def role_snapshot() -> dict[str, set[str]]:
    return {group.name: permission_names(group) for group in Group.objects.all()}


@pytest.fixture
def trainer():
    user = make_user("trainer")
    assign_role(user, Role.TRAINER)
    return user


@pytest.fixture
def candidate():
    return make_user("candidate")


# --- ensure_roles ------------------------------------------------------------------------


def test_ensure_roles_is_idempotent():
    ensure_roles()
    first = role_snapshot()

    ensure_roles()

    assert role_snapshot() == first
    assert Group.objects.filter(name=TRAINERS).count() == 1
    assert Group.objects.filter(name=COHORT_LEADS).count() == 1


def test_trainers_have_exactly_add_change_and_view_on_content():
    ensure_roles()

    assert permission_names(Group.objects.get(name=TRAINERS)) == TRAINER_CODENAMES


def test_trainers_can_delete_nothing_and_manage_no_users():
    names = permission_names(Group.objects.get(name=TRAINERS))

    assert not [name for name in names if ".delete_" in name]
    assert not [name for name in names if not name.startswith("quizzes.")]


def test_cohort_leads_hold_no_permission_on_content_or_users():
    names = permission_names(Group.objects.get(name=COHORT_LEADS))

    assert not [name for name in names if name.startswith(("quizzes.", "auth."))]


def test_ensure_roles_restores_permissions_changed_by_hand():
    trainers = Group.objects.get(name=TRAINERS)
    trainers.permissions.remove(Permission.objects.get(codename="change_question"))
    trainers.permissions.add(Permission.objects.get(codename="delete_question"))

    ensure_roles()

    assert permission_names(trainers) == TRAINER_CODENAMES


def test_ensure_roles_recreates_deleted_groups():
    Group.objects.all().delete()

    ensure_roles()

    assert permission_names(Group.objects.get(name=TRAINERS)) == TRAINER_CODENAMES


# --- what each role may open --------------------------------------------------------------


def test_trainer_is_staff_and_holds_the_trainer_role(trainer):
    assert trainer.is_staff
    assert role_of(trainer) == Role.TRAINER


def test_a_trainer_is_no_cohort_lead_and_holds_no_permission_on_learners_data(trainer):
    from cohorts.permissions import is_cohort_lead

    learners_data = [
        "cohorts.view_cohort",
        "cohorts.view_membership",
        "accounts.view_candidateprofile",
        "auth.view_user",
        "quizzes.view_attempt",
        "axes.view_accessattempt",
    ]

    assert not is_cohort_lead(trainer)
    assert not [name for name in learners_data if trainer.has_perm(name)]


def test_trainer_can_open_admin_and_the_question_list(client, trainer):
    client.force_login(trainer)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/quizzes/question/").status_code == 200
    assert client.get("/admin/quizzes/topic/").status_code == 200
    assert client.get("/admin/quizzes/exam/").status_code == 200


def test_trainer_cannot_open_user_admin(client, trainer):
    client.force_login(trainer)

    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get(f"/admin/auth/user/{trainer.pk}/change/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_trainer_cannot_delete_a_question(client, trainer):
    question = make_question(make_topic())
    client.force_login(trainer)

    response = client.get(f"/admin/quizzes/question/{question.pk}/delete/")

    assert response.status_code == 403


def test_candidate_cannot_open_admin_at_all(client, candidate):
    client.force_login(candidate)

    for url in ("/admin/", "/admin/quizzes/question/", "/admin/auth/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/"), url


def test_cohort_lead_cannot_open_admin(client):
    lead = make_user("lead")
    assign_role(lead, Role.LEAD)
    client.force_login(lead)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_signed_out_visitor_is_sent_to_admin_login(client):
    response = client.get("/admin/quizzes/question/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


# --- create_account -----------------------------------------------------------------------


def create_account(*args: str, stdin: str | None = None, monkeypatch=None) -> str:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_account", *args, stdout=out)
    return out.getvalue()


def test_create_account_creates_a_trainer_from_stdin(monkeypatch):
    output = create_account(
        "dana",
        "--role",
        "trainer",
        "--password-stdin",
        stdin=f"{STRONG_PASSWORD}\n",
        monkeypatch=monkeypatch,
    )

    user = get_user_model().objects.get(username="dana")
    assert output.strip() == "created account 'dana' with role trainer"
    assert user.check_password(STRONG_PASSWORD)
    assert user.is_staff
    assert role_of(user) == Role.TRAINER


def test_create_account_updates_the_role_of_an_existing_account(monkeypatch, trainer):
    output = create_account(
        "trainer",
        "--role",
        "candidate",
        "--password-stdin",
        stdin=f"{STRONG_PASSWORD}\n",
        monkeypatch=monkeypatch,
    )

    trainer.refresh_from_db()
    assert output.strip() == "updated account 'trainer' with role candidate"
    assert not trainer.is_staff
    assert role_of(trainer) == Role.CANDIDATE
    assert not trainer.groups.exists()


def test_create_account_makes_a_cohort_lead_who_is_not_staff(monkeypatch):
    create_account(
        "lee",
        "--role",
        "lead",
        "--email",
        "lee@example.org",
        "--password-stdin",
        stdin=f"{STRONG_PASSWORD}\n",
        monkeypatch=monkeypatch,
    )

    user = get_user_model().objects.get(username="lee")
    assert role_of(user) == Role.LEAD
    assert not user.is_staff
    assert user.email == "lee@example.org"


def test_create_account_refuses_a_weak_password(monkeypatch):
    with pytest.raises(CommandError, match="password refused"):
        create_account(
            "weak",
            "--role",
            "candidate",
            "--password-stdin",
            stdin="12345\n",
            monkeypatch=monkeypatch,
        )

    assert not get_user_model().objects.filter(username="weak").exists()


def test_create_account_refuses_an_empty_password(monkeypatch):
    with pytest.raises(CommandError, match="the password is empty"):
        create_account(
            "blank",
            "--role",
            "candidate",
            "--password-stdin",
            stdin="\n",
            monkeypatch=monkeypatch,
        )


def test_create_account_prompts_twice_and_refuses_different_passwords(monkeypatch):
    answers = iter([STRONG_PASSWORD, "something-else-entirely-42"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="the two passwords differ"):
        create_account("typo", "--role", "candidate")

    assert not get_user_model().objects.filter(username="typo").exists()


def test_create_account_takes_the_password_from_the_prompt(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: STRONG_PASSWORD)

    create_account("prompted", "--role", "trainer")

    assert get_user_model().objects.get(username="prompted").check_password(STRONG_PASSWORD)


def test_create_account_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        call_command("create_account", "x", "--role", "admin")
