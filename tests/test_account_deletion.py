"""Deleting an account deletes the person: every table is read before and after, and nothing
of them is left, while everyone else's rows are exactly as they were (issue 18, part 1)."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse

from cohorts import services as cohort_services
from cohorts.models import Cohort, Membership
from quizzes import services
from quizzes.models import QuestionReport, ReportStatus
from tests.factories import (
    PASSWORD,
    answer,
    make_bank,
    make_cohort,
    make_exam,
    make_lead,
    make_user,
    take,
)

pytestmark = pytest.mark.django_db

USERNAME = "zephyrine-departs"
EMAIL = "zephyrine@departing.example"
COMMENT = "Zephyrine thinks choice C is also defensible"
OTHER_COMMENT = "Orla finds the stem ambiguous"


# --- every table, as plain values ----------------------------------------------------------


def every_model() -> list:
    return apps.get_models(include_auto_created=True)


def plain(value: object) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot() -> dict[tuple[str, object], dict]:
    """Every row of every model's table, keyed by (model label, primary key)."""
    rows = {}
    for model in every_model():
        names = [field.attname for field in model._meta.concrete_fields]
        for values in model._base_manager.values_list(*names):
            row = dict(zip(names, map(plain, values), strict=True))
            rows[(model._meta.label, row[model._meta.pk.attname])] = row
    return rows


def session_user_id(row: dict) -> str | None:
    return Session(**row).get_decoded().get(SESSION_KEY)


def text_of(label: str, row: dict) -> str:
    """The row's values as one text (a session's decoded content with it)."""
    parts = [
        value.decode(errors="replace") if isinstance(value, bytes) else str(value)
        for value in row.values()
    ]
    if label == "sessions.Session":
        parts.append(str(Session(**row).get_decoded()))
    return "\n".join(parts)


def points_to(label: str, row: dict, keys: set) -> bool:
    model = apps.get_model(label)
    return any(
        field.is_relation and (field.related_model._meta.label, row[field.attname]) in keys
        for field in model._meta.concrete_fields
    )


def rows_of(person, rows: dict, texts: tuple[str, ...]) -> set:
    """The person's rows: their account, every row that points to one of their rows (through
    any chain of foreign keys), their sessions, and any row that names them."""
    user_label = get_user_model()._meta.label
    found = {(user_label, person.pk)}
    found |= {
        key
        for key, row in rows.items()
        if any(text in text_of(key[0], row) for text in texts)
        or (key[0] == "sessions.Session" and session_user_id(row) == str(person.pk))
    }
    while True:
        more = {
            key for key, row in rows.items() if key not in found and points_to(key[0], row, found)
        }
        if not more:
            return found
        found |= more


def user_references(person, rows: dict) -> list:
    """Rows that still point to the person's account."""
    user_key = {(get_user_model()._meta.label, person.pk)}
    return [key for key, row in rows.items() if points_to(key[0], row, user_key)]


# --- the world ------------------------------------------------------------------------------


