"""Copier task: write uv.lock for a newly copied service.

A committed lock makes the first CI run install exactly what the team tested. Locking
prefers uv's cache (works offline when the cache is warm) and falls back to the index.
If neither works, the copy still succeeds and the service's README says to run `uv lock`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# Set by a surrounding virtualenv or nox session; the new project's own
# .python-version and pyproject.toml must decide instead.
INHERITED = ("VIRTUAL_ENV", "UV_PYTHON", "UV_PROJECT_ENVIRONMENT")


def uv_command() -> list[str] | None:
    if uv := shutil.which("uv"):
        return [uv]
    try:
        import uv  # type: ignore[import-not-found]
    except ImportError:
        return None
    return [uv.find_uv_bin()]


def main() -> int:
    uv = uv_command()
    if uv is None:
        print("uv is not installed: skipped writing uv.lock. Install uv, then run `uv lock`.")
        return 0
    env = {key: value for key, value in os.environ.items() if key not in INHERITED}
    for extra in (["--offline"], []):
        # The offline attempt's complaints are expected when the cache is cold.
        result = subprocess.run(
            [*uv, "lock", "--quiet", *extra], check=False, env=env, capture_output=not extra
        )
        if result.returncode == 0:
            return 0
    print(
        "Could not write uv.lock (no network and a cold uv cache?). "
        "Run `uv lock` in the service when you are online, then commit uv.lock.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
