"""The quick tier: every page in-process through the test client, timed against the baseline
request in the same process. No sockets and no second process, so the ratios hold to a few
per cent from run to run, where HTTP ratios on a shared machine move by ten.

It runs on production settings with SQLite in memory (``benchmarks.quick_settings``) and
the same data shapes as the HTTP run: one benchmark candidate (a 100-item attempt in
progress, a 100-item result, 50 attempts in all) and the 200-learner cohort.
"""

import gc
import itertools
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace

from .goals import GOALS_PATH, Goals, compare_quick, load_goals, render_goals
from .pages import ANSWER_CONTENT_TYPE, BASELINE, PAGES_BY_NAME, Page, is_success

ROUNDS = 7
BATCH_SECONDS = 0.12  # each page's batch per round lasts about this long
FORWARDED = {"X-Forwarded-Proto": "https"}


@dataclass
class Target:
    page: Page
    send: Callable[[], object]  # one request; returns the response


@dataclass(frozen=True)
class Timing:
    page: str
    seconds: float  # the fastest round's mean time per request
    ratio: float  # to the baseline request
    errors: int
    skipped: str = ""


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.quick_settings"
    # WhiteNoise warns that collectstatic has not run: in-process, nothing is served from it.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()


def build_targets() -> tuple[list[Target], dict[str, str]]:
    """Seed the in-memory database and return one request function per page."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from .plan import request_plan
    from .seed import Sizes, seed

    call_command("migrate", verbosity=0, interactive=False)
    seeded = seed(Sizes(clients=1))
    plan = request_plan(seeded)
    skipped = dict(plan["skipped"])

    def client_for(entry: dict) -> Client:
        # The Host header as a browser sends it, so the CSRF origin check sees the same host.
        client = Client(
            enforce_csrf_checks=True, raise_request_exception=True, HTTP_HOST="testserver"
        )
        client.cookies[settings.SESSION_COOKIE_NAME] = entry["session"]
        return client

    def cycling_get(client: Client, requests: list[dict]) -> Callable[[], object]:
        paths = itertools.cycle([r["path"] for r in requests])
        return lambda: client.get(next(paths), headers=FORWARDED)

    pages = plan["pages"]
    candidate = pages["item"]["clients"][0]
    browser = client_for(candidate)
    browser.get(candidate["warmup"], headers=FORWARDED)  # sets the CSRF cookie
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    saves = itertools.cycle(pages["autosave"]["clients"][0]["requests"])
    sequence = itertools.count(1)
    post_headers = FORWARDED | {
        "X-CSRFToken": token,
        "Accept": "application/json",
        "Origin": "https://testserver",
    }

    def autosave():
        entry = next(saves)
        body = entry["body"].replace("{sequence}", str(next(sequence)))
        return browser.post(
            entry["path"],
            body,
            content_type=ANSWER_CONTENT_TYPE,
            headers=post_headers,
        )

    targets = [
        Target(
            PAGES_BY_NAME[BASELINE], cycling_get(browser, [{"path": reverse("bench_baseline")}])
        ),
        Target(PAGES_BY_NAME["item"], cycling_get(browser, candidate["requests"])),
        Target(PAGES_BY_NAME["autosave"], autosave),
        Target(
            PAGES_BY_NAME["result"],
            cycling_get(browser, pages["result"]["clients"][0]["requests"]),
        ),
        Target(
            PAGES_BY_NAME["history"],
            cycling_get(browser, pages["history"]["clients"][0]["requests"]),
        ),
    ]
    if "dashboard" in pages:
        lead = pages["dashboard"]["clients"][0]
        targets.append(
            Target(PAGES_BY_NAME["dashboard"], cycling_get(client_for(lead), lead["requests"]))
        )
    return targets, skipped


def timed_batch(target: Target, count: int) -> tuple[float, int]:
    """Mean seconds per request over ``count`` requests, and how many failed."""
    errors = 0
    started = time.perf_counter()
    for _ in range(count):
        response = target.send()
        if not is_success(target.page, response.status_code, response.content.decode()):
            errors += 1
    return (time.perf_counter() - started) / count, errors


def measure(targets: list[Target], rounds: int = ROUNDS) -> list[Timing]:
    """Interleave the pages round by round; each page's time is its fastest round
    (interference from other processes only ever adds time)."""
    counts = {}
    for target in targets:  # warm up (templates, caches), then size the batches
        timed_batch(target, 2)
        per_request, _ = timed_batch(target, 2)
        counts[target.page.name] = max(2, min(400, round(BATCH_SECONDS / max(per_request, 1e-6))))
    samples: dict[str, list[float]] = {t.page.name: [] for t in targets}
    errors = dict.fromkeys(samples, 0)
    for _ in range(rounds):
        for target in targets:
            gc.collect()
            seconds, failed = timed_batch(target, counts[target.page.name])
            samples[target.page.name].append(seconds)
            errors[target.page.name] += failed
    baseline = min(samples[BASELINE])
    return [
        Timing(name, min(values), min(values) / baseline, errors[name])
        for name, values in samples.items()
    ]


def format_quick(timings: list[Timing], goals: Goals) -> str:
    verdicts = {v.subject: v for v in compare_quick({t.page: t.ratio for t in timings}, goals)}
    header = f"{'page':<10} {'ms/request':>10} {'ratio':>8} {'recorded':>9} {'limit':>8} check"
    lines = [header, "-" * len(header)]
    for t in timings:
        if t.skipped:
            lines.append(f"{t.page:<10} skipped: {t.skipped}")
            continue
        recorded = goals.quick_ratio.get(t.page)
        verdict = verdicts.get(t.page)
        limit = "-" if recorded is None else f"{recorded * goals.check_factor:.2f}"
        label = "-" if t.page == BASELINE else verdict.label if verdict else "-"
        if t.errors:
            label = f"{label}, {t.errors} ERRORS"
        lines.append(
            f"{t.page:<10} {t.seconds * 1000:>10.2f} {t.ratio:>8.2f} "
            f"{'-' if recorded is None else f'{recorded:.2f}':>9} {limit:>8} {label}"
        )
    return "\n".join(lines)


def run_quick(*, check: bool, record: bool, rounds: int = ROUNDS) -> int:
    """Measure, print, and with ``check`` fail (1) on a page over its limit or any error."""
    started = time.perf_counter()
    setup_django()
    targets, skipped = build_targets()
    ready = time.perf_counter()
    timings = measure(targets, rounds=rounds)
    timings += [Timing(name, 0.0, 0.0, 0, reason) for name, reason in skipped.items()]
    goals = load_goals()
    print(
        "quick tier: in-process (test client), production settings, SQLite in memory; "
        f"time per request / the baseline request's (seeded in {ready - started:.1f} s, "
        f"measured in {time.perf_counter() - ready:.1f} s)"
    )
    print(format_quick(timings, goals))
    measured = {t.page: t.ratio for t in timings if not t.skipped and t.page != BASELINE}
    if record:
        recorded = goals.quick_ratio | {page: round(ratio, 2) for page, ratio in measured.items()}
        GOALS_PATH.write_text(
            render_goals(replace(goals, quick_ratio=recorded)),
            encoding="utf-8",
        )
        print(f"recorded these ratios in {GOALS_PATH.name}")
    failures = [v for v in compare_quick(measured, goals) if v.passed is False]
    errors = sum(t.errors for t in timings)
    if failures or errors:
        what = ", ".join(f"{v.subject} {v.measured:.2f} > {v.goal:.2f}" for v in failures)
        print(
            f"quick tier: {'FAILED' if check else 'would fail --check'}: "
            f"{what}{'; ' if what and errors else ''}{f'{errors} errors' if errors else ''}"
        )
        return 1 if check else 0
    print("quick tier: every page within its limit" if check else "quick tier: report only")
    return 0
