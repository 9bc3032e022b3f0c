"""gst-fleet: which template release each service is on, and rolling updates out to them.

    gst-fleet status [--json] PATH...
    gst-fleet update [--json] [--jobs N] [--vcs-ref REF] [--test-command CMD] PATH...

A PATH is a service repository, a folder of them, or a text file listing them one per
line. Everything about templates is asked of Copier itself (`copier check-update`,
`copier update`); this tool only runs it across many repositories and reports.

`update` never touches a repository with uncommitted changes. For each service that is
behind, it makes a branch, runs `copier update`, commits the result there (conflict
markers included, for the service team to resolve), re-locks, runs the service's tests
and switches back to the branch it started on, so the service's own history is untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from packaging.version import InvalidVersion, Version
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ANSWERS_FILE = ".copier-answers.yml"
COPIER = (sys.executable, "-m", "copier")
DEFAULT_TEST_COMMAND = "uv run --locked nox -s lint tests"
DEFAULT_BRANCH_PREFIX = "template-update/"
# Variables of the shell this tool runs in that would point a service's uv at the wrong
# environment or interpreter.
INHERITED = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON")
FALLBACK_IDENTITY = (
    "-c",
    "user.name=Gov Service Template fleet",
    "-c",
    "user.email=fleet@localhost",
)
CONFLICT_MARKER = r"^(<{7}|>{7})( |$)"

T = TypeVar("T")


class FleetError(RuntimeError):
    """Something about one service that stops the tool working on it."""


@dataclass
class ServiceStatus:
    service: str
    path: str
    template: str | None = None
    version: str | None = None
    latest: str | None = None
    behind: int | None = None
    dirty: bool = False
    answers: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class UpdateResult:
    service: str
    path: str
    outcome: str  # updated | up to date | skipped | conflicts | tests failed | error
    from_version: str | None = None
    to_version: str | None = None
    branch: str | None = None
    conflicts: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    detail: str = ""
    log: str = ""  # the end of the test command's output, when it failed


# --- running things -------------------------------------------------------------------


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


# --- finding services and their state ------------------------------------------------


def discover_services(paths: Iterable[Path]) -> list[Path]:
    """Services named by paths: repositories, folders of repositories, or list files."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            listed = [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()]
            found += discover_services(path.parent / entry for entry in listed if entry)
        elif (path / ANSWERS_FILE).is_file():
            found.append(path.resolve())
        elif path.is_dir():
            found += sorted(
                child.resolve() for child in path.iterdir() if (child / ANSWERS_FILE).is_file()
            )
        else:
            raise FleetError(f"{path}: not a service, a folder of services or a list of them")
    return list(dict.fromkeys(found))


