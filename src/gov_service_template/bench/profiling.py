"""--profile: where each measured path's requests spend their time, with pyinstrument."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from .journey import journey_answers, journey_settings
from .running import PROGRAMS, clean_env, package_of


def profile_journey(project: Path, env: Mapping[str, str]) -> None:
    """Print where 200 requests of each measured path spend their time (pyinstrument):
    the start page, a question page and an answer posted with a journey in progress, and
    check answers."""
    settings = journey_settings(journey_answers(project), project / "instance")
    program = ["python", str(PROGRAMS / "journey_profile.py"), package_of(project), str(settings)]
    result = subprocess.run(
        ["uv", "run", "--locked", "--with", "pyinstrument", *program],
        cwd=project,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        check=True,
    )
    print(result.stdout)
