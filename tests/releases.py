"""Template releases for the update tests, made in a throwaway clone of this repository.

Releases are git tags `vX.Y.Z` on commits titled "Release vX.Y.Z". A fresh CI clone may
carry no tags, so the clone tags those commits itself; uncommitted work is committed as
"Work in progress" and, when not already a release, tagged as the next one, so the tests
always update *to* what is being worked on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.version import Version

from tests.support import ROOT, project_env

RELEASE_COMMIT = re.compile(r"^Release (v\d+\.\d+\.\d+)$")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, env=project_env(), capture_output=True, text=True, check=True
    ).stdout


@dataclass(frozen=True)
class TemplateClone:
    path: Path

    def releases(self) -> list[str]:
        """Release tags, oldest first."""
        tags = git(self.path, "tag", "--list", "v*").split()
        return sorted(tags, key=lambda tag: Version(tag))

    @property
    def latest(self) -> str:
        return self.releases()[-1]

    @property
    def previous(self) -> str:
        return self.releases()[-2]

    def release(self, change: Callable[[Path], None], message: str) -> str:
        """Commit a change to the template as a new patch release; return its tag."""
        change(self.path)
        git(self.path, "add", "--all")
        git(self.path, "commit", "--quiet", "-m", message)
        latest = Version(self.latest)
        tag = f"v{latest.major}.{latest.minor}.{latest.micro + 1}"
        git(self.path, "tag", tag)
        return tag


def copy_working_tree(destination: Path) -> None:
    """Bring uncommitted changes (staged or not, and new files) from this repository."""
    changed = git(ROOT, "diff", "HEAD", "--name-only", "--no-renames").splitlines()
    untracked = git(ROOT, "ls-files", "--others", "--exclude-standard").splitlines()
    for name in [*changed, *untracked]:
        source, target = ROOT / name, destination / name
        if not source.exists():
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def migration_versions(template: Path) -> list[Version]:
    config = yaml.safe_load((template / "copier.yml").read_text())
    migrations = config.get("_migrations", [])
    return [Version(migration["version"]) for migration in migrations if "version" in migration]


def clone_template(destination: Path) -> TemplateClone:
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(destination)], check=True)
    copy_working_tree(destination)
    git(destination, "add", "--all")
    if git(destination, "status", "--porcelain").strip():
        git(destination, "commit", "--quiet", "-m", "Work in progress")

    if not git(destination, "tag", "--list", "v*").strip():
        for line in git(destination, "log", "--format=%H %s").splitlines():
            commit, subject = line.split(" ", 1)
            if match := RELEASE_COMMIT.match(subject):
                git(destination, "tag", match.group(1), commit)

    clone = TemplateClone(destination)
    if not git(destination, "tag", "--points-at", "HEAD").strip():
        latest = Version(clone.latest)
        following = Version(f"{latest.major}.{latest.minor}.{latest.micro + 1}")
        git(destination, "tag", f"v{max([following, *migration_versions(destination)])}")
    return clone
