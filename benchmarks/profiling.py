"""``python -m benchmarks.profiling [PAGE ...]``: where a page's time goes.

Seeds the quick tier's in-memory database, then per page prints its queries (count, SQL)
and a pyinstrument profile of 20 requests, app frames only. Use it to check a fix before
running ``make bench``.
"""

import argparse
import sys
import time

from .pages import TARGET_PAGES
from .quick import build_targets, setup_django

REQUESTS = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profiling", description=__doc__)
    parser.add_argument("pages", nargs="*", help="default: every page")
    parser.add_argument("--sql", action="store_true", help="print each query's SQL")
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    targets, skipped = build_targets()
    wanted = set(args.pages or [page.name for page in TARGET_PAGES])
    for name, reason in skipped.items():
        if name in wanted:
            print(f"== {name}: skipped: {reason}")
    for target in targets:
        if target.page.name not in wanted:
            continue
        for _ in range(3):
            target.send()
        with CaptureQueriesContext(connection) as captured:
            target.send()
        # Read now: the next request resets the connection's query log.
        queries = [query["sql"] for query in captured.captured_queries]
        started = time.perf_counter()
        for _ in range(REQUESTS):
            target.send()
        per_request = (time.perf_counter() - started) / REQUESTS
        print(f"== {target.page.name}: {per_request * 1000:.1f} ms/request, {len(queries)} queries")
        if args.sql:
            for sql in queries:
                print(f"   {sql[:240]}")
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(REQUESTS):
            target.send()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
