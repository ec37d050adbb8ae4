"""Roles are group memberships: ``Trainers`` and ``Cohort leads``; anyone else is a candidate.

What each role sees of candidates (README "Who does what", and the join disclosure in
templates/cohorts/_disclosure.html, say the same):

- a trainer authors content in the admin and sees candidates only as authoring needs: item
  statistics added up over all answers, and question reports (question, reason, comment, the
  item as shown) without the reporter. No lead page, no cohort, membership, join code,
  account or extra time: ``cohorts.permissions`` and ``accounts.admin_access`` refuse them
  whatever a staff account's permissions say;
- a cohort lead sees, on the lead pages, the cohorts they lead and those cohorts' members
  only (staff status adds none);
- a superuser runs the site in the admin: accounts, cohorts and memberships.

The groups and their permissions are made by ``ensure_roles``, run after every ``migrate``
(permissions do not exist yet inside a data migration). Tests that flush tables call it again.
"""

from enum import StrEnum

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

TRAINERS = "Trainers"
COHORT_LEADS = "Cohort leads"

# app label -> model -> actions. Trainers author content; they never manage users or cohorts.
TRAINER_PERMISSIONS = {
    "quizzes": {
        "topic": ("add", "change", "view"),
        "question": ("add", "change", "view"),
        "choice": ("add", "change", "view"),
        "exam": ("add", "change", "view"),
        "examtopic": ("add", "change", "view"),
        "questionreport": ("change", "view"),
    },
}
ROLE_PERMISSIONS: dict[str, dict] = {TRAINERS: TRAINER_PERMISSIONS, COHORT_LEADS: {}}


class Role(StrEnum):
    CANDIDATE = "candidate"
    TRAINER = "trainer"
    LEAD = "lead"


ROLE_GROUPS = {Role.TRAINER: TRAINERS, Role.LEAD: COHORT_LEADS}


def permissions_for(spec: dict) -> list[Permission]:
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, models in spec.items()
        for model, actions in models.items()
        for action in actions
    ]
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _, codename in codenames]
        )
    }
    missing = [c for c in codenames if c not in found]
    if missing:
        raise LookupError(f"permissions not found: {missing}")
    return [found[c] for c in codenames]


def ensure_roles(using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the role groups and set their exact permissions. Safe to run any number of times."""
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for name, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions_for(spec))


def ensure_roles_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    # post_migrate is sent once per app; the groups need every app's permissions, so act once,
    # for the last app.
    if sender.label == list(global_apps.get_app_configs())[-1].label:
        ensure_roles(using=using)


def role_of(user) -> Role:
    names = {group.name for group in user.groups.all()}
    if TRAINERS in names:
        return Role.TRAINER
    if COHORT_LEADS in names:
        return Role.LEAD
    return Role.CANDIDATE


def assign_role(user, role: Role) -> None:
    """Make ``user`` hold exactly ``role``: its group, and staff status for trainers."""
    groups = Group.objects.filter(name__in=ROLE_GROUPS.values())
    user.groups.remove(*groups)
    if role in ROLE_GROUPS:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    user.is_staff = role == Role.TRAINER or user.is_superuser
    user.save(update_fields=["is_staff"])
