"""Template releases in a throwaway clone of this repository.

Releases are git tags `vX.Y.Z` on commits titled "Release vX.Y.Z". A fresh CI clone may
carry no tags, so the clone tags those commits itself; uncommitted work is committed as
"Work in progress" and, when not already a release, tagged as the next one, so updates
always go *to* what is being worked on. The update tests and the benchmarks both use it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from packaging.version import Version

RELEASE_COMMIT = re.compile(r"^Release (v\d+\.\d+\.\d+)$")
ROOT = Path(__file__).resolve().parents[2]


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=repo,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@dataclass(frozen=True)
class TemplateClone:
    path: Path
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def git(self, *args: str) -> str:
        return git(self.path, *args, env=self.env)

    def releases(self) -> list[str]:
        """Release tags, oldest first."""
        tags = self.git("tag", "--list", "v*").split()
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
        self.git("add", "--all")
        self.git("commit", "--quiet", "-m", message)
        latest = Version(self.latest)
        tag = f"v{latest.major}.{latest.minor}.{latest.micro + 1}"
        self.git("tag", tag)
        return tag


def copy_working_tree(source: Path, destination: Path, env: Mapping[str, str]) -> None:
    """Bring uncommitted changes (staged or not, and new files) from the source repository."""
    changed = git(source, "diff", "HEAD", "--name-only", "--no-renames", env=env).splitlines()
    untracked = git(source, "ls-files", "--others", "--exclude-standard", env=env).splitlines()
    for name in [*changed, *untracked]:
        origin, target = source / name, destination / name
        if not origin.exists():
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, target)


def migration_versions(template: Path) -> list[Version]:
    config = yaml.safe_load((template / "copier.yml").read_text())
    migrations = config.get("_migrations", [])
    return [Version(migration["version"]) for migration in migrations if "version" in migration]


def clone_template(
    destination: Path, *, source: Path = ROOT, env: Mapping[str, str] | None = None
) -> TemplateClone:
    """Clone the template with its working tree; make sure it has release tags."""
    env = dict(env) if env is not None else dict(os.environ)
    git(source, "clone", "--quiet", str(source), str(destination), env=env)
    copy_working_tree(source, destination, env)
    clone = TemplateClone(destination, env)
    clone.git("add", "--all")
    if clone.git("status", "--porcelain").strip():
        clone.git("commit", "--quiet", "-m", "Work in progress")

    # A clone may carry some release tags, all or none: tag each release commit untagged.
    tagged = set(clone.git("tag", "--list", "v*").split())
    for line in clone.git("log", "--format=%H %s").splitlines():
        commit, subject = line.split(" ", 1)
        if (match := RELEASE_COMMIT.match(subject)) and match.group(1) not in tagged:
            clone.git("tag", match.group(1), commit)

    if not clone.git("tag", "--points-at", "HEAD").strip():
        latest = Version(clone.latest)
        following = Version(f"{latest.major}.{latest.minor}.{latest.micro + 1}")
        clone.git("tag", f"v{max([following, *migration_versions(destination)])}")
    return clone
