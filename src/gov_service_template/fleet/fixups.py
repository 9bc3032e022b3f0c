"""What `copier update` cannot do without trust, done after it by the fleet tool.

Copier runs a template's migrations only with `--trust`, and Renovate's copier manager
never passes it. So the template has no migrations (decision 0009); the fix-ups that
migrations did run here instead, after `copier update`, with the service's state from
before the update still in git:

- a file the template **moved** (listed under `moved` in template-files.yml) has the
  team's edits merged into its new path, three-way against the previous release;
- a file the template **removed** that the team had changed is kept, as the team left it,
  and reported (a team that edited the example journey keeps its edits to port);
- dependencies both the service and the template added to pyproject.toml are both kept
  (the release's own hooks/resolve_dependency_conflicts.py).

Everything is read from the release being updated *to*, like Copier's migrations were.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from gov_service_template.fleet.report import json_report
from gov_service_template.fleet.running import FleetError, git, run
from gov_service_template.fleet.services import in_parallel
from gov_service_template.fleet.template import file_at, local_template, render_release

FILES_RULES = "template-files.yml"
RESOLVE_DEPENDENCIES = "hooks/resolve_dependency_conflicts.py"
# The same labels as Copier's own conflicts, so the same checks find them.
MERGE_LABELS = ("-L", "before updating", "-L", "last update", "-L", "after updating")


@dataclass
class FixupReport:
    carried: list[str] = field(default_factory=list)  # "old -> new"
    removed_edited: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Move:
    release: str
    old: str
    new: str


def template_rules(template: Path, ref: str) -> dict[str, Any]:
    """template-files.yml as the release at ref has it (empty for releases before it)."""
    text = file_at(template, ref, FILES_RULES)
    rules: dict[str, Any] = (yaml.safe_load(text) if text else None) or {}
    return rules


def version_of(ref: str | None) -> Version | None:
    """A release tag (v1.2.0) as a version; None for anything else (a commit, nothing)."""
    try:
        return Version(ref) if ref else None
    except InvalidVersion:
        return None


def moves_between(
    rules: Mapping[str, Any], from_ref: str, to_ref: str, answers: Mapping[str, Any]
) -> list[Move]:
    """Moves made by releases after from_ref, up to to_ref, with answers filled in."""
    start, end = version_of(from_ref), version_of(to_ref)
    moves = []
    for entry in rules.get("moved", []):
        release = Version(entry["release"])
        if (start is None or start < release) and (end is None or release <= end):
            old, new = (entry[key].format_map(answers) for key in ("from", "to"))
            moves.append(Move(entry["release"], old, new))
    return moves


def content_at(repo: Path, revision: str, path: str) -> bytes | None:
    result = run(["git", "cat-file", "-e", f"{revision}:{path}"], repo, check=False)
    if result.returncode != 0:
        return None
    return git_bytes(repo, "show", f"{revision}:{path}")


def git_bytes(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True).stdout


class PreviousRelease:
    """The service's previous release, rendered with its answers when first needed."""

    def __init__(self, template: Path, ref: str, answers: Mapping[str, Any]) -> None:
        self.template, self.ref, self.answers = template, ref, answers
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def file(self, path: str) -> bytes | None:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="gst-fleet-previous-")
            render_release(self.template, self.ref, self.answers, Path(self._folder.name) / "s")
        rendered = Path(self._folder.name) / "s" / path
        return rendered.read_bytes() if rendered.is_file() else None

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()


