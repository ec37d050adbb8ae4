"""The benchmark's own database: PostgreSQL when a server answers, else an SQLite file.

It is dropped and made again on every run, so the name must say it is a benchmark's.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/crss_bench"
# Its own Redis database number, emptied on every run like the SQL database.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
CONNECT_TIMEOUT = 3


class DatabaseRefused(Exception):
    """The configured database may not be dropped by the benchmark."""


@dataclass(frozen=True)
class BenchDatabase:
    vendor: str  # "postgresql" or "sqlite"
    url: str
    description: str

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.lstrip("/")


def postgres_answers(url: str) -> str | None:
    """None when the server behind ``url`` answers, else why not."""
    import psycopg

    try:
        psycopg.connect(maintenance_conninfo(url), connect_timeout=CONNECT_TIMEOUT).close()
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def maintenance_conninfo(url: str) -> str:
    """The same server and credentials, on the ``postgres`` maintenance database."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, dbname="postgres")


def where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


def choose_database(workdir: Path, environ: os._Environ | dict | None = None) -> BenchDatabase:
    """PostgreSQL at BENCH_DATABASE_URL (or the local server) when it answers, else SQLite."""
    environ = os.environ if environ is None else environ
    url = environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL
    source = "BENCH_DATABASE_URL" if environ.get("BENCH_DATABASE_URL") else "the local server"
    problem = postgres_answers(url)
    if problem is None:
        name = urlsplit(url).path.lstrip("/")
        if "bench" not in name:
            raise DatabaseRefused(
                f"refusing to drop database {name!r}: the benchmark recreates its database on "
                "every run, so its name must contain 'bench' (e.g. .../crss_bench)"
            )
        return BenchDatabase(
            "postgresql", url, f"PostgreSQL, database {name!r} at {where(url)} ({source})"
        )
    path = workdir / "bench.sqlite3"
    return BenchDatabase(
        "sqlite",
        f"sqlite:///{path}",
        f"SQLite file {path} (PostgreSQL at {where(url)} did not answer: {problem})",
    )


def recreate(database: BenchDatabase) -> None:
    """Drop the benchmark database if it exists and create it empty."""
    if database.vendor == "sqlite":
        path = Path(urlsplit(database.url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_conninfo(database.url), autocommit=True) as connection:
        name = sql.Identifier(database.name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def prepare_cache(environ: os._Environ | dict | None = None) -> tuple[str | None, str]:
    """Redis at BENCH_REDIS_URL (or the local server), emptied, when it answers: the
    production setup (sessions and caches in Redis). Else None: per-process memory."""
    import redis

    environ = os.environ if environ is None else environ
    url = environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT)
        client.flushdb()
        client.close()
    except redis.RedisError as exc:
        return None, f"per-process memory (Redis at {url} did not answer: {exc})"
    return url, f"Redis at {url}, emptied (sessions: cached_db)"
