"""Sessions and request size limits.

Sessions: login issues a new key (no fixation), logout ends the session for whoever holds
the cookie, a session lives a fixed time from login, and reading a page never writes it.
Every session test runs with the database and the cached_db engines.

Limits: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a clean 400, and the admin's bank and
GIFT uploads over their size limits are form errors. Nothing is written in any case. (Too
many fields is in test_privacy_and_errors.)
"""

import io
import zipfile
from datetime import datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, assign_role
from quizzes import services
from quizzes.authoring import forms as admin_forms
from quizzes.models import StagedBankFile
from tests.banks import GOOD_TOPIC
from tests.factories import PASSWORD, make_bank, make_cohort, make_exam, make_lead, make_user
from tests.hostile.helpers import writes_nothing

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture(
    params=[
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ],
    ids=["db", "cached_db"],
)
def session_engine(request, settings):
    """Run the test with each engine the project may use; the cache starts empty."""
    settings.SESSION_ENGINE = request.param
    cache.clear()
    yield request.param
    cache.clear()


def session_store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def cookie_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def holding(session_key: str) -> Client:
    """Another browser that holds (say, stole) this session cookie."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return other


def signed_in(client: Client) -> bool:
    """A page only signed-in users see: 200 for them, a redirect to log in otherwise."""
    response = client.get(reverse("quizzes:history"))
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return True


# --- sessions -------------------------------------------------------------------------------


def test_login_issues_a_new_session_key(session_engine, client):
    user = make_user("candidate")
    planted = session_store()
    planted["planted"] = "by someone else"
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert cookie_key(client) != planted.session_key
    assert not session_store().exists(planted.session_key)
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not signed_in(holding(planted.session_key))
    assert signed_in(client)


def test_login_cookie_lives_the_fixed_session_age(session_engine, client):
    user = make_user("candidate")

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_logout_ends_the_session_for_every_holder_of_the_cookie(session_engine, client):
    client.force_login(make_user("candidate"))
    key = cookie_key(client)
    stolen = holding(key)
    assert signed_in(stolen)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not session_store().exists(key)
    assert not Session.objects.filter(session_key=key).exists()
    assert not signed_in(stolen)
    assert not signed_in(client)


def test_logout_by_get_is_refused_and_keeps_the_session(session_engine, client):
    client.force_login(make_user("candidate"))

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert signed_in(client)


def test_a_session_ends_a_fixed_time_after_login_however_busy(session_engine, client):
    age = settings.SESSION_COOKIE_AGE
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(make_user("candidate"))
        clock.shift(timedelta(seconds=age - 60))
        assert signed_in(client), "a minute before the end"

        clock.shift(timedelta(seconds=61))

        assert not signed_in(client), "a second after the end, reading pages did not renew it"


def test_an_expired_session_is_refused_even_if_the_cache_still_holds_it(session_engine, client):
    """Whatever the engine, the stored expiry decides (set directly, not by the clock)."""
    client.force_login(make_user("candidate"))
    key = cookie_key(client)

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    cache.clear()

    assert not signed_in(client)


@pytest.fixture
def candidate_pages(client):
    """A signed-in candidate with a result and an attempt in progress, and the pages they
    read; plus a lead's dashboard."""
    make_bank(topics=2, per_topic=3)
    exam = make_exam(items=3, title="Mini mock")
    user = make_user("candidate")
    done = services.submit_attempt(attempt=services.start_attempt(user=user, exam=exam))
    running = services.start_attempt(user=user, exam=exam)
    lead = make_lead("lead")
    cohort = make_cohort(lead, members=[user])
    pages = [
        "/",
        "/exams/",
        "/topics/",
        "/history/",
        "/cohorts/join/",
        "/accounts/my-data/",
        reverse("quizzes:take_item", args=[running.pk, 1]),
        reverse("quizzes:attempt_review", args=[running.pk]),
        reverse("quizzes:attempt_state", args=[running.pk]),
        reverse("quizzes:attempt_result", args=[done.pk]),
    ]
    return {"user": user, "lead": lead, "cohort": cohort, "pages": pages}


