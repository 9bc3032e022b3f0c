"""Finding services made from the template, and what Copier says about each."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from packaging.version import InvalidVersion, Version
from rich.console import Console
from rich.progress import Progress

from gov_service_template.fleet.running import (
    COPIER,
    FleetError,
    git,
    last_line,
    run,
    stop_everything,
)

ANSWERS_FILE = ".copier-answers.yml"

T = TypeVar("T")


@dataclass
class ServiceStatus:
    service: str
    path: str
    template: str | None = None
    version: str | None = None
    latest: str | None = None
    behind: int | None = None
    dirty: bool = False
    # The work tree's answers file differs from the committed one: an update under way, or
    # one that stopped half-way (the versions above are the committed ones).
    half_finished: bool = False
    answers: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def discover_services(paths: Iterable[Path]) -> list[Path]:
    """Services named by paths: repositories, folders of repositories, or list files.

    Every path named (on the command line or in a list file) is a service of the run unless
    it is a folder of services, so a path that is not a service still gets its row, with
    the reason. A folder holding no service is itself a row ("not a service").
    """
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            listed = [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()]
            found += discover_services(path.parent / entry for entry in listed if entry)
        elif path.is_dir() and not is_service_like(path):
            children = sorted(child.resolve() for child in path.iterdir() if is_service(child))
            found += children or [path.resolve()]
        else:
            found.append(path.resolve() if path.exists() else path.absolute())
    return list(dict.fromkeys(found))


def is_service(path: Path) -> bool:
    return (path / ANSWERS_FILE).is_file()


def is_service_like(path: Path) -> bool:
    """A service, or a repository that ought to be one (its answers file lost)."""
    return is_service(path) or (path / ".git").exists()


def read_answers(repo: Path, revision: str = "HEAD") -> dict[str, Any]:
    """The answers file as committed (at revision): what the service's history says, not
    what a half-finished update may have left in its work tree."""
    problem = service_problem(repo)
    if problem:
        raise FleetError(problem)
    shown = run(["git", "show", f"{revision}:{ANSWERS_FILE}"], repo, check=False)
    if shown.returncode != 0:
        if (repo / ANSWERS_FILE).is_file():
            raise FleetError(f"{ANSWERS_FILE} is not committed: commit it, then run again")
        raise FleetError(f"no {ANSWERS_FILE} at {revision}: not made from a template")
    return parse_answers(shown.stdout)


def service_problem(repo: Path) -> str | None:
    """Why a path cannot be a service of the fleet, or None."""
    if not repo.exists():
        return "no such folder"
    if not repo.is_dir():
        return "not a folder"
    if not (repo / ".git").exists():
        if is_service(repo):
            return "not a git repository: the fleet updates services through git"
        return "not a service: no .copier-answers.yml and not a git repository"
    if not is_service(repo) and not git_has(repo, ANSWERS_FILE):
        return f"no {ANSWERS_FILE}: made some other way, or the file was deleted"
    return None


def git_has(repo: Path, path: str) -> bool:
    listed = run(["git", "ls-tree", "--name-only", "HEAD", "--", path], repo, check=False)
    return bool(listed.stdout.strip())


def parse_answers(text: str) -> dict[str, Any]:
    try:
        answers = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FleetError(f"{ANSWERS_FILE} is not valid YAML: {error}") from error
    if not isinstance(answers, dict):
        raise FleetError(f"{ANSWERS_FILE} holds no answers")
    if "service_name" not in answers:
        template = answers.get("_src_path", "an unknown template")
        raise FleetError(f"answers from another template ({template}): not a service of ours")
    return answers


def is_dirty(repo: Path) -> bool:
    return bool(git(repo, "status", "--porcelain").strip())


def work_tree_answers_differ(repo: Path) -> bool:
    try:
        in_work_tree = (repo / ANSWERS_FILE).read_text()
    except OSError:
        return True
    return run(["git", "show", f"HEAD:{ANSWERS_FILE}"], repo, check=False).stdout != in_work_tree


@cache
def release_versions(template: str) -> tuple[Version, ...]:
    """Every PEP 440 release tag of the template, oldest first."""
    listing = run(
        ["git", "ls-remote", "--tags", "--refs", template], Path.cwd(), timeout=300
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


def versions_of(repo: Path, answers: dict[str, Any]) -> tuple[str, str]:
    """(current, latest) as `copier check-update` gives them, without starting Copier.

    The template's tags are listed once per template for the whole run; a service's
    release is its `_commit`. Anything but a plain release tag there (a commit between
    releases, say) is left to Copier itself.
    """
    if not answers.get("_src_path"):
        raise FleetError(f"{ANSWERS_FILE} names no template (_src_path)")
    versions = release_versions(str(answers["_src_path"]))
    try:
        current = Version(str(answers["_commit"]))
    except InvalidVersion:
        return check_update(repo)
    if current not in versions:
        return check_update(repo)
    # Like Copier, a pre-release is the latest only for a service already on pre-releases.
    candidates = [v for v in versions if current.is_prerelease or not v.is_prerelease]
    return str(current), str(max([current, *candidates]))


def service_status(repo: Path) -> ServiceStatus:
    """Where the service is, from its committed state; a path that is not a service, or
    whose answers cannot be read, has its reason in `error`."""
    status = ServiceStatus(service=repo.name, path=str(repo))
    try:
        answers = read_answers(repo)
        status.template = answers.get("_src_path")
        status.answers = {key: value for key, value in answers.items() if not key.startswith("_")}
        status.dirty = is_dirty(repo)
        status.half_finished = status.dirty and work_tree_answers_differ(repo)
        status.version, status.latest = versions_of(repo, answers)
        current, latest = Version(status.version), Version(status.latest)
        versions = release_versions(str(status.template))
        status.behind = sum(current < v <= latest for v in versions)
    except (FleetError, OSError, subprocess.CalledProcessError, InvalidVersion) as error:
        status.error = str(error)
    return status


def in_parallel(
    work: Callable[[Path], T],
    services: list[Path],
    jobs: int,
    description: str,
    not_run: Callable[[Path], T] | None = None,
) -> list[T]:
    """Run work on every service, a few at a time, with a progress bar on stderr.

    Ctrl-C stops the run: commands running are killed, work already under way finishes
    (putting its service back), and services not started get not_run(service). Without
    not_run, the interrupt is raised after the work under way has finished.
    """
    results: dict[Path, T] = {}
    with (
        Progress(console=Console(stderr=True), transient=True) as progress,
        ThreadPoolExecutor(max_workers=max(1, jobs)) as pool,
    ):
        task = progress.add_task(description, total=len(services))
        futures = {pool.submit(work, service): service for service in services}
        try:
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                progress.advance(task)
        except KeyboardInterrupt:
            stop_everything()
            if not_run is None:
                raise
            # Cancel every service not started before waiting for those under way.
            cancelled = {future for future in futures if future.cancel()}
            for future, service in futures.items():
                results[service] = not_run(service) if future in cancelled else future.result()
    return [results[service] for service in services]
