"""``python -m benchmarks``: the HTTP load benchmark (wrk against gunicorn);
``--quick``: the in-process tier; ``python -m benchmarks.loader``: the bank loader at scale."""

import argparse
import sys

from .database import DatabaseRefused
from .http_tier import Options, run_http
from .pages import TARGET_PAGES
from .wrk import WrkMissing


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="in-process tier (test client)")
    parser.add_argument(
        "--check", action="store_true", help="with --quick: fail when a page is over its limit"
    )
    parser.add_argument(
        "--record", action="store_true", help="with --quick: record the ratios in goals.toml"
    )
    parser.add_argument("--seconds", type=float, default=Options.seconds, help="per run")
    parser.add_argument(
        "--exam-seconds",
        type=float,
        default=Options.exam_seconds,
        help="per exam run (long enough for whole mocks)",
    )
    parser.add_argument("--rounds", type=int, default=Options.rounds, help="runs per page")
    parser.add_argument("--clients", type=int, default=Options.clients, help="connections")
    parser.add_argument(
        "--pages",
        default=",".join(Options.pages),
        help=f"comma-separated subset of: {', '.join(p.name for p in TARGET_PAGES)}",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, plans)")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="gunicorn's access log on: the time of each kind of request of the exam's mock",
    )
    args = parser.parse_args(argv)
    unknown = set(args.pages.split(",")) - {p.name for p in TARGET_PAGES}
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.quick:
        from .quick import run_quick

        return run_quick(check=args.check, record=args.record)
    options = Options(
        seconds=args.seconds,
        rounds=args.rounds,
        clients=args.clients,
        pages=tuple(args.pages.split(",")),
        keep=args.keep,
        exam_seconds=args.exam_seconds,
        breakdown=args.breakdown,
    )
    try:
        return run_http(options)
    except (DatabaseRefused, WrkMissing, RuntimeError) as exc:
        print(f"benchmark stopped: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
