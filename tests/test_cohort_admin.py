"""Staff manage cohorts in the admin: list, add (a join code is made), members, new codes."""

import pytest
from django.urls import reverse

from cohorts.models import Cohort, Membership
from tests.factories import make_cohort, make_lead, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    return client


def test_the_cohort_admin_lists_cohorts_with_their_member_count(admin_client):
    make_cohort(make_lead(), name="Listed group", members=[make_user(), make_user()])

    response = admin_client.get(reverse("admin:cohorts_cohort_changelist"))

    assert response.status_code == 200
    assert "Listed group" in response.text
    assert response.context["cl"].result_list[0].member_count == 2


def test_staff_add_a_cohort_with_a_lead_and_a_member(admin_client):
    lead, member = make_lead(), make_user()
    add_page = admin_client.get(reverse("admin:cohorts_cohort_add"))
    code = add_page.context["adminform"].form["join_code"].initial  # a fresh random code

    response = admin_client.post(
        reverse("admin:cohorts_cohort_add"),
        {
            "name": "Admin group",
            "leads": [lead.pk],
            "join_code": code,
            "code_expires_at_0": "2030-01-01",
            "code_expires_at_1": "12:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": member.pk,
            "memberships-0-joined_at_0": "2026-01-01",
            "memberships-0-joined_at_1": "09:00:00",
        },
    )

    assert len(code) == 8
    assert response.status_code == 302, response.context["adminform"].form.errors
    cohort = Cohort.objects.get(name="Admin group")
    assert cohort.join_code == code
    assert list(cohort.leads.all()) == [lead]
    assert Membership.objects.filter(cohort=cohort, user=member).exists()


def test_the_admin_action_regenerates_join_codes(admin_client):
    cohort = make_cohort(make_lead())
    old_code = cohort.join_code

    admin_client.post(
        reverse("admin:cohorts_cohort_changelist"),
        {"action": "regenerate_join_codes", "_selected_action": [cohort.pk]},
    )

    cohort.refresh_from_db()
    assert cohort.join_code != old_code


def test_a_hand_made_code_must_be_capitals_and_digits(admin_client):
    response = admin_client.post(
        reverse("admin:cohorts_cohort_add"),
        {
            "name": "Typo group",
            "leads": [make_lead().pk],
            "join_code": "my code",
            "code_expires_at_0": "2030-01-01",
            "code_expires_at_1": "12:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "Use 6 to 16 capital letters and digits" in response.text
    assert not Cohort.objects.exists()
