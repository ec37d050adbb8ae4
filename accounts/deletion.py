"""Deleting an account: the person goes, with every row that names them or points to them.

``user.delete()`` cascades to the account's profile, roles, attempts (with their answers, so
cohort figures drop them too), memberships and places as a cohort's lead. What Django's cascade
does not reach is removed here first: the login-throttling records kept under the username,
the account's sessions, the admin's history about the account, and the comments of its
question reports (a report's question and reason stay for the trainers, unlinked).
"""

import json
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from cohorts.models import Cohort, Membership
from crss_prep import page_cache
from quizzes.models import QuestionReport

# django-axes keeps these per username (with address, browser and times) to throttle guessing.
LOGIN_RECORD_MODELS = ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")


def delete_account(user) -> None:
    """Delete ``user`` and everything that is theirs or names them (see the module)."""
    with transaction.atomic():
        unlink_reports(user)
        forget_login_records(user)
        forget_admin_history(user)
        end_sessions(user)
        # A new account may be given this id (SQLite reuses the highest): it must not be
        # served what was cached for this one.
        page_cache.bump_user(user.pk)
        user.delete()


def unlink_reports(user) -> int:
    """The user's question reports lose their comment and every link to the user."""
    return QuestionReport.objects.filter(reporter=user).update(
        comment="", reporter=None, attempt_item=None
    )


def login_names(user) -> list[str]:
    """The names a login form may have been given for ``user``: the username, and the email
    when it is no other account's username (its records are that account's to keep)."""
    names = [user.get_username()]
    email = user.email
    others = get_user_model().objects.exclude(pk=user.pk)
    if email and not others.filter(**{get_user_model().USERNAME_FIELD: email}).exists():
        names.append(email)
    return names


def forget_login_records(user) -> int:
    """Delete django-axes' records of attempts to sign in as ``user``."""
    names, deleted = login_names(user), 0
    for label in LOGIN_RECORD_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:  # not in every django-axes version
            continue
        deleted += model.objects.filter(username__in=names).delete()[0]
    return deleted


def admin_history_about(user) -> Q:
    """The admin's history entries about the account, its memberships, and the cohort changes
    that added or removed it (their message names the membership, "<username> in <cohort>")."""
    membership_name = f"{user.get_username()} in "  # usernames hold no spaces: no other's
    in_message = '"object": ' + json.dumps(membership_name)[:-1]  # as the admin wrote it
    types = ContentType.objects.get_for_models(get_user_model(), Membership, Cohort)
    return (
        Q(content_type=types[get_user_model()], object_id=str(user.pk))
        | Q(content_type=types[Membership], object_repr__startswith=membership_name)
        | Q(content_type=types[Cohort], change_message__contains=in_message)
    )


def forget_admin_history(user) -> int:
    """Delete the admin's history about ``user`` (what they did in the admin cascades)."""
    return LogEntry.objects.filter(admin_history_about(user)).delete()[0]


def end_sessions(user) -> int:
    """Delete every stored session signed in as ``user``, on any device.

    Sessions are not indexed by user, so each stored one is read; deletions are rare enough.
    The expired ones go first, all of them, as ``clearsessions`` does (one statement, nothing
    decoded): what is left to read is the sessions still in use, not every sign-in since the
    last clean-up. Sessions kept only in cookies or only in the cache cannot be listed (the
    settings use neither)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    store.clear_expired()
    user_id = str(user.pk)
    keys = [
        session.session_key
        for session in store.get_model_class().objects.iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    for key in keys:
        store(session_key=key).delete()  # the cached copy too, with cached_db
    return len(keys)
