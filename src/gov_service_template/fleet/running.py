"""Running git, Copier and a service's own commands for the fleet tool.

Every command runs in a process group of its own, so a timeout or Ctrl-C can stop it and
everything it started (a test run's workers, a browser), not only the first process; and
a watchdog process kills those groups if the run itself is killed (watchdog.py).

Each service's commands and their output are kept in its transcript, which the run writes
to its log folder when the service's update does not succeed.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
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

# Set once the run is being stopped (Ctrl-C, SIGTERM): no new command starts after it.
STOPPING = threading.Event()
_running: set[subprocess.Popen[str]] = set()
_running_lock = threading.Lock()
_watchdog: subprocess.Popen[str] | None = None
_transcripts = threading.local()


class FleetError(RuntimeError):
    """Something about one service that stops the tool working on it."""


class RunStoppedError(FleetError):
    """The run is being stopped: this service's work ends here."""

    def __init__(self) -> None:
        super().__init__("interrupted: the run was stopped before this service finished")


def service_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in INHERITED}


def run(
    command: Sequence[str],
    cwd: Path,
    *,
    check: bool = True,
    timeout: float | None = None,
    stoppable: bool = True,
    input: str | None = None,
    stage: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command to its end, or until timeout (seconds) or the run stopping.

    stoppable=False is for putting a service back as it was: that must finish even while
    the run is stopping.
    """
    if stoppable and STOPPING.is_set():
        raise RunStoppedError
    try:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=service_env(),
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, which Ctrl-C doesn't reach
        )
    except OSError as error:
        raise FleetError(f"could not run `{command[0]}`: {error.strerror or error}") from error
    watch(process.pid)
    if stage is not None:
        fault_point(stage, started=True)
    if stoppable:
        # Registered, then checked: a stop that came while this started still kills it.
        # (stop_everything sets STOPPING before it reads the set, under the same lock.)
        with _running_lock:
            _running.add(process)
            stopped_meanwhile = STOPPING.is_set()
        if stopped_meanwhile:
            _kill(process)
    try:
        stdout, stderr = process.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        raise FleetError(f"`{shlex.join(command)}` took longer than {timeout:g} s") from None
    finally:
        with _running_lock:
            _running.discard(process)
        unwatch(process.pid)
    if stoppable and STOPPING.is_set() and process.returncode < 0:
        raise RunStoppedError
    result = subprocess.CompletedProcess(list(command), process.returncode, stdout, stderr)
    record(cwd, result)
    if check and result.returncode != 0:
        raise FleetError(f"`{shlex.join(command)}` failed: {last_line(result)}")
    return result


# For the fault tests only: the run kills itself (SIGKILL, as a runner past its time limit
# or the OOM killer would) at the stage named here, a second into its command, if any.
KILL_AT = "GST_FLEET_FAULT_TEST_KILL_AT"


def fault_point(stage: str, *, started: bool = False) -> None:
    if os.environ.get(KILL_AT) == stage:
        if started:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGKILL)


def _tell_watchdog(line: str) -> None:
    """Tell the watchdog (started with the first command) about a process group."""
    global _watchdog  # one per run, like the set of running commands above
    with _running_lock:
        if _watchdog is None or _watchdog.poll() is not None:
            program = Path(__file__).with_name("watchdog.py")
            _watchdog = subprocess.Popen(
                [sys.executable, "-I", str(program)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
                start_new_session=True,  # Ctrl-C to the run must not stop it first
            )
        if _watchdog.stdin is not None:
            with contextlib.suppress(OSError):
                _watchdog.stdin.write(line + "\n")
                _watchdog.stdin.flush()


def watch(group: int) -> None:
    _tell_watchdog(f"+ {group}")


def unwatch(group: int) -> None:
    _tell_watchdog(f"- {group}")


def start_transcript() -> list[str]:
    """Keep, from now on, every command this thread runs and its output (one service's)."""
    transcript: list[str] = []
    _transcripts.current = transcript
    return transcript


def record(cwd: Path, result: subprocess.CompletedProcess[str]) -> None:
    transcript: list[str] | None = getattr(_transcripts, "current", None)
    if transcript is not None:
        transcript.append(
            f"$ {shlex.join(result.args)}    (in {cwd}; exit status {result.returncode})\n"
            f"{result.stdout}{result.stderr}"
        )


def _kill(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it had ended already
        os.killpg(process.pid, signal.SIGKILL)


def stop_everything() -> None:
    """Start no more commands, and kill the ones running (with all they started)."""
    STOPPING.set()
    with _running_lock:
        running = list(_running)
    for process in running:
        _kill(process)


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def git(repo: Path, *args: str, check: bool = True, stoppable: bool = True) -> str:
    return run(["git", *args], repo, check=check, stoppable=stoppable).stdout


def commit(repo: Path, message: str, stage: str | None = None) -> None:
    identity = () if git(repo, "config", "user.email", check=False).strip() else FALLBACK_IDENTITY
    command = ["git", *identity, "commit", "--quiet", "--no-verify", "-m", message]
    run(command, repo, stage=stage)
