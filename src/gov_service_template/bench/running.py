"""Running things the bench times: commands, the service under gunicorn, load from locust."""

from __future__ import annotations

import csv
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gov_service_template.environment import git_identity, rendered_project_env

COPIER = [sys.executable, "-m", "copier"]
# A new service's own set-up (uv.lock, first commit), as its first nox session runs it.
SET_UP = [sys.executable, "-m", "nox", "-s", "setup"]
GIT_IDENTITY = git_identity("Bench", "bench@example.gov.uk")
# The programs the bench runs elsewhere (under gunicorn, locust or a service's own
# Python): real files, so the linters read them as they read the bench.
PROGRAMS = Path(__file__).with_name("programs")


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without its virtualenv, so `uv run` finds the project's."""
    return rendered_project_env(GIT_IDENTITY, **extra)


def run(command: Sequence[str | Path], cwd: Path, **env: str) -> float:
    """Run a command that must succeed; return its wall time in seconds."""
    started = time.perf_counter()
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        command_line = " ".join(map(str, command))
        raise RuntimeError(f"{command_line} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return elapsed


def git(repo: Path, *args: str) -> None:
    run(["git", *args], repo)


def median_of(runs: int, once: Callable[[int], float]) -> float:
    return statistics.median(once(index) for index in range(runs))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def copy_command(source: Path, destination: Path, *extra: str) -> list[str | Path]:
    # No --trust: the template needs none to copy (decision 9).
    return [*COPIER, "copy", "--quiet", "--defaults", *extra, source, destination]


def update_command(*extra: str) -> list[str | Path]:
    return [*COPIER, "update", "--quiet", "--defaults", "--trust", *extra]


def package_of(project: Path) -> str:
    return next(path.name for path in (project / "src").iterdir() if path.is_dir())


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # gunicorn's master process


@contextmanager
def gunicorn(project: Path, app: str, workers: int, env: Mapping[str, str]) -> Iterator[Server]:
    """Gunicorn with the service's own config file; yield it once it answers."""
    port = free_port()
    command = [
        project / ".venv" / "bin" / "gunicorn",
        "--config",
        project / "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        app,
    ]
    process = subprocess.Popen(
        [str(part) for part in command],
        cwd=project,
        env=clean_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, process)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"gunicorn stopped before answering:\n{errors}")
        try:
            fetch(f"{url}/")
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return str(response.read().decode())


def load(
    url: str,
    seconds: int,
    users: int,
    work: Path,
    name: str,
    *,
    locustfile: str = "start_page_load.py",
    user_class: str = "StartPage",
    row: str = "Aggregated",
    env: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """Load a page from a second process (locust, headless, running one of PROGRAMS) for
    a bounded time; the figures are those of the stats row named `row` (every request, by
    default)."""
    prefix = work / name
    command: list[str | Path] = [sys.executable, "-m", "locust", "--headless"]
    command += ["--locustfile", PROGRAMS / locustfile, user_class]
    command += ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s"]
    command += ["--host", url, "--csv", prefix, "--only-summary", "--loglevel", "WARNING"]
    run(command, work, **(env or {}))
    with Path(f"{prefix}_stats.csv").open(newline="") as stats:
        rows = list(csv.DictReader(stats))
    total = next(line for line in rows if line["Name"] == row)
    failures = sum(int(line["Failure Count"]) for line in rows if line["Name"] == "Aggregated")
    if failures:
        raise RuntimeError(f"{name}: {failures} requests failed under load")
    return {
        "requests": float(total["Request Count"]),
        "requests_per_second": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
    }