def carry_move(repo: Path, move: Move, before: str, previous: PreviousRelease) -> str | None:
    """Merge the team's edits to move.old into move.new; a note, or None if none to carry."""
    ours = content_at(repo, before, move.old)
    if ours is None or (repo / move.old).exists():
        return None  # the team never had it, or the update kept it: nothing moved here
    base = previous.file(move.old)
    if ours == base:
        return None  # unedited: Copier already wrote the template's file at the new path
    target = repo / move.new
    theirs = target.read_bytes() if target.is_file() else (base or b"")
    with tempfile.TemporaryDirectory(prefix="gst-fleet-merge-") as folder:
        paths = [Path(folder) / name for name in ("ours", "base", "theirs")]
        for path, content in zip(paths, (ours, base or b"", theirs), strict=True):
            path.write_bytes(content)
        merge = ["git", "merge-file", *MERGE_LABELS, *(str(path) for path in paths)]
        merged = run(merge, repo, check=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(paths[0].read_bytes())
    # Staged together, the removal and the new file show (and log) as a rename.
    git(repo, "rm", "--quiet", "--cached", "--ignore-unmatch", "--", move.old)
    git(repo, "add", "--", move.new)
    if merged.returncode:
        return f"{move.old} -> {move.new}: your edits overlap the template's (conflict markers)"
    return f"{move.old} -> {move.new}: your edits carried over"


def keep_removed_but_edited(
    repo: Path, before: str, previous: PreviousRelease, moved: set[str]
) -> list[str]:
    """Files the update deleted that the team had changed since the previous release, put
    back as the team left them; returns their paths."""
    deleted = git(repo, "diff", "--name-only", "--no-renames", "--diff-filter=D", before)
    kept = []
    for path in deleted.splitlines():
        if path in moved:
            continue
        theirs = content_at(repo, before, path)
        if theirs is not None and theirs != previous.file(path):
            (repo / path).parent.mkdir(parents=True, exist_ok=True)
            (repo / path).write_bytes(theirs)
            kept.append(path)
    return kept


def settle_dependencies(repo: Path, template: Path, to_ref: str) -> str | None:
    pyproject = repo / "pyproject.toml"
    if not pyproject.is_file() or "<<<<<<< " not in pyproject.read_text():
        return None  # no conflict in it: nothing to settle
    script = file_at(template, to_ref, RESOLVE_DEPENDENCIES)
    if script is None:
        return None
    result = run([sys.executable, "-c", script], repo)
    return result.stdout.strip() or None


def after_update(
    repo: Path,
    template: Path,
    from_ref: str,
    to_ref: str,
    *,
    before: str = "HEAD",
) -> FixupReport:
    """Fix-ups for a service whose work tree holds `copier update`'s result.

    before is the commit with the service as it was before the update: HEAD while the
    update is still uncommitted (gst-fleet update), its parent for a committed one
    (gst-fleet fixup on a pull request's branch).
    """
    report = FixupReport()
    answers_text = git(repo, "show", f"{before}:.copier-answers.yml")
    answers: dict[str, Any] = yaml.safe_load(answers_text) or {}
    previous = PreviousRelease(template, from_ref, answers)
    try:
        moves = moves_between(template_rules(template, to_ref), from_ref, to_ref, answers)
        for move in moves:
            if note := carry_move(repo, move, before, previous):
                report.carried.append(note)
        moved = {move.old for move in moves}
        report.removed_edited = keep_removed_but_edited(repo, before, previous, moved)
    finally:
        previous.close()
    if note := settle_dependencies(repo, template, to_ref):
        report.notes.append(note)
    return report


# --- gst-fleet fixup: the same fix-ups for a service updated another way -------------------


@dataclass
class FixupResult:
    service: str
    path: str
    outcome: str  # fixed up | nothing to do | error
    from_version: str | None = None
    to_version: str | None = None
    carried: list[str] = field(default_factory=list)
    removed_edited: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    detail: str = ""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "fixup",
        help="run the update fix-ups on a service updated by Renovate or `copier update`",
    )
    parser.add_argument(
        "--before",
        default=None,
        help="the commit before the update (default: HEAD if the update is uncommitted, "
        "else HEAD~1, the parent of Renovate's commit)",
    )
    parser.set_defaults(handler=run_fixup_command)


def recorded_release(repo: Path, revision: str | None) -> str:
    """`_commit` in .copier-answers.yml at a revision, or in the work tree for None."""
    text = (
        (repo / ".copier-answers.yml").read_text()
        if revision is None
        else git(repo, "show", f"{revision}:.copier-answers.yml")
    )
    answers: dict[str, Any] = yaml.safe_load(text) or {}
    return str(answers.get("_commit"))


def fixup_service(repo: Path, before: str | None) -> FixupResult:
    result = FixupResult(service=repo.name, path=str(repo), outcome="error")
    try:
        uncommitted = bool(git(repo, "status", "--porcelain").strip())
        before = before or ("HEAD" if uncommitted else "HEAD~1")
        result.from_version = recorded_release(repo, before)
        result.to_version = recorded_release(repo, None)
        if result.from_version == result.to_version:
            result.outcome = "nothing to do"
            result.detail = f"{before} and the work tree are both on {result.to_version}"
            return result
        answers: dict[str, Any] = yaml.safe_load((repo / ".copier-answers.yml").read_text())
        template = local_template(str(answers["_src_path"]))
        report = after_update(repo, template, result.from_version, result.to_version, before=before)
    except (FleetError, OSError, KeyError, subprocess.CalledProcessError) as error:
        result.detail = str(error)
        return result
    result.outcome = "fixed up"
    result.carried, result.removed_edited, result.notes = (
        report.carried,
        report.removed_edited,
        report.notes,
    )
    result.detail = "review and commit the changes" if report.carried or report.notes else ""
    return result


def run_fixup_command(args: argparse.Namespace, services: list[Path]) -> int:
    results = in_parallel(
        lambda repo: fixup_service(repo, args.before), services, args.jobs, "Fixing up services"
    )
    if args.json:
        print(json_report("fixup", results))
    else:
        for result in results:
            print(
                f"{result.service}  {result.from_version} -> {result.to_version}  "
                f"{result.outcome}  {result.detail}".rstrip()
            )
            for line in [*result.carried, *result.notes]:
                print(f"    {line}")
            for path in result.removed_edited:
                print(f"    removed by the template, changed by your team, kept: {path}")
    return 1 if any(result.outcome == "error" for result in results) else 0