def read_answers(repo: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((repo / ANSWERS_FILE).read_text()) or {}
    return answers


def is_dirty(repo: Path) -> bool:
    return bool(git(repo, "status", "--porcelain").strip())


@cache
def release_versions(template: str) -> tuple[Version, ...]:
    """Every PEP 440 release tag of the template, oldest first."""
    listing = subprocess.run(
        ["git", "ls-remote", "--tags", "--refs", template],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    versions = []
    for line in listing.splitlines():
        tag = line.rsplit("refs/tags/", 1)[-1]
        try:
            versions.append(Version(tag))
        except InvalidVersion:
            continue
    return tuple(sorted(versions))


def check_update(repo: Path) -> tuple[str, str]:
    """(current, latest) template versions, as `copier check-update` sees them."""
    result = run([*COPIER, "check-update", "--output-format", "json"], repo, check=False)
    if result.returncode != 0:
        raise FleetError(f"copier check-update failed: {last_line(result)}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return data["current_version"], data["latest_version"]


def service_status(repo: Path) -> ServiceStatus:
    status = ServiceStatus(service=repo.name, path=str(repo))
    try:
        answers = read_answers(repo)
        status.template = answers.get("_src_path")
        status.answers = {key: value for key, value in answers.items() if not key.startswith("_")}
        status.dirty = is_dirty(repo)
        status.version, status.latest = check_update(repo)
        current = Version(status.version)
        latest = Version(status.latest)
        if status.template:
            status.behind = sum(current < v <= latest for v in release_versions(status.template))
    except (FleetError, OSError, subprocess.CalledProcessError, InvalidVersion) as error:
        status.error = str(error)
    return status


# --- updating --------------------------------------------------------------------------


def conflicted_files(repo: Path) -> list[str]:
    """Files Copier left conflicted: unmerged in the index, with markers, or .rej files."""
    unmerged = git(repo, "diff", "--name-only", "--diff-filter=U").split()
    markers = git(repo, "grep", "--untracked", "-l", "-E", CONFLICT_MARKER, check=False).split()
    untracked = git(repo, "ls-files", "--others", "--exclude-standard").split()
    rejects = [name for name in untracked if name.endswith(".rej")]
    return sorted({*unmerged, *markers, *rejects})


def removed_files(repo: Path) -> list[str]:
    """Files the update deleted. Copier deletes files the template dropped, edits and all."""
    return git(repo, "ls-files", "--deleted").split()


def relock(repo: Path) -> None:
    """pyproject.toml may have changed; bring uv.lock in step (offline first)."""
    for offline in (["--offline"], []):
        if run(["uv", "lock", "--quiet", *offline], repo, check=False).returncode == 0:
            return
    raise FleetError("uv lock failed after the update")


def update_service(
    repo: Path,
    *,
    vcs_ref: str | None = None,
    test_command: str = DEFAULT_TEST_COMMAND,
    branch_prefix: str = DEFAULT_BRANCH_PREFIX,
) -> UpdateResult:
    status = service_status(repo)
    result = UpdateResult(
        service=status.service, path=status.path, outcome="error", from_version=status.version
    )
    if status.error:
        result.detail = status.error
        return result
    if status.dirty:
        result.outcome = "skipped"
        result.detail = "uncommitted changes: left untouched"
        return result
    result.to_version = vcs_ref or status.latest
    if vcs_ref is None and not status.behind:
        result.outcome = "up to date"
        return result

    start = git(repo, "branch", "--show-current").strip()
    if not start:
        result.outcome = "skipped"
        result.detail = "detached HEAD: check out a branch to update"
        return result
    # Branches are named like the release tags: template-update/v1.2.0.
    result.branch = f"{branch_prefix}{vcs_ref or 'v' + str(status.latest)}"
    try:
        git(repo, "switch", "--quiet", "--create", result.branch)
    except FleetError as error:
        result.detail = str(error)
        result.branch = None
        return result
    try:
        _update_on_branch(repo, result, vcs_ref, test_command)
    except (FleetError, subprocess.TimeoutExpired) as error:
        result.outcome = "error"
        result.detail = str(error)
        _abandon_branch(repo, start, result)
        return result
    _leave_branch(repo, start)
    return result


def _update_on_branch(
    repo: Path, result: UpdateResult, vcs_ref: str | None, test_command: str
) -> None:
    update = [*COPIER, "update", "--trust", "--skip-answered", "--defaults", "--quiet"]
    run([*update, *(["--vcs-ref", vcs_ref] if vcs_ref else [])], repo)
    # Copier exits 0 even when it leaves conflict markers: look for them.
    result.conflicts = conflicted_files(repo)
    result.removed = removed_files(repo)
    if result.conflicts:
        git(repo, "add", "--all")
        commit(
            repo, f"Update from the service template to {result.to_version} (conflicts to resolve)"
        )
        result.outcome = "conflicts"
        result.detail = "resolve the conflict markers on the branch, then run the tests"
        return
    relock(repo)
    git(repo, "add", "--all")
    commit(repo, f"Update from the service template to {result.to_version}")
    tests = run(shlex.split(test_command), repo, check=False)
    if tests.returncode == 0:
        result.outcome = "updated"
        result.detail = f"`{test_command}` passed"
    else:
        result.outcome = "tests failed"
        result.detail = f"`{test_command}`: {last_line(tests)}"
        result.log = "\n".join((tests.stdout + tests.stderr).splitlines()[-40:])


def _leave_branch(repo: Path, start: str) -> None:
    # Tests may leave files behind; they belong to the update branch's run, not the service.
    git(repo, "reset", "--quiet", "--hard")
    git(repo, "clean", "--quiet", "-fd")
    git(repo, "switch", "--quiet", start)


def _abandon_branch(repo: Path, start: str, result: UpdateResult) -> None:
    """A failed update leaves nothing behind: back to the start, branch deleted."""
    _leave_branch(repo, start)
    if result.branch:
        git(repo, "branch", "--quiet", "-D", result.branch, check=False)
        result.branch = None


# --- output ----------------------------------------------------------------------------


def in_parallel(
    work: Callable[[Path], T], services: list[Path], jobs: int, description: str
) -> list[T]:
    """Run work on every service, a few at a time, with a progress bar on stderr."""
    results: dict[Path, T] = {}
    with (
        Progress(console=Console(stderr=True), transient=True) as progress,
        ThreadPoolExecutor(max_workers=jobs) as pool,
    ):
        task = progress.add_task(description, total=len(services))
        futures = {pool.submit(work, service): service for service in services}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            progress.advance(task)
    return [results[service] for service in services]


def status_table(statuses: list[ServiceStatus]) -> Table:
    table = Table(title="Services made from the template")
    for column in ("Service", "Version", "Latest", "Behind", "Uncommitted", "Answers"):
        table.add_column(column)
    for status in statuses:
        answers = ", ".join(f"{key}={value}" for key, value in sorted(status.answers.items()))
        table.add_row(
            status.service,
            status.version or "?",
            status.latest or "?",
            "?" if status.behind is None else str(status.behind),
            "yes" if status.dirty else "no",
            status.error or answers,
        )
    return table


def update_table(results: list[UpdateResult]) -> Table:
    table = Table(title="Template update")
    for column in ("Service", "From", "To", "Outcome", "Branch", "Detail"):
        table.add_column(column)
    for result in results:
        detail = result.detail
        if result.conflicts:
            detail += f" ({', '.join(result.conflicts)})"
        if result.removed:
            detail += f"; removed by the template: {', '.join(result.removed)}"
        table.add_row(
            result.service,
            result.from_version or "?",
            result.to_version or "?",
            result.outcome,
            result.branch or "-",
            detail,
        )
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gst-fleet", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    status_command = commands.add_parser("status", help="template version of every service")
    update_command = commands.add_parser("update", help="update every service that is behind")
    for command in (status_command, update_command):
        command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        command.add_argument("--json", action="store_true", help="print JSON, not a table")
        command.add_argument("--jobs", type=int, default=2, help="services at a time (2)")
    update_command.add_argument("--vcs-ref", help="template tag or commit (default: latest)")
    update_command.add_argument(
        "--test-command", default=DEFAULT_TEST_COMMAND, help=f'default: "{DEFAULT_TEST_COMMAND}"'
    )
    update_command.add_argument("--branch-prefix", default=DEFAULT_BRANCH_PREFIX)
    args = parser.parse_args(argv)

    try:
        services = discover_services(args.paths)
    except FleetError as error:
        parser.error(str(error))
    console = Console()

    if args.command == "status":
        statuses = in_parallel(service_status, services, args.jobs, "Checking services")
        if args.json:
            print(json.dumps([asdict(status) for status in statuses], indent=2))
        else:
            console.print(status_table(statuses))
        return 1 if any(status.error for status in statuses) else 0

    def update(repo: Path) -> UpdateResult:
        return update_service(
            repo,
            vcs_ref=args.vcs_ref,
            test_command=args.test_command,
            branch_prefix=args.branch_prefix,
        )

    results = in_parallel(update, services, args.jobs, "Updating services")
    if args.json:
        print(json.dumps([asdict(result) for result in results], indent=2))
    else:
        console.print(update_table(results))
    problems = {"conflicts", "tests failed", "error"}
    return 1 if any(result.outcome in problems for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
