"""A newcomer's first steps on a phone-sized screen: sign up, land on the welcome, press the
one first step, arrive in an attempt; starting another exam offers to resume it; every page
on the way fits 375 px without sideways scrolling and passes axe."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def fits_the_width(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def sign_up(page, username: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_role("textbox", name=re.compile(r"^Username")).fill(username)
    page.get_by_role("textbox", name=re.compile(r"^Email")).fill(f"{username}@example.com")
    page.get_by_role("textbox", name=re.compile(r"^Password\s*\*?$")).fill("a long Passphrase 42")
    page.get_by_role("textbox", name=re.compile(r"^Password confirmation")).fill(
        "a long Passphrase 42"
    )
    page.get_by_role("button", name="Sign up").click()


@pytest.mark.parametrize("viewport", [PHONE])
def test_a_newcomer_signs_up_and_takes_the_first_step(page, site_data):
    sign_up(page, "first-timer")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Welcome to CRSS Prep, first-timer")).to_be_visible()
    expect(page.get_by_text("Retake my mistakes: unlocks when")).to_be_visible()
    expect(page.locator(".alert-danger")).to_have_count(0)
    assert fits_the_width(page)

    page.get_by_role("region", name="Your first step").get_by_role(
        "button", name="Take the mini mock exam"
    ).click()

    expect(page.get_by_role("heading", name="Item 1 of 25")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/items/1/$"))


@pytest.mark.parametrize("viewport", [PHONE])
def test_welcome_open_attempts_and_the_resume_offer_pass_axe_and_fit_a_phone(axe_page, site_data):
    page = axe_page
    found = {}

    def check(name: str) -> None:
        assert fits_the_width(page), f"{name}: the page scrolls sideways at 375 px"
        violations = axe_violations(page)
        if violations:
            found[name] = format_violations(violations)

    sign_up(page, "axe-newcomer")
    expect(page.get_by_role("heading", name=re.compile("^Welcome to CRSS Prep"))).to_be_visible()
    check("home, welcome")

    page.get_by_role("button", name="Take the mini mock exam").click()
    expect(page.get_by_role("heading", name="Item 1 of 25")).to_be_visible()

    page.goto("/exams/")
    page.get_by_role("button", name=re.compile(r"Start exam\s*:\s*Full mock exam")).click()
    expect(page.get_by_role("heading", name="You have Mini mock exam in progress")).to_be_visible()
    check("resume offer")

    page.get_by_role("button", name="Start Full mock exam anyway").click()
    expect(page.get_by_role("heading", name="Item 1 of 100")).to_be_visible()

    page.goto("/")
    open_list = page.get_by_role("region", name="In progress")
    expect(open_list.get_by_role("link", name=re.compile("^Resume"))).to_have_count(2)
    check("home, two attempts in progress")

    assert not found, "\n\n".join(f"{name}\n{text}" for name, text in found.items())
