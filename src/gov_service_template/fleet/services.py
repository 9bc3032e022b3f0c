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
    answers: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


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
    status = ServiceStatus(service=repo.name, path=str(repo))
    try:
        answers = read_answers(repo)
        status.template = answers.get("_src_path")
        status.answers = {key: value for key, value in answers.items() if not key.startswith("_")}
        status.dirty = is_dirty(repo)
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
