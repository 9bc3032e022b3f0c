"""Copier task: make the new service a git repository with one first commit.

`copier update` needs a clean git history to merge template changes into, so the service
starts with its generated state committed. A destination already inside a git work tree
(a monorepo, say) is left for its owners to commit.
"""

from __future__ import annotations

import os
import subprocess
import sys

FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "Gov Service Template",
    "GIT_AUTHOR_EMAIL": "gov-service-template@users.noreply.github.com",
}


def git(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], check=False, capture_output=True, text=True, env=env)


def identity_env() -> dict[str, str]:
    """Use the developer's git identity; borrow a neutral one only when none is set."""
    env = dict(os.environ)
    if git("config", "user.email").stdout.strip():
        return env
    env.update(FALLBACK_IDENTITY)
    env["GIT_COMMITTER_NAME"] = FALLBACK_IDENTITY["GIT_AUTHOR_NAME"]
    env["GIT_COMMITTER_EMAIL"] = FALLBACK_IDENTITY["GIT_AUTHOR_EMAIL"]
    return env


def main() -> int:
    if git("rev-parse", "--is-inside-work-tree").returncode == 0:
        print("Already inside a git repository: left the new files uncommitted.")
        return 0
    for step in (
        ("init", "--quiet", "--initial-branch=main"),
        ("add", "--all"),
        ("commit", "--quiet", "--no-verify", "-m", "Create service from Gov Service Template"),
    ):
        result = git(*step, env=identity_env())
        if result.returncode != 0:
            print(f"git {step[0]} failed: {result.stderr.strip()}", file=sys.stderr)
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
