"""`gst-fleet update`: roll a template release out to every service that is behind.

For each service that is behind, on the branch `template-update` (made afresh from the
commit the team's branch is on), in a temporary work tree of the run's own: `copier
update`, the update fix-ups, one commit (conflict markers included, for the team to
resolve), `uv lock`, the service's tests. The branch the team has checked out, its files
and its index are never touched, whatever happens. With --push the branch goes to
`origin`; with --open-pr a pull request is opened or brought up to date.

Whatever goes wrong in one service (a tool missing, a command failing, hanging past
--timeout, Ctrl-C) is reported as `error` with the cause, its commands' output kept in
the run's log folder, and the run goes on with the others. A run that is killed outright
(SIGKILL) leaves the team's branch as it was; the next run clears what it left
(recovery.py).

Exit status: 0 when every service updated or was up to date; 1 when any service had
conflicts, failed its tests, was in error or not run; 2 when the run could not start
(a tool missing); 130 when it was stopped (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from rich.console import Console

from gov_service_template.fleet import pull_requests
from gov_service_template.fleet.fixups import after_update
from gov_service_template.fleet.recovery import (
    ServiceBusyError,
    keep_log,
    remove_stale_work_trees,
    service_lock,
)
from gov_service_template.fleet.report import json_report
from gov_service_template.fleet.results import UpdateResult, update_table
from gov_service_template.fleet.running import (
    COPIER,
    STOPPING,
    FleetError,
    commit,
    fault_point,
    git,
    last_line,
    run,
    start_transcript,
)
from gov_service_template.fleet.services import in_parallel, read_answers, service_status
from gov_service_template.fleet.template import local_template

DEFAULT_TEST_COMMAND = "uv run --locked nox -s lint tests"
DEFAULT_BRANCH = "template-update"
DEFAULT_TIMEOUT = 1800.0
CONFLICT_MARKER = r"^(<{7}|>{7})( |$)"
# Every commit the fleet makes says so, so a later run knows the branch is its own to replace.
TRAILER_KEY = "Made-by"
TRAILER = f"{TRAILER_KEY}: gst-fleet"
PROBLEMS = {"conflicts", "tests failed", "error", "not run"}


@dataclass(frozen=True)
class Options:
    vcs_ref: str | None = None
    test_command: str = DEFAULT_TEST_COMMAND
    branch: str = DEFAULT_BRANCH
    timeout: float = DEFAULT_TIMEOUT
    push: bool = False
    open_pr: bool = False
    logs: Path | None = None  # where a failed service's commands and output are kept


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("update", help="update every service that is behind")
    parser.add_argument("--vcs-ref", help="template tag or commit (default: latest)")
    parser.add_argument(
        "--test-command", default=DEFAULT_TEST_COMMAND, help=f'default: "{DEFAULT_TEST_COMMAND}"'
    )
    parser.add_argument("--branch", default=DEFAULT_BRANCH, help=f"default: {DEFAULT_BRANCH}")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds any one command may take (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--logs",
        type=Path,
        help="folder for failed services' logs (default: gst-fleet-logs/<time> here)",
    )
    parser.add_argument("--push", action="store_true", help="push the branch to origin")
    parser.add_argument(
        "--open-pr",
        action="store_true",
        help="open or update a GitHub pull request (implies --push; needs GH_TOKEN)",
    )
    parser.set_defaults(handler=run_command)


# --- before touching anything -------------------------------------------------------------


def missing_requirements(options: Options) -> list[str]:
    """What the run needs and this machine lacks, each with what to do about it."""
    missing = []
    for tool, how in (("git", "install git"), ("uv", "install uv: https://docs.astral.sh/uv/")):
        if shutil.which(tool) is None:
            missing.append(f"{tool} is not on PATH: {how}")
    try:
        run([*COPIER, "--version"], Path.cwd(), timeout=60)
    except FleetError as error:
        missing.append(f"Copier does not run here ({error}): install this tool with uv sync")
    words = shlex.split(options.test_command)
    if not words or shutil.which(words[0]) is None:
        program = words[0] if words else "(empty)"
        missing.append(f"the test command's program {program} is not on PATH")
    if options.open_pr and not pull_requests.token():
        missing.append("--open-pr needs a GitHub token in GH_TOKEN or GITHUB_TOKEN")
    return missing


# --- one service ----------------------------------------------------------------------


def conflicted_files(repo: Path) -> list[str]:
    """Files Copier left conflicted: unmerged in the index, with markers, or .rej files."""
    unmerged = git(repo, "diff", "--name-only", "--diff-filter=U").split()
    markers = git(repo, "grep", "--untracked", "-l", "-E", CONFLICT_MARKER, check=False).split()
    untracked = git(repo, "ls-files", "--others", "--exclude-standard").split()
    rejects = [name for name in untracked if name.endswith(".rej")]
    return sorted({*unmerged, *markers, *rejects})


def removed_files(repo: Path) -> list[str]:
    """Files the update deleted. Copier deletes files the template dropped, edits and all."""
    return git(repo, "diff", "--name-only", "--no-renames", "--diff-filter=D", "HEAD").split()


def relock(repo: Path, timeout: float) -> None:
    """Bring uv.lock in step with pyproject.toml (offline first), if the update changed it."""
    unchanged = run(["git", "diff", "--quiet", "HEAD", "--", "pyproject.toml"], repo, check=False)
    if unchanged.returncode == 0 and (repo / "uv.lock").exists():
        return
    for offline in (["--offline"], []):
        locking = run(
            ["uv", "lock", "--quiet", *offline], repo, check=False, timeout=timeout, stage="uv lock"
        )
        if locking.returncode == 0:
            return
    raise FleetError(f"uv lock failed after the update: {last_line(locking)}")


def commits_not_made_here(repo: Path, base: str, tip: str) -> int:
    """How many commits on tip, after base, the fleet did not make."""
    listed = git(repo, "log", "--format=%x00%(trailers:key=Made-by,valueonly)", f"{base}..{tip}")
    marks = [entry.strip() for entry in listed.split("\0")[1:]]
    return sum(mark != "gst-fleet" for mark in marks)


@dataclass(frozen=True)
class StartingPoint:
    branch: str
    head: str
    update_branch: str | None  # where the update branch was, if it existed already


def starting_point(repo: Path, branch: str) -> StartingPoint:
    verify = ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"]
    existing = run(verify, repo, check=False)
    return StartingPoint(
        branch=git(repo, "branch", "--show-current").strip(),
        head=git(repo, "rev-parse", "HEAD").strip(),
        update_branch=existing.stdout.strip() if existing.returncode == 0 else None,
    )


def why_not_to_update(repo: Path, start: StartingPoint, branch: str) -> str | None:
    if not start.branch:
        return "detached HEAD: check out a branch to update"
    if start.branch == branch:
        return f"{branch} is checked out here: switch to the team's branch to update"
    if start.update_branch and commits_not_made_here(repo, start.head, branch):
        return f"{branch} has commits of the team's: left alone"
    return None


def update_service(repo: Path, options: Options) -> UpdateResult:
    """Update one service on its update branch, in a work tree of the run's own: the
    branch the team has checked out, its files and its index are never touched."""
    transcript = start_transcript()
    status = service_status(repo)
    result = UpdateResult(service=status.service, path=status.path, outcome="error")
    if status.error:
        result.detail = status.error
        return result
    # Releases as git tags (v1.2.0), as .copier-answers.yml and the CHANGELOG name them.
    result.from_version = str(read_answers(repo).get("_commit"))
    result.to_version = options.vcs_ref or f"v{status.latest}"
    if options.vcs_ref is None and not status.behind:
        result.outcome = "up to date"
        return result
    try:
        with service_lock(repo) as taken_over:
            if taken_over:
                result.recovered.append(taken_over)
            update_in_a_work_tree(repo, result, options)
    except ServiceBusyError as busy:
        result.outcome = "skipped"
        result.detail = str(busy)
    except Exception as error:  # any fault at all: the service is as it was; say why
        result.outcome = "error"
        result.detail = str(error) or type(error).__name__
    if result.outcome in PROBLEMS and options.logs is not None:
        result.log_file = str(keep_log(options.logs, repo, transcript))
    return result


def update_in_a_work_tree(repo: Path, result: UpdateResult, options: Options) -> None:
    start = starting_point(repo, options.branch)
    if reason := why_not_to_update(repo, start, options.branch):
        result.outcome = "skipped"
        result.detail = reason
        return
    result.recovered += remove_stale_work_trees(repo, options.branch)
    keep_branch = False
    with tempfile.TemporaryDirectory(prefix="gst-fleet-update-") as folder:
        # Named as the service, so a command that looks at its folder's name sees the same.
        work_tree = Path(folder) / repo.name
        try:
            result.branch = options.branch
            add = ["worktree", "add", "--quiet", "--force", "-B", options.branch]
            git(repo, *add, str(work_tree), start.head)
            updated = update_on_branch(work_tree, result, options)
            if updated and (options.push or options.open_pr):
                publish(work_tree, result, options, base=start.branch)
            keep_branch = updated  # only once nothing more can fail
        finally:
            git(repo, "worktree", "remove", "--force", str(work_tree), check=False, stoppable=False)
            git(repo, "worktree", "prune", check=False, stoppable=False)
            if not keep_branch:
                result.branch = None
                restore_update_branch(repo, start, options.branch)


def restore_update_branch(repo: Path, start: StartingPoint, branch: str) -> None:
    """The update branch as it was before the run: gone, or where it pointed."""
    if start.update_branch is None:
        git(repo, "branch", "--quiet", "-D", branch, check=False, stoppable=False)
    else:
        git(repo, "branch", "--quiet", "-f", branch, start.update_branch, stoppable=False)


def update_on_branch(repo: Path, result: UpdateResult, options: Options) -> bool:
    """Update, fix up, commit and test on the update branch; False if nothing changed."""
    answers = read_answers(repo)
    from_ref, to_ref = str(result.from_version), str(result.to_version)
    update = [*COPIER, "update", "--trust", "--skip-answered", "--defaults", "--quiet"]
    run([*update, "--vcs-ref", to_ref], repo, timeout=options.timeout, stage="copier update")
    fault_point("fix-ups")
    fixups = after_update(repo, local_template(str(answers["_src_path"])), from_ref, to_ref)
    result.carried, result.removed_edited = fixups.carried, fixups.removed_edited
    # Copier exits 0 even when it leaves conflict markers: look for them.
    result.conflicts = conflicted_files(repo)
    result.removed = removed_files(repo)
    message = f"Update from the service template to {to_ref}"
    if not git(repo, "status", "--porcelain").strip():
        result.outcome = "up to date"
        result.detail = f"{to_ref} changes nothing in this service"
        return False
    if result.conflicts:
        git(repo, "add", "--all")
        commit(repo, f"{message} (conflicts to resolve)\n\n{TRAILER}", stage="commit")
        result.outcome = "conflicts"
        result.detail = "resolve the conflict markers on the branch, then run the tests"
        return True
    relock(repo, options.timeout)
    git(repo, "add", "--all")
    commit(repo, f"{message}\n\n{TRAILER}", stage="commit")
    testing = shlex.split(options.test_command)
    tests = run(testing, repo, check=False, timeout=options.timeout, stage="tests")
    if tests.returncode < 0:  # killed by a signal: a fault, not a verdict on the update
        crash = signal.Signals(-tests.returncode).name
        raise FleetError(f"`{options.test_command}` crashed ({crash})")
    if tests.returncode == 0:
        result.outcome = "updated"
        result.detail = f"`{options.test_command}` passed"
    else:
        result.outcome = "tests failed"
        result.detail = f"`{options.test_command}`: {last_line(tests)}"
        result.log = "\n".join((tests.stdout + tests.stderr).splitlines()[-40:])
    return True


def publish(repo: Path, result: UpdateResult, options: Options, base: str) -> None:
    """Push the branch to origin (replacing the fleet's own earlier push), and with
    --open-pr open its pull request or bring the open one up to date."""
    remote = run(["git", "ls-remote", "--heads", "origin", options.branch], repo, timeout=120)
    pushed = remote.stdout.split()[0] if remote.stdout.strip() else ""
    if pushed:
        run(["git", "fetch", "--quiet", "origin", pushed], repo, timeout=options.timeout)
        if commits_not_made_here(repo, base, pushed):
            raise FleetError(f"origin's {options.branch} has commits of the team's: not pushed")
    lease = f"--force-with-lease=refs/heads/{options.branch}:{pushed}"
    push = ["git", "push", "--quiet", lease, "origin", f"{options.branch}:{options.branch}"]
    run(push, repo, timeout=options.timeout)
    if options.open_pr:
        answers = read_answers(repo)
        changelog = pull_requests.changelog_between(
            local_template(str(answers["_src_path"])), result.from_version, result.to_version
        )
        result.pull_request = pull_requests.open_or_update(
            repo, head=options.branch, base=base, result=result, changelog=changelog
        )


# --- the whole run ----------------------------------------------------------------------


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI job cancelled) stops the run as cleanly as Ctrl-C.

    Ctrl-C (SIGINT) is made to interrupt too: a process started in the background by a
    shell without job control inherits SIGINT ignored, and Python then leaves it ignored.
    """

    def interrupt(_signal: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def run_command(args: argparse.Namespace, services: list[Path]) -> int:
    options = Options(
        vcs_ref=args.vcs_ref,
        test_command=args.test_command,
        branch=args.branch,
        timeout=args.timeout,
        push=args.push or args.open_pr,
        open_pr=args.open_pr,
        logs=(args.logs or Path("gst-fleet-logs") / time.strftime("%Y%m%d-%H%M%S")).absolute(),
    )
    if missing := missing_requirements(options):
        print("gst-fleet update cannot start; no service was touched:", file=sys.stderr)
        for problem in missing:
            print(f"  - {problem}", file=sys.stderr)
        return 2

    def not_run(repo: Path) -> UpdateResult:
        return UpdateResult(repo.name, str(repo), "not run", detail="the run was stopped first")

    with sigterm_as_interrupt():
        results = in_parallel(
            lambda repo: update_service(repo, options),
            services,
            args.jobs,
            "Updating services",
            not_run=not_run,
        )
    if args.json:
        print(json_report("update", results))
    else:
        Console(width=max(100, shutil.get_terminal_size().columns)).print(update_table(results))
    if STOPPING.is_set():
        print("Stopped: every service touched was put back as it was.", file=sys.stderr)
        return 130
    return 1 if any(result.outcome in PROBLEMS for result in results) else 0
