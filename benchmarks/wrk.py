"""Drive load with wrk (Debian's package): a C load generator leaves the cores to the server,
where a Python one would take a whole core and cap the very baseline it is compared with."""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "lua" / "bench.lua"
EXAM_SCRIPT = Path(__file__).resolve().parent / "lua" / "exam.lua"
RESULT_PREFIX = "WRK_RESULT "


class WrkMissing(Exception):
    pass


def ensure_wrk() -> str:
    """The path of wrk, installed with apt-get when it is missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise WrkMissing("wrk is not installed: run `sudo apt-get install -y wrk`")
    print("wrk is missing: installing it with apt-get ...", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    if subprocess.run(install, check=False, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], check=False, **quiet)
        subprocess.run(install, check=False, **quiet)
    found = shutil.which("wrk")
    if not found:
        raise WrkMissing("`apt-get install -y wrk` did not install wrk")
    return found


def lua_literal(value) -> str:
    """A Lua literal for plain JSON-like data (dicts, lists, str, int, bool, None)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\0", "\\0")
        )
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua_literal(item) for item in value) + "}"
    if isinstance(value, dict):
        entries = (
            f"[{lua_literal(str(key))}] = {lua_literal(item)}" for key, item in value.items()
        )
        return "{" + ", ".join(entries) + "}"
    raise TypeError(f"no Lua literal for {type(value).__name__}")


def plan_source(*, method: str, marker: str, base_sequence: int, headers: dict, clients: list):
    """The Lua plan that bench.lua loads: ``clients`` hold ``headers`` and ``requests``."""
    plan = {
        "method": method,
        "marker": marker,
        "base_sequence": base_sequence,
        "headers": headers,
        "clients": clients,
    }
    return "return " + lua_literal(plan) + "\n"


def exam_plan_source(*, base_sequence: int, headers: dict, clients: list, steps: list) -> str:
    """The Lua plan that exam.lua loads: ``headers`` per method, ``clients`` with their
    ``headers`` and ``token``, the ``steps`` of one mock (``exam.mock_steps``)."""
    plan = {
        "base_sequence": base_sequence,
        "headers": headers,
        "clients": clients,
        "steps": steps,
    }
    return "return " + lua_literal(plan) + "\n"


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    ok: int
    bad: int
    socket_errors: int  # connect, read, write and timeout errors
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    first_bad: str
    # The exam scenario's (lua/exam.lua): the whole mocks done, and the time they took: the
    # sum over the threads that finished one of the time from their first start to the
    # answer of their last result page.
    threads: int = 0
    mocks: int = 0
    mock_seconds: float = 0.0
    mock_clients: int = 0  # threads that finished at least one mock
    open_attempts: tuple[tuple[int, str], ...] = ()  # (thread, attempt id or "start")
    clock: str = ""

    @property
    def errors(self) -> int:
        return self.bad + self.socket_errors

    @property
    def ok_per_second(self) -> float:
        """Successful responses per second: failures never count as throughput."""
        return self.ok / self.duration_s if self.duration_s else 0.0

    @property
    def mocks_per_second(self) -> float:
        """Whole mocks per second of the server: a client takes ``mock_seconds / mocks`` per
        mock, and ``threads`` clients take them side by side. A thread that finished no
        mock in the run counts at the others' pace."""
        if not self.mocks or self.mock_seconds <= 0:
            return 0.0
        return self.mocks / self.mock_seconds * max(self.threads, self.mock_clients)


def parse_wrk_output(text: str) -> WrkResult:
    """Read the WRK_RESULT line that bench.lua's ``done`` prints."""
    line = next((ln for ln in text.splitlines() if ln.startswith(RESULT_PREFIX)), None)
    if line is None:
        raise ValueError(f"no {RESULT_PREFIX.strip()} line in wrk's output:\n{text}")
    fields = dict(re.findall(r"(\w+)=(\S+)", line[len(RESULT_PREFIX) :]))
    words = ("first_bad", "open", "clock", "mock_seconds")
    number = {key: int(float(value)) for key, value in fields.items() if key not in words}
    open_attempts = tuple(
        (int(thread), attempt)
        for thread, attempt in (
            entry.split(":", 1) for entry in fields.get("open", "-").split(",") if entry != "-"
        )
    )
    return WrkResult(
        requests=number["requests"],
        duration_s=number["duration_us"] / 1e6,
        ok=number["ok"],
        bad=number["bad"],
        socket_errors=number["connect"] + number["read"] + number["write"] + number["timeout"],
        p50_ms=number["p50_us"] / 1000,
        p90_ms=number["p90_us"] / 1000,
        p99_ms=number["p99_us"] / 1000,
        max_ms=number["max_us"] / 1000,
        first_bad=fields.get("first_bad", "-"),
        threads=number.get("threads", 0),
        mocks=number.get("mocks", 0),
        mock_seconds=float(fields.get("mock_seconds", 0.0)),
        mock_clients=number.get("mock_clients", 0),
        open_attempts=open_attempts,
        clock=fields.get("clock", ""),
    )


def run_wrk(
    *,
    wrk: str,
    url: str,
    plan_path: Path,
    connections: int,
    seconds: float,
    timeout_s: float = 10,
    script: Path = SCRIPT,
) -> WrkResult:
    """One run: one thread and one connection per client, for ``seconds``."""
    command = [
        wrk,
        f"--threads={connections}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={round(timeout_s)}s",
        f"--script={script}",
        url,
        "--",
        str(plan_path),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk_output(done.stdout)
