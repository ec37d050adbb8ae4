"""What a trainer sees of learners: item statistics in aggregate and question reports without
their reporter, nothing else; lead pages and cohort data are for leads and superusers
(issue 18, part 3). Also: the question preview checks permission before it looks anything up
(part 4)."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import CandidateProfile
from accounts.roles import Role, assign_role
from cohorts import services as cohort_services
from cohorts.context_processors import SESSION_KEY
from cohorts.models import Cohort
from quizzes import services
from quizzes.models import QuestionReport
from tests.factories import make_bank, make_cohort, make_exam, make_lead, make_user, take

pytestmark = pytest.mark.django_db

LEARNER_NAME = "Quincy Learnerton"
COMMENT = "Choice B reads as right too"


@pytest.fixture
def world():
    """A lead's cohort with a learner who took a mock and reported an item, and a second
    lead's cohort."""
    make_bank(topics=2, per_topic=4)
    exam = make_exam(items=4)
    learner = make_user("quincy", first_name="Quincy", last_name="Learnerton")
    lead, other_lead = make_lead("lead-a"), make_lead("lead-b")
    cohort = make_cohort(lead, name="Evening group", members=[learner])
    other = make_cohort(other_lead, name="Morning group", members=[make_user("mo")])
    cohort_services.set_extra_time(learner=learner, percent=50)
    attempt = take(exam, learner, right=3)
    services.report_question(attempt=attempt, position=1, reason="wrong", comment=COMMENT)
    return SimpleNamespace(
        learner=learner, lead=lead, cohort=cohort, other=other, attempt=attempt, exam=exam
    )


def lead_pages(world) -> list[tuple[str, str]]:
    """Every lead page and export of the first cohort, and the two lead actions: (method, url)."""
    cohort, learner = world.cohort.pk, world.learner.pk
    return [
        ("get", reverse("cohorts:list")),
        ("post", reverse("cohorts:create")),
        ("get", reverse("cohorts:dashboard", args=[cohort])),
        ("get", reverse("cohorts:questions", args=[cohort])),
        ("get", reverse("cohorts:export_csv", args=[cohort])),
        ("get", reverse("cohorts:attempts_csv", args=[cohort])),
        ("get", reverse("cohorts:learner", args=[cohort, learner])),
        ("get", reverse("cohorts:learner_result", args=[cohort, learner, world.attempt.pk])),
        ("post", reverse("cohorts:extra_time", args=[cohort, learner])),
        ("post", reverse("cohorts:regenerate_code", args=[cohort])),
    ]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def visit(client, method: str, url: str):
    if method == "post":
        return client.post(url, {"name": "Trainer's group", "extra_time_percent": "0"})
    return client.get(url)


def staff_with_every_cohort_and_user_permission():
    """A staff account granted, by hand, every permission on cohorts, memberships and users."""
    user = make_user("granted-staff", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["cohorts", "accounts", "auth"])
    )
    return user


# --- lead pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(10))
def test_a_trainer_gets_a_403_on_every_lead_page_and_export(client, trainer, world, index):
    method, url = lead_pages(world)[index]
    code = world.cohort.join_code

    response = visit(client, method, url)

    assert response.status_code == 403
    text = body(response)
    assert "Learnerton" not in text and code not in text
    assert Cohort.objects.get(pk=world.cohort.pk).join_code == code
    assert CandidateProfile.objects.get(user=world.learner).extra_time_percent == 50
    assert Cohort.objects.count() == 2


@pytest.mark.parametrize("index", range(10))
def test_staff_granted_cohort_permissions_still_get_no_lead_page(client, world, index):
    method, url = lead_pages(world)[index]
    client.force_login(staff_with_every_cohort_and_user_permission())

    assert visit(client, method, url).status_code == 403


def test_a_superuser_who_leads_nothing_gets_no_lead_page(client, world):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))

    assert client.get(reverse("cohorts:dashboard", args=[world.cohort.pk])).status_code == 403
    assert client.get(reverse("cohorts:list")).status_code == 403


def test_the_navigation_offers_a_trainer_no_cohort_pages(client, trainer, world):
    page = client.get(reverse("home")).content.decode()

    assert client.session[SESSION_KEY] is False
    assert 'href="/cohorts/">Cohorts</a>' not in page
    assert 'href="/cohorts/join/">Join a cohort</a>' in page


