"""User admin for operators: each account's role, and its exam accommodation inline."""

import pytest

from accounts.models import CandidateProfile
from accounts.roles import Role, assign_role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_user_list_shows_each_accounts_role(client, operator):
    trainer = make_user("dana")
    assign_role(trainer, Role.TRAINER)
    lead = make_user("lee")
    assign_role(lead, Role.LEAD)
    make_user("casey")

    response = client.get("/admin/auth/user/")

    roles = {user.username: user for user in response.context["cl"].result_list}
    admin = response.context["cl"].model_admin
    assert {name: admin.role(user) for name, user in roles.items()} == {
        "root": "candidate",
        "dana": "trainer",
        "lee": "lead",
        "casey": "candidate",
    }


def test_user_list_does_not_query_roles_per_row(client, operator, django_assert_max_num_queries):
    for number in range(10):
        assign_role(make_user(f"trainer{number}"), Role.TRAINER)
    client.get("/admin/auth/user/")

    with django_assert_max_num_queries(12):
        client.get("/admin/auth/user/")


def test_operator_grants_extra_time_on_the_user_page(client, operator):
    candidate = make_user("casey")
    response = client.get(f"/admin/auth/user/{candidate.pk}/change/")
    data = {
        "username": "casey",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": response.context["original"].date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": response.context["original"].date_joined.strftime("%H:%M:%S"),
        "candidate_profile-TOTAL_FORMS": 1,
        "candidate_profile-INITIAL_FORMS": 0,
        "candidate_profile-MIN_NUM_FORMS": 0,
        "candidate_profile-MAX_NUM_FORMS": 1,
        "candidate_profile-0-extra_time_percent": 50,
    }

    response = client.post(f"/admin/auth/user/{candidate.pk}/change/", data)

    assert response.status_code == 302
    assert CandidateProfile.objects.get(user=candidate).extra_time_percent == 50
