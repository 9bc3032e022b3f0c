"""`gst-fleet update`: roll a template release out to every service that is behind.

`update` never touches a repository with uncommitted changes. For each service that is
behind, it makes a branch, runs `copier update`, commits the result there (conflict
markers included, for the service team to resolve), re-locks, runs the service's tests
and switches back to the branch it started on, so the service's own history is untouched.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from gov_service_template.fleet.report import json_report
from gov_service_template.fleet.running import COPIER, FleetError, commit, git, last_line, run
from gov_service_template.fleet.services import in_parallel, service_status

DEFAULT_TEST_COMMAND = "uv run --locked nox -s lint tests"
DEFAULT_BRANCH_PREFIX = "template-update/"
CONFLICT_MARKER = r"^(<{7}|>{7})( |$)"


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


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("update", help="update every service that is behind")
    parser.add_argument("--vcs-ref", help="template tag or commit (default: latest)")
    parser.add_argument(
        "--test-command", default=DEFAULT_TEST_COMMAND, help=f'default: "{DEFAULT_TEST_COMMAND}"'
    )
    parser.add_argument("--branch-prefix", default=DEFAULT_BRANCH_PREFIX)
    parser.set_defaults(handler=run_command)


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


def run_command(args: argparse.Namespace, services: list[Path]) -> int:
    def update(repo: Path) -> UpdateResult:
        return update_service(
            repo,
            vcs_ref=args.vcs_ref,
            test_command=args.test_command,
            branch_prefix=args.branch_prefix,
        )

    results = in_parallel(update, services, args.jobs, "Updating services")
    if args.json:
        print(json_report("update", results))
    else:
        Console().print(update_table(results))
    problems = {"conflicts", "tests failed", "error"}
    return 1 if any(result.outcome in problems for result in results) else 0