def sign_in_for_real(username: str) -> Client:
    """A browser that signs in through the login form (django-axes records it)."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def fail_to_sign_in(username: str) -> None:
    response = Client().post(reverse("login"), {"username": username, "password": "wrong"})
    assert response.status_code == 200


def report(attempt, position: int, comment: str) -> QuestionReport:
    return services.report_question(
        attempt=attempt, position=position, reason="unclear", comment=comment
    )


def log_admin_changes(superuser, person, cohort) -> None:
    """What the admin writes when a superuser changes the person's account and adds them to a
    cohort (through the admin's own logging methods)."""
    request = RequestFactory().post("/admin/")
    request.user = superuser
    user_admin = admin.site.get_model_admin(get_user_model())
    user_admin.log_change(request, person, [{"changed": {"fields": ["Extra time (%)"]}}])
    membership = Membership.objects.get(user=person, cohort=cohort)
    admin.site.get_model_admin(Cohort).log_change(
        request, cohort, [{"added": {"name": "membership", "object": str(membership)}}]
    )


@pytest.fixture
def world():
    """The person leaving, and another candidate with the same kinds of data, in one cohort."""
    make_bank(topics=2, per_topic=4)
    exam = make_exam(items=4, title="Mini mock")
    person = make_user(USERNAME, email=EMAIL, first_name="Zephyrine", last_name="Departs")
    other = make_user("orla-stays", email="orla@staying.example", first_name="Orla")
    lead = make_lead("lead-of-both")
    cohort = make_cohort(lead, name="Evening group", members=[person, other])
    superuser = make_user("boss", is_staff=True, is_superuser=True)
    for user, extra in ((person, 50), (other, 25)):
        cohort_services.set_extra_time(learner=user, percent=extra)
        finished = take(exam, user, right=2)
        running = services.start_attempt(user=user, exam=make_exam(items=2))
        answer(running, 1, running.items.get(position=1).correct_key)
        report(finished, 1, OTHER_COMMENT if user == other else COMMENT)
    closed = report(person.attempts.filter(status="submitted").get(), 2, COMMENT + " (second)")
    QuestionReport.objects.filter(pk=closed.pk).update(status=ReportStatus.CLOSED)
    for user in (person, other):
        log_admin_changes(superuser, user, cohort)
    browsers = SimpleNamespace(
        person_elsewhere=sign_in_for_real(USERNAME),
        other=sign_in_for_real("orla-stays"),
        person=Client(),
    )
    browsers.person.force_login(person)
    for name in (USERNAME, EMAIL, "orla-stays"):
        fail_to_sign_in(name)
    return SimpleNamespace(person=person, other=other, cohort=cohort, browsers=browsers)


def delete_through_the_page(world):
    response = world.browsers.person.post(reverse("delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    return response


# --- the tests ------------------------------------------------------------------------------


def test_the_snapshot_reads_every_table_and_the_world_has_every_kind_of_data(world):
    before = snapshot()

    assert len(before) == sum(model._base_manager.count() for model in every_model())
    assert "sessions.Session" in {model._meta.label for model in every_model()}
    mine = rows_of(world.person, before, (USERNAME, EMAIL, COMMENT))
    kinds = {label for label, _ in mine}
    assert {
        "auth.User",
        "accounts.CandidateProfile",
        "quizzes.Attempt",
        "quizzes.AttemptItem",
        "quizzes.QuestionReport",
        "cohorts.Membership",
        "sessions.Session",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "admin.LogEntry",
    } <= kinds
    assert sum(1 for label, _ in mine if label == "sessions.Session") == 2


def test_nothing_of_the_person_is_left_in_any_table(world):
    person = world.person
    user_type = ContentType.objects.get_for_model(person)
    before = snapshot()

    delete_through_the_page(world)

    after = snapshot()
    assert user_references(person, after) == []
    for (label, pk), row in after.items():
        text = text_of(label, row)
        for secret in (USERNAME, EMAIL, COMMENT, "Zephyrine"):
            assert secret not in text, f"{label} {pk} still holds {secret!r}"
        if label == "sessions.Session":
            assert session_user_id(row) != str(person.pk)
        if label == "admin.LogEntry":
            assert (row["content_type_id"], row["object_id"]) != (user_type.pk, str(person.pk))
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    assert len(after) < len(before)


def test_everyone_elses_rows_are_untouched(world):
    before = snapshot()
    mine = rows_of(world.person, before, (USERNAME, EMAIL, COMMENT))

    delete_through_the_page(world)

    after = snapshot()
    changed = [key for key, row in before.items() if key not in mine and after.get(key) != row]
    assert changed == []
    added = [label for label, _ in set(after) - set(before)]
    assert set(added) <= {"sessions.Session"}
    assert OTHER_COMMENT in QuestionReport.objects.values_list("comment", flat=True)
    assert world.browsers.other.get(reverse("quizzes:history")).status_code == 200


def test_reports_keep_their_question_and_reason_for_the_trainers_and_nothing_else(world):
    reports = QuestionReport.objects.filter(reporter=world.person)
    kept = {report.pk: (report.question_id, report.reason, report.status) for report in reports}

    delete_through_the_page(world)

    left = QuestionReport.objects.filter(pk__in=kept)
    assert {report.pk: (report.question_id, report.reason, report.status) for report in left} == (
        kept
    )
    assert {(r.comment, r.reporter_id, r.attempt_item_id) for r in left} == {("", None, None)}


def test_every_session_of_the_person_ends_on_every_device(world):
    elsewhere = world.browsers.person_elsewhere
    assert elsewhere.get(reverse("quizzes:history")).status_code == 200
    cookie = elsewhere.cookies[settings.SESSION_COOKIE_NAME].value

    delete_through_the_page(world)

    assert not Session.objects.filter(session_key=cookie).exists()
    response = elsewhere.get(reverse("quizzes:history"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_expired_sessions_are_cleared_and_the_live_ones_of_others_stay(world):
    other = world.browsers.other  # signed in, session live
    other.get(reverse("quizzes:history"))
    live = other.cookies[settings.SESSION_COOKIE_NAME].value
    expired = SessionStore()
    expired[SESSION_KEY] = str(world.other.pk)  # an old sign-in, expired, never cleared
    expired.set_expiry(-60)
    expired.create()

    delete_through_the_page(world)

    assert not Session.objects.filter(session_key=expired.session_key).exists()
    assert Session.objects.filter(session_key=live).exists()
    assert other.get(reverse("quizzes:history")).status_code == 200


def test_the_login_throttling_records_of_the_person_go_and_others_stay(world):
    from axes.models import AccessAttempt, AccessLog

    delete_through_the_page(world)

    assert not AccessAttempt.objects.filter(username__in=[USERNAME, EMAIL]).exists()
    assert not AccessLog.objects.filter(username=USERNAME).exists()
    assert AccessAttempt.objects.filter(username="orla-stays").exists()
    assert AccessLog.objects.filter(username="orla-stays").exists()


def test_a_superuser_deleting_the_account_in_the_admin_deletes_as_much(world):
    from axes.models import AccessAttempt

    boss = Client()
    boss.force_login(get_user_model().objects.get(username="boss"))

    response = boss.post(reverse("admin:auth_user_delete", args=[world.person.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not get_user_model().objects.filter(username=USERNAME).exists()
    assert not QuestionReport.objects.filter(comment__contains=COMMENT).exists()
    assert not AccessAttempt.objects.filter(username=USERNAME).exists()
    assert not LogEntry.objects.filter(object_repr__contains=USERNAME).exists()
    elsewhere = world.browsers.person_elsewhere
    assert elsewhere.get(reverse("quizzes:history")).status_code == 302


def test_the_deletion_page_says_what_is_removed_and_what_stays(client):
    client.force_login(make_user())

    text = client.get(reverse("my_data")).text

    for removed in (
        "your account: username, name, email, password",
        "every attempt and every answer",
        "your cohort memberships",
        "the comments you wrote when reporting a question",
        "the records of your sign-ins and failed sign-ins",
        "every session you are signed in with",
    ):
        assert removed in text
    assert "the report itself (which question, and the reason you picked) stays" in text


def test_with_cached_sessions_the_cached_copy_goes_too(settings):
    from importlib import import_module

    from django.core.cache import cache

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    person, other = make_user(USERNAME), make_user("orla-stays")
    browsers = [Client(), Client(), Client()]
    for browser, user in zip(browsers, (person, person, other), strict=True):
        browser.force_login(user)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    cache_keys = [
        store(session_key=browser.cookies[settings.SESSION_COOKIE_NAME].value).cache_key
        for browser in browsers
    ]
    assert all(cache.get(key) for key in cache_keys)

    browsers[0].post(reverse("delete_account"), {"password": PASSWORD})

    assert cache.get(cache_keys[1]) is None
    assert cache.get(cache_keys[2]) is not None


def test_a_new_account_given_the_same_id_sees_nothing_cached_for_the_old_one():
    from accounts.deletion import delete_account
    from quizzes import progress

    make_bank(topics=1, per_topic=4)
    old = make_user("leaving")
    take(make_exam(items=4), old, right=2)
    assert progress.mastery_for(old)  # cached now
    old_id = old.pk

    delete_account(old)
    new = make_user("arriving", pk=old_id)

    assert progress.mastery_for(new) == {}
