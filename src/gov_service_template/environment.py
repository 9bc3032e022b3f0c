"""The environment for commands run inside a rendered service, by the tests and the bench."""

from __future__ import annotations

import os

# Variables a developer's shell may carry that must not leak into a rendered project's
# own tools (they would point uv or nox at this repo's environments). Some machines set
# PYTHONDONTWRITEBYTECODE: a rendered project's environments are thrown away afterwards,
# and without cached bytecode every Python process there compiles its imports again.
LEAKY_VARIABLES = (
    "VIRTUAL_ENV",
    "UV_PROJECT_ENVIRONMENT",
    "UV_PYTHON",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONDONTWRITEBYTECODE",
)


def git_identity(name: str, email: str) -> dict[str, str]:
    """Who commits in a rendered project, whatever git is configured with here."""
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def rendered_project_env(identity: dict[str, str], **extra: str) -> dict[str, str]:
    """This process's environment without the leaky variables, plus identity and extra."""
    env = {key: value for key, value in os.environ.items() if key not in LEAKY_VARIABLES}
    return env | identity | extra
