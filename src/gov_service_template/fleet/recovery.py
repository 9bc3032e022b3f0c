"""What lets a run that was killed leave nothing broken: a lock per service, work trees of
the run's own that a later run clears away, and the log of a service that failed.

A run holds a service's lock (`.git/gst-fleet.lock`: the run's process id and host) while
it updates it, so two runs never update one service at once. A lock whose process has
gone (a run killed by SIGKILL, the OOM killer, a runner's time limit) is taken over, and
the work tree it left on the update branch removed; the table says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from gov_service_template.fleet.running import git

LOCK_FILE = "gst-fleet.lock"


class ServiceBusyError(RuntimeError):
    """Another run, still alive, is updating this service."""


def git_common_dir(repo: Path) -> Path:
    return (repo / git(repo, "rev-parse", "--git-common-dir").strip()).resolve()


def run_is_alive(holder: dict[str, object]) -> bool:
    """Whether the run that wrote a lock is still running (on this host: a lock from
    another host is trusted to be alive)."""
    if holder.get("host") != socket.gethostname():
        return True
    pid = holder.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    command_line = Path(f"/proc/{pid}/cmdline")
    # A process id used again by something else is not the run that took the lock.
    return not command_line.exists() or b"gov_service_template" in command_line.read_bytes()


@contextlib.contextmanager
def service_lock(repo: Path) -> Iterator[str | None]:
    """Hold the service's lock; yields what was recovered from a dead run, if anything."""
    lock = git_common_dir(repo) / LOCK_FILE
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    taken_over = None
    try:
        descriptor = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        try:
            previous = json.loads(lock.read_text())
        except (OSError, ValueError):
            previous = {}
        if run_is_alive(previous):
            raise ServiceBusyError(
                f"another gst-fleet run (process {previous.get('pid')} on "
                f"{previous.get('host')}) is updating this service"
            ) from None
        taken_over = f"took over the lock of a run that stopped (process {previous.get('pid')})"
        descriptor = os.open(lock, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(descriptor, "w") as written:
        json.dump(holder, written)
    try:
        yield taken_over
    finally:
        lock.unlink(missing_ok=True)


def remove_stale_work_trees(repo: Path, branch: str) -> list[str]:
    """Remove work trees an earlier run left on the update branch (the lock is held, so
    none is in use); say what was removed."""
    listing = git(repo, "worktree", "list", "--porcelain")
    removed = []
    for entry in listing.split("\n\n"):
        path = re.search(r"^worktree (.+)$", entry, re.MULTILINE)
        if path is None or f"branch refs/heads/{branch}" not in entry.splitlines():
            continue
        folder = Path(path[1])
        git(repo, "worktree", "remove", "--force", str(folder), check=False, stoppable=False)
        if folder.parent.name.startswith("gst-fleet-update-"):
            shutil.rmtree(folder.parent, ignore_errors=True)
        removed.append(f"removed the work tree a stopped run left at {folder}")
    git(repo, "worktree", "prune", check=False, stoppable=False)
    return removed


def keep_log(folder: Path, repo: Path, transcript: list[str]) -> Path:
    """Write every command the service's update ran, with its full output; the path."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{repo.name}.log"
    log.write_text(f"gst-fleet update of {repo}\n\n" + "\n".join(transcript))
    return log
