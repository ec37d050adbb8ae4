"""Creating cohorts, their join codes, and candidates joining and leaving."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, Cohort, Membership
from tests.factories import make_cohort, make_lead, make_user

pytestmark = pytest.mark.django_db

JOIN = reverse("cohorts:join")
CONFIRM = reverse("cohorts:join_confirm")


@pytest.fixture
def lead():
    return make_lead("coach", first_name="Casey", last_name="Coach")


@pytest.fixture
def cohort(lead):
    return make_cohort(lead, name="Thursday group")


@pytest.fixture
def candidate(client):
    user = make_user("newbie")
    client.force_login(user)
    return user


# --- leads create cohorts and manage the code -----------------------------------------------


def test_a_lead_creates_a_cohort_and_leads_it(client, lead):
    client.force_login(lead)

    response = client.post(reverse("cohorts:create"), {"name": "  Spring evening group "})

    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cohorts:dashboard", args=[cohort.pk])
    assert cohort.name == "Spring evening group"
    assert list(cohort.leads.all()) == [lead]
    assert len(cohort.join_code) == JOIN_CODE_LENGTH
    assert set(cohort.join_code) <= set(JOIN_CODE_ALPHABET)
    assert cohort.code_expires_at > timezone.now() + timedelta(days=13)


def test_a_cohort_needs_a_name(client, lead):
    client.force_login(lead)

    response = client.post(reverse("cohorts:create"), {"name": ""})

    assert response.status_code == 400
    assert "This field is required" in response.text
    assert not Cohort.objects.exists()


def test_the_cohort_list_has_the_create_form(client, lead, cohort):
    client.force_login(lead)

    response = client.get(reverse("cohorts:list"))

    assert "Create a cohort" in response.text
    assert f'action="{reverse("cohorts:create")}"' in response.text
    assert cohort.join_code in response.text


def test_candidates_cannot_create_cohorts(client, candidate):
    response = client.post(reverse("cohorts:create"), {"name": "Mine"})

    assert response.status_code == 403
    assert not Cohort.objects.exists()


def test_regenerating_the_code_replaces_it_and_restarts_its_lifetime(client, lead, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(code_expires_at=timezone.now() - timedelta(1))
    old_code = cohort.join_code
    client.force_login(lead)

    response = client.post(reverse("cohorts:regenerate_code", args=[cohort.pk]), follow=True)

    cohort.refresh_from_db()
    assert cohort.join_code != old_code
    assert not cohort.code_is_expired()
    assert cohort.join_code in response.text
    assert "The old code no longer works" in response.text


def test_the_dashboard_says_when_the_code_has_expired(client, lead, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(code_expires_at=timezone.now() - timedelta(1))
    client.force_login(lead)

    response = client.get(reverse("cohorts:dashboard", args=[cohort.pk]))

    assert "This code expired on" in response.text


# --- candidates join ------------------------------------------------------------------------


def test_the_join_page_says_what_the_lead_will_see(client, candidate):
    response = client.get(JOIN)

    assert response.status_code == 200
    assert "What the cohort's leads will see" in response.text
    assert "every question with the answer you chose" in response.text
    assert "They do not see your email address" in response.text


def test_a_code_leads_to_a_confirmation_naming_the_cohort_and_its_leads(client, candidate, cohort):
    response = client.post(JOIN, {"code": cohort.join_code.lower()})

    assert response.status_code == 200
    assert "Join Thursday group?" in response.text
    assert "Casey Coach" in response.text
    assert "What the cohort's leads will see" in response.text
    assert not Membership.objects.exists()


def test_joining_after_confirming(client, candidate, cohort):
    response = client.post(CONFIRM, {"code": cohort.join_code, "confirm": "on"}, follow=True)

    assert Membership.objects.filter(cohort=cohort, user=candidate).exists()
    assert "You have joined Thursday group." in response.text
    assert "Thursday group" in response.context["memberships"][0].cohort.name


def test_joining_needs_the_box_ticked(client, candidate, cohort):
    response = client.post(CONFIRM, {"code": cohort.join_code})

    assert response.status_code == 400
    assert "Tick the box to confirm" in response.text
    assert not Membership.objects.exists()


def test_codes_are_read_without_case_spaces_or_hyphens(candidate, cohort):
    code = cohort.join_code
    typed = f" {code[:4].lower()}-{code[4:]} "

    joined, created = services.join_cohort(user=candidate, code=typed)

    assert (joined, created) == (cohort, True)


def test_a_wrong_code_is_refused_with_a_clear_message(client, candidate, cohort):
    response = client.post(JOIN, {"code": "NOTACODE"})

    assert response.status_code == 400
    assert services.WRONG_CODE in response.text
    assert "Thursday group" not in response.text
    assert not Membership.objects.exists()


def test_an_expired_code_is_refused_with_a_clear_message(client, candidate, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(code_expires_at=timezone.now() - timedelta(1))

    at_first_step = client.post(JOIN, {"code": cohort.join_code})
    at_confirmation = client.post(CONFIRM, {"code": cohort.join_code, "confirm": "on"})

    assert at_first_step.status_code == at_confirmation.status_code == 400
    assert "That join code has expired" in at_first_step.text
    assert "That join code has expired" in at_confirmation.text
    assert not Membership.objects.exists()


def test_a_code_that_expires_between_the_two_steps_is_refused(client, candidate, cohort):
    client.post(JOIN, {"code": cohort.join_code})
    services.regenerate_join_code(cohort=cohort)

    response = client.post(CONFIRM, {"code": "ABCDEFGH", "confirm": "on"})

    assert response.status_code == 400
    assert not Membership.objects.exists()


def test_joining_twice_does_nothing_and_says_so(client, candidate, cohort):
    client.post(CONFIRM, {"code": cohort.join_code, "confirm": "on"})
    joined_at = Membership.objects.get().joined_at

    response = client.post(CONFIRM, {"code": cohort.join_code, "confirm": "on"}, follow=True)

    assert Membership.objects.count() == 1
    assert Membership.objects.get().joined_at == joined_at
    assert "You are already a member of Thursday group: nothing has changed." in response.text


def test_the_join_page_prefills_a_shared_code(client, candidate, cohort):
    response = client.get(JOIN, {"code": cohort.join_code})

    assert f'value="{cohort.join_code}"' in response.text


def test_anonymous_users_log_in_before_joining(client, cohort):
    response = client.get(JOIN)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- and leave ------------------------------------------------------------------------------


def test_leaving_asks_for_confirmation_first(client, candidate, cohort):
    Membership.objects.create(cohort=cohort, user=candidate)

    response = client.get(reverse("cohorts:leave", args=[cohort.pk]))

    assert response.status_code == 200
    assert "Leave Thursday group?" in response.text
    assert Membership.objects.exists()


def test_leaving_removes_the_membership(client, candidate, cohort):
    Membership.objects.create(cohort=cohort, user=candidate)

    response = client.post(reverse("cohorts:leave", args=[cohort.pk]), follow=True)

    assert not Membership.objects.exists()
    assert "You have left Thursday group" in response.text
    assert "You are not in a cohort." in response.text


def test_leaving_a_cohort_one_is_not_in_is_a_404(client, candidate, cohort):
    page = client.get(reverse("cohorts:leave", args=[cohort.pk]))
    action = client.post(reverse("cohorts:leave", args=[cohort.pk]))

    assert page.status_code == action.status_code == 404


def test_a_learner_who_left_is_no_longer_visible_to_the_lead(client, lead, cohort):
    learner = make_user("leaver")
    Membership.objects.create(cohort=cohort, user=learner)
    client.force_login(learner)
    client.post(reverse("cohorts:leave", args=[cohort.pk]))
    client.force_login(lead)

    dashboard = client.get(reverse("cohorts:dashboard", args=[cohort.pk]))
    history = client.get(reverse("cohorts:learner", args=[cohort.pk, learner.pk]))

    assert "leaver" not in dashboard.text
    assert history.status_code == 404
