"""Running git, Copier and a service's own commands for the fleet tool."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

COPIER = (sys.executable, "-m", "copier")
# Variables of the shell this tool runs in that would point a service's uv at the wrong
# environment or interpreter.
INHERITED = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON")
FALLBACK_IDENTITY = (
    "-c",
    "user.name=Gov Service Template fleet",
    "-c",
    "user.email=fleet@localhost",
)


class FleetError(RuntimeError):
    """Something about one service that stops the tool working on it."""


def service_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in INHERITED}


def run(
    command: Sequence[str], cwd: Path, *, check: bool = True, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        list(command),
        cwd=cwd,
        env=service_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise FleetError(f"`{shlex.join(command)}` failed: {last_line(result)}")
    return result


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def git(repo: Path, *args: str, check: bool = True) -> str:
    return run(["git", *args], repo, check=check).stdout


def commit(repo: Path, message: str) -> None:
    identity = () if git(repo, "config", "user.email", check=False).strip() else FALLBACK_IDENTITY
    git(repo, *identity, "commit", "--quiet", "--no-verify", "-m", message)