@pytest.mark.parametrize("role", ["staff", "trainer"])
def test_a_lead_who_is_also_staff_sees_only_their_own_cohorts(client, world, role):
    lead = world.lead
    if role == "trainer":
        assign_role(lead, Role.TRAINER)
        lead.groups.add(*world.other.leads.get().groups.all())  # back in Cohort leads too
    else:
        lead.is_staff = True
        lead.save()
    client.force_login(lead)

    listing = client.get(reverse("cohorts:list")).content.decode()
    own = client.get(reverse("cohorts:dashboard", args=[world.cohort.pk]))
    foreign = client.get(reverse("cohorts:dashboard", args=[world.other.pk]))
    foreign_export = client.get(reverse("cohorts:attempts_csv", args=[world.other.pk]))

    assert "Evening group" in listing and "Morning group" not in listing
    assert own.status_code == 200 and LEARNER_NAME in own.content.decode()
    assert foreign.status_code == 404
    assert foreign_export.status_code == 404
    assert 'href="/cohorts/">Cohorts</a>' in client.get(reverse("home")).content.decode()


# --- the admin ------------------------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/cohorts/cohort/",
    "/admin/cohorts/cohort/add/",
    "/admin/cohorts/cohort/{cohort}/change/",
    "/admin/cohorts/membership/",
    "/admin/auth/user/",
    "/admin/auth/user/{learner}/change/",
]


@pytest.mark.parametrize("who", ["trainer", "granted-staff"])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_no_staff_account_but_a_superuser_opens_cohorts_or_accounts_in_the_admin(
    client, world, who, page
):
    if who == "trainer":
        user = make_user("tess")
        assign_role(user, Role.TRAINER)
    else:
        user = staff_with_every_cohort_and_user_permission()
    client.force_login(user)
    url = page.format(cohort=world.cohort.pk, learner=world.learner.pk)

    response = client.get(url)

    assert response.status_code == 403
    assert world.cohort.join_code not in response.content.decode()


def test_the_admin_index_lists_no_cohorts_or_accounts_for_a_trainer(client, trainer, world):
    page = client.get("/admin/").content.decode()

    assert "/admin/quizzes/question/" in page
    assert "/admin/cohorts/" not in page and "/admin/auth/user/" not in page


def test_a_superuser_keeps_the_cohort_and_account_admin(client, world):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))

    cohort_page = client.get(f"/admin/cohorts/cohort/{world.cohort.pk}/change/")
    account_page = client.get(f"/admin/auth/user/{world.learner.pk}/change/")

    assert cohort_page.status_code == 200 and world.cohort.join_code in cohort_page.text
    assert account_page.status_code == 200 and 'value="50"' in account_page.text


def test_only_members_of_the_cohort_leads_group_can_be_named_leads(client, world):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))

    form = client.get("/admin/cohorts/cohort/add/").context["adminform"].form

    assert set(form.fields["leads"].queryset) == {world.lead, world.other.leads.get()}


# --- what a trainer does see ----------------------------------------------------------------


def test_a_trainer_reads_a_report_without_its_reporter(client, trainer, world):
    report = QuestionReport.objects.get()

    listing = client.get("/admin/quizzes/questionreport/").content.decode()
    page = client.get(f"/admin/quizzes/questionreport/{report.pk}/change/").content.decode()

    assert COMMENT in listing and COMMENT in page
    for name in ("quincy", "Quincy", "Learnerton"):
        assert name not in listing and name not in page


def test_a_trainer_cannot_filter_reports_by_reporter(client, trainer, world):
    response = client.get(f"/admin/quizzes/questionreport/?reporter={world.learner.pk}")

    assert response.status_code == 400
    assert COMMENT not in response.content.decode()


def test_a_trainer_sees_item_statistics_added_up_and_no_learner(client, trainer, world):
    for number in range(3):
        take(world.exam, make_user(f"more-{number}"), right=number)

    response = client.get("/admin/quizzes/question/statistics/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "quincy" not in text and "Learnerton" not in text and "more-1" not in text


# --- the same roles in every description ----------------------------------------------------


def test_the_join_disclosure_says_leads_alone_see_results_and_what_trainers_see(client, world):
    client.force_login(make_user("newcomer"))

    text = " ".join(client.get(reverse("cohorts:join")).content.decode().split())

    assert "its leads, and only they, can see" in text
    assert "staff" not in text.lower()
    assert "Trainers, who write the questions, do not see your cohorts, your results" in text


# --- the preview checks permission first ----------------------------------------------------


def test_the_preview_tells_staff_without_question_rights_nothing_about_ids(client, world):
    client.force_login(make_user("staff-only", is_staff=True))
    question = world.attempt.items.get(position=1).question

    existing = client.get(f"/admin/quizzes/question/{question.pk}/preview/")
    missing = client.get(f"/admin/quizzes/question/{question.pk + 10_000}/preview/")

    assert existing.status_code == missing.status_code == 403
    assert question.stem not in existing.content.decode()
