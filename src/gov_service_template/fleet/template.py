"""The template a service was made from: a local clone of it, and any release rendered.

Services record their template in `.copier-answers.yml` (`_src_path`), usually a git URL.
The fleet clones each template once per run and renders releases from that clone, so a
hundred services cost one clone. Rendering never runs the template's tasks, so it needs no
trust: a release is rendered exactly as Copier wrote it into a service at that release.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from gov_service_template.fleet.running import COPIER, FleetError, git, run

_clones: dict[str, Path] = {}
_clones_lock = threading.Lock()


def local_template(source: str) -> Path:
    """A local clone of the template at source (a path or a git URL), made once per run."""
    with _clones_lock:
        if source not in _clones:
            folder = Path(tempfile.mkdtemp(prefix="gst-fleet-template-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            git(folder, "clone", "--quiet", "--no-checkout", source, "template")
            _clones[source] = folder / "template"
        return _clones[source]


def file_at(template: Path, ref: str, path: str) -> str | None:
    """A file of the template repository as it was at ref, or None if it had none."""
    result = run(["git", "show", f"{ref}:{path}"], template, check=False)
    return result.stdout if result.returncode == 0 else None


def question_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to questions, without Copier's own `_src_path`, `_commit` and so on."""
    return {key: value for key, value in answers.items() if not key.startswith("_")}


def render_release(template: Path, ref: str, answers: Mapping[str, Any], destination: Path) -> Path:
    """Render the template at ref with the answers into destination, tasks skipped."""
    data_file = destination.parent / f"{destination.name}.answers.yml"
    data_file.parent.mkdir(parents=True, exist_ok=True)
    data_file.write_text(yaml.safe_dump(question_answers(answers)))
    command = [*COPIER, "copy", "--quiet", "--defaults", "--skip-tasks", "--overwrite"]
    command += ["--data-file", str(data_file), "--vcs-ref", ref, str(template), str(destination)]
    result = run(command, destination.parent, check=False)
    data_file.unlink()
    if result.returncode != 0:
        raise FleetError(f"could not render the template at {ref}: {result.stderr.strip()}")
    return destination
