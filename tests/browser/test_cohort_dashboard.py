"""The cohort lead's journey in a real browser: log in, read the dashboard, sort it, open a
learner, download the CSV. The site runs on the live server with the real question banks and
the demo cohort."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import COHORT_LEADS
from cohorts.demo import seed_demo_cohort
from quizzes.models import Topic

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD_PASSWORD = "a-long-lead-password-for-tests"


@pytest.fixture
def lead(site_data):
    lead = get_user_model().objects.create_user(
        username="browser-lead", first_name="Lee", last_name="Lead", password=LEAD_PASSWORD
    )
    lead.groups.add(Group.objects.get(name=COHORT_LEADS))
    return lead


@pytest.fixture
def demo_cohort(lead):
    return seed_demo_cohort(lead=lead)


def learner_names(page) -> list[str]:
    return [name.strip() for name in page.locator("tbody tr.learner-row th a").all_inner_texts()]


def test_a_lead_reads_sorts_drills_into_and_downloads_their_cohort(page, lead, demo_cohort):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("browser-lead")
    page.get_by_label("Password").fill(LEAD_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name="Demo cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo cohort")
    dev_row = page.locator("tr.learner-row", has_text="Dev Patel")
    expect(dev_row.locator(".risk-badge")).to_have_text("At risk")
    expect(dev_row).to_contain_text("Latest mock")

    page.get_by_role("link", name="Readiness").click()
    expect(page).to_have_url(re.compile(r"sort=readiness"))
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Readiness")
    names = learner_names(page)
    assert names[0] == "Dev Patel"  # the lowest readiness first
    assert names[-1] == "Eli Brooks"  # too few answers for an estimate: last
    page.get_by_role("link", name="Readiness").click()
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Readiness")
    assert learner_names(page)[0] == "Ana Ruiz"

    page.get_by_role("link", name="Dev Patel").click()
    expect(page.get_by_role("heading", name="History of Dev Patel")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Practice|Retake"))).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^Result")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("result of Dev Patel")
    expect(page.get_by_text("Report a problem")).to_have_count(0)

    page.get_by_role("link", name="Demo cohort").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV: one row per learner and topic").click()
    download = download_info.value
    assert download.suggested_filename == "cohort-demo-cohort-learners-by-topic.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    dev = [row for row in rows if row["username"] == "demo-learner-dev"]
    assert len(dev) == Topic.objects.count()  # one row per topic
    assert {row["at_risk"] for row in dev} == {"yes"}


def test_the_dashboard_has_no_serious_accessibility_problems(axe_page, log_in, lead, demo_cohort):
    log_in(axe_page, lead)

    axe_page.goto(f"/cohorts/{demo_cohort.pk}/")

    violations = axe_violations(axe_page)
    assert not violations, format_violations(violations)


def test_the_join_page_has_no_serious_accessibility_problems(axe_page, log_in, candidate):
    log_in(axe_page, candidate)

    axe_page.goto("/cohorts/join/")

    violations = axe_violations(axe_page)
    assert not violations, format_violations(violations)
