"""Copier migration, after every update: settle pyproject.toml conflicts that are only two
lists of added dependencies.

Dependency lists are sorted, so when a service adds one (`uv add humanize`) and the template
adds another nearby, `copier update` sees both change the same lines and leaves conflict
markers. When every line on both sides is a plain dependency (or a comment about the one
below it) and no package appears on both sides with different versions, the right answer
is both: this keeps them all, sorted, each with its comment, and marks the file resolved.
Anything else (two versions of one package, other lines) is left for a person, markers
and all.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PYPROJECT = Path("pyproject.toml")
CONFLICT = re.compile(
    r"^<<<<<<< before updating\n(?P<service>.*?)"
    r"^=======\n(?P<template>.*?)"
    r"^>>>>>>> after updating\n",
    re.MULTILINE | re.DOTALL,
)
DEPENDENCY = re.compile(r'^\s*"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)[^"]*",\s*$')
COMMENT = re.compile(r"^\s*#")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def union(conflict: re.Match[str]) -> str:
    """Both sides' dependency lines, sorted, each after the comments just above it; or
    the conflict untouched if that's unsafe."""
    entries: dict[str, str] = {}
    comments = ""
    for line in (conflict["service"] + conflict["template"]).splitlines(keepends=True):
        if COMMENT.match(line):
            comments += line  # says why the dependency below it is there
            continue
        match = DEPENDENCY.match(line)
        if match is None:
            return conflict[0]
        name = canonical(match["name"])
        if entries.setdefault(name, comments + line) != comments + line:
            return conflict[0]
        comments = ""
    if comments:
        return conflict[0]  # a comment about nothing below it: a person should look
    return "".join(entries[name] for name in sorted(entries))


def main() -> int:
    if not PYPROJECT.exists() or "<<<<<<< before updating" not in PYPROJECT.read_text():
        return 0
    settled = CONFLICT.sub(union, PYPROJECT.read_text())
    PYPROJECT.write_text(settled)
    if "<<<<<<< before updating" in settled:
        print("pyproject.toml: some conflicts need a person; the dependency-only ones are settled.")
        return 0
    # Copier recorded the file as conflicted in the index; it no longer is.
    subprocess.run(["git", "add", "--", str(PYPROJECT)], check=True)
    print("pyproject.toml: kept the dependencies both the service and the template added.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
