"""Copier migration: the template moved a file; carry the service's edits to its new path.

Left alone, `copier update` deletes a file the template no longer has, local edits and
all, and writes the template's version at the new path. This migration runs twice:

    before  keep the service's copy of OLD safe, then `git rm` it, so the update can go
            ahead as if the file had always been at NEW;
    after   three-way merge the service's edits into NEW: the base is OLD as the template
            had it at the service's previous release. Overlapping edits become conflict
            markers, like any other `copier update` conflict; nothing is lost.

    move_file.py STAGE FROM_REF OLD NEW

OLD and NEW are relative to the service's root and may name answers in braces, like
src/{package_name}/x.html: Copier gives "before" migrations no answers, so they are read
from .copier-answers.yml. OLD must be a plain (non-.jinja) file in the template.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml  # Copier's own dependency, so always importable by _copier_python

ANSWERS_FILE = Path(".copier-answers.yml")
TEMPLATE_ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_SUBDIRECTORY = "template"


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def stash_path(new: Path) -> Path:
    """Where the service's copy waits between the stages: inside .git, out of Copier's way."""
    git_dir = Path(git("rev-parse", "--git-dir").strip())
    return git_dir / "template-migrations" / new


def before(old: Path, new: Path) -> None:
    if not old.exists():
        print(f"{old} is not here (already moved, or deleted on purpose): nothing to do.")
        return
    stash = stash_path(new)
    stash.parent.mkdir(parents=True, exist_ok=True)
    stash.write_bytes(old.read_bytes())
    git("rm", "--quiet", "--force", "--", str(old))
    print(f"Moving {old} to {new}: your copy is kept for the merge after the update.")


def template_copy_at(ref: str, old_pattern: str) -> bytes:
    """OLD as the template had it at ref (the path inside the template repository)."""
    # The template names its folders after answers, literally: src/{{package_name}}/...
    as_in_template = {name: "{{" + name + "}}" for name in read_answers()}
    path = f"{TEMPLATE_SUBDIRECTORY}/{old_pattern.format_map(as_in_template)}"
    return subprocess.run(
        ["git", "show", f"{ref}:{path}"], cwd=TEMPLATE_ROOT, check=True, capture_output=True
    ).stdout


def after(from_ref: str, old_pattern: str, new: Path) -> None:
    stash = stash_path(new)
    if not stash.exists():
        return
    base = stash.with_name(stash.name + ".base")
    base.write_bytes(template_copy_at(from_ref, old_pattern))
    if not new.exists():
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_bytes(base.read_bytes())
    labels = ["-L", "before updating", "-L", "last update", "-L", "after updating"]
    # Same labels as Copier's own conflicts, so the same tools find them.
    merged = subprocess.run(
        ["git", "merge-file", *labels, str(stash), str(base), str(new)], check=False
    )
    new.write_bytes(stash.read_bytes())
    stash.unlink()
    base.unlink()
    git("add", "--", str(new))  # staged with the removal, git shows (and logs) a rename
    if merged.returncode:
        print(f"{new}: your edits overlap the template's; resolve the conflict markers.")
    else:
        print(f"{new}: your edits are carried over.")


def read_answers() -> dict[str, object]:
    answers: dict[str, object] = yaml.safe_load(ANSWERS_FILE.read_text())
    return answers


def with_answers(pattern: str) -> Path:
    return Path(pattern.format_map(read_answers()))


def main(stage: str, from_ref: str, old_pattern: str, new_pattern: str) -> int:
    old, new = with_answers(old_pattern), with_answers(new_pattern)
    if stage == "before":
        before(old, new)
    elif stage == "after":
        after(from_ref, old_pattern, new)
    else:
        sys.exit(f"STAGE must be before or after, not {stage!r}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
