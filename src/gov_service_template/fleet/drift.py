"""`gst-fleet drift`: which files each team has changed since its template release.

The service's recorded release is rendered with its recorded answers (no trust needed)
and compared, file by file, with what the service has committed (HEAD). Each file that differs is
changed, deleted or added by the team, and owned by the template, shared, or the
service's own, as `template-files.yml` says. A changed or deleted template-owned file is
**flagged**: every update will have to merge it again, so a platform team looks at it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gov_service_template.fleet.fixups import template_rules
from gov_service_template.fleet.report import json_report
from gov_service_template.fleet.running import FleetError, git
from gov_service_template.fleet.services import ANSWERS_FILE, in_parallel, read_answers
from gov_service_template.fleet.template import local_template, render_release

OWNERS = ("service", "shared")  # matched in this order; anything else is the template's


@dataclass
class FileDrift:
    path: str
    state: str  # changed | deleted | added (by the team)
    owner: str  # template | shared | service
    flagged: bool


@dataclass
class ServiceDrift:
    service: str
    path: str
    release: str | None = None
    files: list[FileDrift] = field(default_factory=list)
    flagged: int = 0
    error: str | None = None


@cache
def glob_pattern(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression: `*` and `?` stay within a folder, `**` crosses them."""
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    wildcards = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts) + r"\Z")


def owner_of(path: str, ownership: Mapping[str, list[str]], answers: Mapping[str, Any]) -> str:
    for owner in OWNERS:
        for pattern in ownership.get(owner) or []:
            if glob_pattern(pattern.format_map(answers)).match(path):
                return owner
    return "template"


def committed_files(repo: Path, folder: Path) -> dict[str, Path]:
    """Every file the service has committed (HEAD), written out into folder: drift is
    what the team's history holds, whatever its work tree has under way."""
    archive = folder / "head.tar"
    git(repo, "archive", "--format=tar", f"--output={archive}", "HEAD")
    files = folder / "head"
    with tarfile.open(archive) as tar:
        tar.extractall(files, filter="data")
    archive.unlink()
    return rendered_files(files)


def rendered_files(folder: Path) -> dict[str, Path]:
    return {
        path.relative_to(folder).as_posix(): path
        for path in folder.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(folder).parts
    }


def same_content(path: str, ours: Path, theirs: Path) -> bool:
    if path == ANSWERS_FILE:  # rendered from a clone of the template: only its path differs
        return answers_without_source(ours) == answers_without_source(theirs)
    return ours.read_bytes() == theirs.read_bytes()


def answers_without_source(path: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
    answers.pop("_src_path", None)
    return answers


def compare(
    ours: Mapping[str, Path], theirs: Mapping[str, Path], rules: Mapping[str, Any], answers: Any
) -> list[FileDrift]:
    ownership = rules.get("ownership") or {}
    made_by_setup = set(rules.get("made_by_setup") or [])
    drift = []
    for path in sorted(ours.keys() | theirs.keys()):
        if path in made_by_setup:
            continue
        if path not in theirs:
            state = "added"
        elif path not in ours:
            state = "deleted"
        elif not same_content(path, ours[path], theirs[path]):
            state = "changed"
        else:
            continue
        owner = owner_of(path, ownership, answers)
        flagged = owner == "template" and state != "added"
        drift.append(FileDrift(path, state, owner, flagged))
    return drift


def service_drift(repo: Path) -> ServiceDrift:
    result = ServiceDrift(service=repo.name, path=str(repo))
    try:
        answers = read_answers(repo)
        result.release = str(answers["_commit"])
        template = local_template(str(answers["_src_path"]))
        rules = template_rules(template, result.release)
        if "ownership" not in rules:  # a release from before template-files.yml
            rules = template_rules(template, "HEAD")
        with tempfile.TemporaryDirectory(prefix="gst-fleet-drift-") as folder:
            rendered = render_release(template, result.release, answers, Path(folder) / "s")
            committed = committed_files(repo, Path(folder))
            result.files = compare(committed, rendered_files(rendered), rules, answers)
    except (FleetError, OSError, KeyError, subprocess.CalledProcessError) as error:
        result.error = str(error)
        return result
    result.flagged = sum(drift.flagged for drift in result.files)
    return result


def summary(result: ServiceDrift, width: int) -> str:
    """One line: the flagged files by name, everything else counted."""
    start = f"{result.service:<{width}}  {result.release or '?'}  "
    if result.error:
        return f"{start}error: {result.error}"
    if not result.files:
        return f"{start}no drift"
    parts = []
    if flagged := [drift.path for drift in result.files if drift.flagged]:
        parts.append(f"FLAGGED {len(flagged)} template-owned: {', '.join(flagged)}")
    counts: dict[str, int] = {}
    for drift in result.files:
        if not drift.flagged:
            key = f"{drift.owner} {drift.state}"
            counts[key] = counts.get(key, 0) + 1
    parts += [f"{count} {key}" for key, count in sorted(counts.items())]
    return start + "; ".join(parts)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "drift", help="files each team changed since its release, by who owns them"
    )
    parser.add_argument("--files", action="store_true", help="list every file that differs")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, services: list[Path]) -> int:
    results = in_parallel(service_drift, services, args.jobs, "Comparing services")
    if args.json:
        print(json_report("drift", results))
    else:
        width = max((len(result.service) for result in results), default=0)
        for result in results:
            print(summary(result, width))
            if args.files:
                for drift in result.files:
                    mark = "  FLAGGED" if drift.flagged else ""
                    print(f"    {drift.state:<8} {drift.owner:<8} {drift.path}{mark}")
    return 1 if any(result.flagged or result.error for result in results) else 0
