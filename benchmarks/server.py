"""Gunicorn under production settings, on a free loopback port, and the plain HTTP calls the
benchmark makes around the load (readiness, warm-up, CSRF cookie)."""

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from .exam import ACCESS_LOG_FORMAT

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Environment the benchmark never inherits: it sets its own production configuration.
DROPPED_ENV = ("DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
FORWARDED = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def bench_environment(database_url: str, redis_url: str | None = None) -> dict[str, str]:
    """Production settings (debug off) with the benchmark's own secret key, database and
    (when given) Redis."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env |= {
        "DJANGO_SETTINGS_MODULE": "crss_prep.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": database_url,
        "CRSS_BENCHMARK_MODE": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def run_django(args: list[str], env: dict[str, str], *, what: str) -> None:
    """Run ``python <args>`` in the benchmark environment; stop with its output on failure."""
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stdout}{done.stderr}")


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def cookie(self, name: str) -> str | None:
        for header, value in self.headers:
            if header.lower() == "set-cookie":
                jar = SimpleCookie()
                jar.load(value)
                if name in jar:
                    return jar[name].value
        return None


def fetch(
    port: int,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    method: str = "GET",
    body: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Response:
    """One request, as wrk sends them: loopback, HTTPS forwarded, the client's cookies."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    all_headers = dict(FORWARDED)
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    all_headers |= headers or {}
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return Response(
            response.status, response.getheaders(), response.read().decode("utf-8", "replace")
        )
    finally:
        connection.close()


def read_cpu_ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])


def is_gunicorn(pid: int) -> bool:
    """Whether ``pid`` is still a gunicorn process (not a new process that reused the id)."""
    try:
        return b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def accept_queue(port: int) -> int:
    """Connections waiting in the listening socket's accept queue (from /proc/net/tcp)."""
    wanted = f"{port:04X}"
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return 0
    for line in lines:
        fields = line.split()
        if fields[1].endswith(f":{wanted}") and fields[3] == "0A":  # LISTEN
            return int(fields[4].split(":")[1], 16)
    return 0


def access_log_options(path: Path | None) -> list[str]:
    if path is None:
        return []
    return ["--access-logfile", str(path), "--access-logformat", ACCESS_LOG_FORMAT]


class Gunicorn:
    """Two sync workers serving ``crss_prep.wsgi``; started and stopped by process id."""

    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        workers: int = WORKERS,
        access_log: Path | None = None,
    ) -> None:
        self.env = env
        self.log_path = log_path
        self.access_log = access_log  # each request's method, path, status and microseconds
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "crss_prep.wsgi:application",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"{HOST}:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
                *access_log_options(self.access_log),
            ],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        log.close()

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                answered = fetch(self.port, "/healthz", timeout=2).status == 200
            except OSError:
                answered = False
            if answered and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid) if self.process else []

    def busy_ticks(self) -> int:
        pids = [self.process.pid, *self.worker_pids()]
        return sum(read_cpu_ticks(pid) for pid in pids)

    def wait_idle(self, *, quiet_samples: int = 3, interval: float = 0.1, timeout: float = 20):
        """Wait until nothing is queued and the workers stop using CPU: requests still
        queued after a run would otherwise spill into the next one and wreck its p99.
        Returns the seconds waited."""
        started = time.monotonic()
        quiet = 0
        previous = self.busy_ticks()
        while quiet < quiet_samples and time.monotonic() - started < timeout:
            time.sleep(interval)
            current = self.busy_ticks()
            # At most one tick in a sample: the workers' own heartbeat, not a request.
            if current - previous <= 1 and accept_queue(self.port) == 0:
                quiet += 1
            else:
                quiet = 0
            previous = current
        return time.monotonic() - started

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the master (it stops its workers), then SIGKILL any pid still there."""
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.worker_pids()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        for pid in workers:
            if is_gunicorn(pid):  # a worker that outlived its master
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
