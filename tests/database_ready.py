"""Exit 0 when the database named by DATABASE_URL answers, 1 otherwise (used by the Makefile)."""

import os
import sys

import psycopg


def main() -> int:
    try:
        psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=3).close()
    except (KeyError, psycopg.Error) as exc:
        print(f"database not reachable: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
