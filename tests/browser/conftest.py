"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every test here is marked ``browser``. Without /usr/bin/chromium the tests fail under CI=true
and are skipped, loudly, elsewhere. Each test gets a fresh browser context (cookies, storage);
the browser itself is started once per session.
"""

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the
# test body (fixtures, assertions on the database) would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import io
import sys
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SOURCE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}
DEFAULT_TIMEOUT_MS = 10_000
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test collected from this folder as a browser test."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def chromium_missing() -> None:
    """Fail under CI; elsewhere skip, but make sure nobody can miss that it happened."""
    message = (
        f"Chromium is not installed at {CHROMIUM}: the real-browser tests cannot run. "
        "Install it with `apt-get install chromium` (`.ci/run` does)."
    )
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{message} CI=true requires them.", pytrace=False)
    print(f"\n!! SKIPPING the browser tests: {message}", file=sys.stderr)
    warnings.warn(f"browser tests SKIPPED: {message}", stacklevel=2)
    pytest.skip(f"SKIPPED LOUDLY: {message}")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        chromium_missing()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> dict:
    """The window size of the test's pages; override with
    ``@pytest.mark.parametrize("viewport", [{"width": 375, "height": 740}])``."""
    return DEFAULT_VIEWPORT


class PageProblems:
    """What went wrong inside the page: uncaught script errors and CSP violations."""

    def __init__(self):
        self.messages: list[str] = []

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"script error: {error}"))
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.messages.append(f"CSP violation: {message.text}")


@pytest.fixture
def new_page(browser, live_server, viewport):
    """Open a page in a fresh context: ``new_page(bypass_csp=True)`` for axe, say.

    At teardown the test fails if any page raised an uncaught script error or broke the
    site's Content Security Policy (only checked where the policy is not bypassed).
    """
    contexts = []
    problems = PageProblems()

    def open_page(*, bypass_csp: bool = False, **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=options.pop("viewport", viewport),
            bypass_csp=bypass_csp,
            **options,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems.messages, "problems inside the page:\n" + "\n".join(problems.messages)


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context, under the site's own Content Security Policy."""
    return new_page()


@pytest.fixture
def axe_page(new_page):
    """A page whose context bypasses CSP, so that axe-core can be injected into it."""
    return new_page(bypass_csp=True)


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the page as it stands; return the violations of the given impacts.

    The page's context must have been opened with ``bypass_csp=True``: the site's policy
    rightly refuses injected scripts.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE_PATH.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                 "wcag22aa", "best-practice"]},
                resultTypes: ["violations"],
            });
            return results.violations;
        }"""
    )
    return [v for v in results if v.get("impact") in impacts]


def format_violations(violations: list[dict]) -> str:
    """Violations as readable text: rule, impact, help, and each offending element."""
    lines = []
    for violation in violations:
        impact, rule = violation["impact"], violation["id"]
        lines.append(f"[{impact}] {rule}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            if summary:
                lines.append(f"        {summary}")
    return "\n".join(lines)


@pytest.fixture
def site_data(transactional_db):
    """The real question banks and exams, and the role groups (transactional tests flush
    every table after each test, so both are made again for each one)."""
    from accounts.roles import ensure_roles

    ensure_roles()
    call_command("load_questions", str(settings.CRSS_CONTENT_DIR), stdout=io.StringIO())


@pytest.fixture
def candidate(site_data):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username="browser-candidate", email="candidate@example.com", password="pw-for-tests"
    )


@pytest.fixture
def mini_mock(site_data):
    """The real bank's mini mock."""
    from quizzes.models import Exam

    return Exam.objects.get(slug="mini-mock")


@pytest.fixture
def attempt(candidate, mini_mock):
    """The candidate's attempt at the mini mock, in progress (always the same draw)."""
    from quizzes import services

    return services.start_attempt(user=candidate, exam=mini_mock, seed=4)


@pytest.fixture
def log_in(live_server):
    """``log_in(page, user)``: give the page's context a signed-in session for ``user``
    (quicker than the login form; the journey test signs up through the real form)."""

    def give_session(page, user) -> None:
        client = Client()
        client.force_login(user, backend="accounts.backends.AccountBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return give_session


@pytest.fixture
def signed_in(page, candidate, log_in):
    """A page signed in as the candidate."""
    log_in(page, candidate)
    return page


def emulate(page, **conditions):
    """Chromium's network conditions for this page alone (``context.set_offline`` cuts every
    tab of the context); returns a function that sets new ones on the same CDP session."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def set_conditions(**conditions) -> None:
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
            | conditions,
        )

    set_conditions(**conditions)
    return set_conditions