def session_writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if "django_session" in query["sql"]
        and not query["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_reading_pages_never_writes_the_session(session_engine, client, candidate_pages):
    client.force_login(candidate_pages["user"])
    key = cookie_key(client)
    expiry = Session.objects.get(session_key=key).expire_date
    lead = Client()
    lead.force_login(candidate_pages["lead"])
    reads = [(client, page) for page in candidate_pages["pages"]]
    reads.append((lead, candidate_pages["cohort"].get_absolute_url()))

    for reader, page in reads:
        with CaptureQueriesContext(connection) as queries:
            response = reader.get(page)
        assert response.status_code == 200, page
        assert session_writes(queries) == [], page
        assert settings.SESSION_COOKIE_NAME not in response.cookies, page

    assert cookie_key(client) == key
    assert Session.objects.get(session_key=key).expire_date == expiry


def test_anonymous_pages_create_no_session(session_engine, client, candidate_pages):
    for page in ["/", "/exams/", "/topics/", "/accounts/login/", "/accounts/signup/"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200, page
        assert session_writes(queries) == [], page

    assert not Session.objects.exists()


def test_the_write_check_sees_a_session_saved_on_every_request(
    session_engine, client, candidate_pages, settings
):
    """The check above can fail: with SESSION_SAVE_EVERY_REQUEST on it finds the write."""
    settings.SESSION_SAVE_EVERY_REQUEST = True
    client.force_login(candidate_pages["user"])

    with CaptureQueriesContext(connection) as queries:
        client.get("/history/")

    assert session_writes(queries)


# --- request size limits --------------------------------------------------------------------

OVER_THE_LIMIT = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


@pytest.fixture
def people():
    make_bank(topics=1, per_topic=4)
    candidate = make_user("candidate")
    trainer = make_user("trainer")
    assign_role(trainer, Role.TRAINER)
    lead = make_lead("lead")
    attempt = services.start_attempt(user=candidate, exam=make_exam(items=2))
    return {"candidate": candidate, "trainer": trainer, "lead": lead, "attempt": attempt}


def answer_url(people) -> str:
    return reverse("quizzes:answer_item", args=[people["attempt"].pk, 1])


@pytest.mark.parametrize(
    ("who", "url", "data"),
    [
        ("candidate", answer_url, {"choice": "a", "sequence": "1"}),
        ("candidate", "/cohorts/join/", {"code": "K7QX2MPR"}),
        ("candidate", "/accounts/delete/", {"password": PASSWORD}),
        ("lead", "/cohorts/new/", {"name": "Big group"}),
        ("trainer", "/admin/quizzes/topic/add/", {"title": "Big", "slug": "big"}),
        (None, "/accounts/signup/", {"username": "big", "email": "big@example.org"}),
        (None, "/accounts/login/", {"username": "candidate", "password": PASSWORD}),
    ],
    ids=["answer", "join", "delete-account", "new-cohort", "admin-topic", "signup", "login"],
)
def test_a_form_body_over_the_limit_is_a_clean_400(people, who, url, data):
    client = Client(raise_request_exception=False)
    if who:
        client.force_login(people[who])
    url = url(people) if callable(url) else url

    with writes_nothing():
        response = client.post(url, {**data, "padding": OVER_THE_LIMIT})

    assert response.status_code in {400, 413}
    if who is None:
        assert SESSION_KEY not in client.session


def test_a_json_body_over_the_limit_is_refused(people):
    client = Client(raise_request_exception=False)
    client.force_login(people["candidate"])
    body = '{"choice": "a", "sequence": 1, "padding": "' + OVER_THE_LIMIT + '"}'

    with writes_nothing():
        response = client.post(
            answer_url(people),
            body,
            content_type="application/json",
            headers={"Accept": "application/json"},
        )

    assert response.status_code == 400


def test_a_text_field_over_the_limit_beside_a_file_is_a_clean_400(people):
    client = Client(raise_request_exception=False)
    client.force_login(people["trainer"])
    bank = SimpleUploadedFile("bank.yaml", GOOD_TOPIC.encode())

    with writes_nothing():
        response = client.post(
            "/admin/quizzes/question/import/", {"files": [bank], "note": OVER_THE_LIMIT}
        )

    assert response.status_code == 400


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def over_a_limit(limit: int) -> str:
    return "# padding\n" + "#" * limit + "\n"


@pytest.mark.parametrize(
    ("url", "field", "upload", "message"),
    [
        (
            "/admin/quizzes/question/import/",
            "files",
            lambda: SimpleUploadedFile(
                "big.yaml", over_a_limit(admin_forms.MAX_FILE_BYTES).encode()
            ),
            "a bank file may be at most 2 MiB",
        ),
        (
            "/admin/quizzes/question/import/",
            "files",
            lambda: SimpleUploadedFile(
                "banks.zip", zip_of({"a.yaml": GOOD_TOPIC, "b.yaml": over_a_limit(4096)})
            ),
            "an archive of banks may be at most",
        ),
        (
            "/admin/quizzes/question/import-gift/",
            "file",
            lambda: SimpleUploadedFile(
                "big.gift", over_a_limit(admin_forms.MAX_GIFT_BYTES).replace("#", "/").encode()
            ),
            "a GIFT file may be at most 2 MiB",
        ),
    ],
    ids=["yaml-file", "zip-archive", "gift-file"],
)
def test_an_upload_over_its_size_limit_is_a_form_error(
    people, monkeypatch, url, field, upload, message
):
    # The archive limit is 30 files of 2 MiB: lowered here so the test does not send 60 MiB.
    monkeypatch.setattr(admin_forms, "MAX_ARCHIVE_BYTES", 4096)
    client = Client(raise_request_exception=False)
    client.force_login(people["trainer"])

    with writes_nothing():
        response = client.post(url, {field: upload(), "topic": "imported"})

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not StagedBankFile.objects.exists()
