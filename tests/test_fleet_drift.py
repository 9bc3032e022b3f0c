"""`gst-fleet drift` and the one-line `status`: each service against its own release."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from gov_service_template.fleet.drift import glob_pattern, owner_of
from tests.releases import clone_template
from tests.support import output_of, render, replace_in, run

FLEET = [sys.executable, "-m", "gov_service_template.fleet"]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("docs/**", "docs/a/b/runbook.md", True),
        ("src/*.py", "src/app.py", True),
        ("src/*.py", "src/pkg/app.py", False),
        ("src/**/test_*.py", "src/test_a.py", True),
        ("src/**/test_*.py", "src/x/y/test_a.py", True),
        ("README.md", "README.md", True),
        ("README.md", "docs/README.md", False),
        ("a?.txt", "ab.txt", True),
        ("a?.txt", "a/.txt", False),
        ("uv.lock", "uv_lock", False),
    ],
)
def test_globs_keep_single_stars_within_a_folder(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_pattern(pattern).match(path)) is matches


def test_owner_is_the_first_matching_list_with_answers_filled_in() -> None:
    ownership = {
        "service": ["src/{package_name}/apply/**"],
        "shared": ["src/{package_name}/**", "pyproject.toml"],
    }
    answers = {"package_name": "rod_permits"}

    assert owner_of("src/rod_permits/apply/forms.py", ownership, answers) == "service"
    assert owner_of("src/rod_permits/config.py", ownership, answers) == "shared"
    assert owner_of("src/other/config.py", ownership, answers) == "template"
    assert owner_of("noxfile.py", ownership, answers) == "template"


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Path:
    template = clone_template(tmp_path_factory.mktemp("template") / "template")
    folder = tmp_path_factory.mktemp("services")
    for name in ("untouched", "edited"):
        render(folder / name, {"service_slug": name}, source=template.path, vcs_ref=template.latest)
    edited = folder / "edited"
    replace_in(edited / "noxfile.py", "nox.options.reuse_venv", "# ours\nnox.options.reuse_venv")
    replace_in(edited / "src/edited/journeys/apply.py", '"""', '"""Our journey. ', count=1)
    (edited / "gunicorn.conf.py").unlink()
    (edited / "docs").mkdir(exist_ok=True)
    (edited / "docs/runbook.md").write_text("# Runbook\n")
    git(edited, "add", "--all")
    git(edited, "commit", "--quiet", "-m", "Our changes")
    # Work under way, not committed: drift and status read what is committed.
    replace_in(edited / "Dockerfile", "FROM", "# trying something\nFROM", count=1)
    return folder


def git(repo: Path, *args: str) -> str:
    result = run(["git", *args], repo)
    assert result.returncode == 0, output_of(result)
    return result.stdout


@pytest.mark.slow
def test_drift_flags_a_changed_template_file_and_nothing_on_an_untouched_service(
    services: Path,
) -> None:
    result = run([*FLEET, "drift", services], services)

    assert result.returncode == 1, output_of(result)
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert lines["untouched"].endswith("no drift")
    flagged = lines["edited"]
    assert "FLAGGED 2 template-owned: gunicorn.conf.py, noxfile.py" in flagged
    assert "1 service added" in flagged
    assert "1 service changed" in flagged


@pytest.mark.slow
def test_drift_json_classifies_every_file(services: Path) -> None:
    result = run([*FLEET, "drift", "--json", services / "edited"], services)

    document = json.loads(result.stdout)
    assert (document["schema"], document["version"]) == ("gst-fleet/drift", 1)
    (service,) = document["services"]
    files = {
        entry["path"]: (entry["state"], entry["owner"], entry["flagged"])
        for entry in service["files"]
    }
    assert files == {
        "noxfile.py": ("changed", "template", True),
        "gunicorn.conf.py": ("deleted", "template", True),
        "src/edited/journeys/apply.py": ("changed", "service", False),
        "docs/runbook.md": ("added", "service", False),
    }
    assert service["flagged"] == 2
    assert service["error"] is None


@pytest.mark.slow
def test_an_untouched_service_alone_passes(services: Path) -> None:
    result = run([*FLEET, "drift", services / "untouched"], services)

    assert result.returncode == 0, output_of(result)
    assert result.stdout.splitlines() == [
        line for line in result.stdout.splitlines() if line.startswith("untouched")
    ]


@pytest.mark.slow
def test_status_is_one_line_a_service_and_answers_on_request(services: Path) -> None:
    plain = run([*FLEET, "status", services], services)
    detailed = run([*FLEET, "status", "--answers", services], services)

    assert plain.returncode == 0, output_of(plain)
    header, *lines = plain.stdout.splitlines()
    assert header == "Services made from the template: 2"
    assert [line.split()[0] for line in lines] == ["edited", "untouched"]
    assert "uncommitted changes" in lines[0]
    assert "up to date" in lines[1]
    assert "service_slug=untouched" in detailed.stdout
    assert "service_slug" not in plain.stdout


@pytest.mark.slow
def test_status_reads_the_committed_answers_and_flags_a_half_written_file(
    services: Path, tmp_path: Path
) -> None:
    half = tmp_path / "half-written"
    shutil.copytree(services / "untouched", half, symlinks=True)
    committed = (half / ".copier-answers.yml").read_text()
    release = re.search(r"^_commit: (\S+)$", committed, re.MULTILINE)
    assert release is not None
    # What a killed update leaves: the next release's answers, not committed.
    replace_in(half / ".copier-answers.yml", f"_commit: {release[1]}", "_commit: v99.0.0")

    result = run([*FLEET, "status", "--json", half], tmp_path)

    (status,) = json.loads(result.stdout)["services"]
    assert f"v{status['version']}" == release[1]
    assert status["half_finished"] is True
    line = run([*FLEET, "status", half], tmp_path).stdout
    assert "update in progress or left half-finished" in line


@pytest.mark.slow
def test_every_path_given_gets_a_row_with_its_cause(services: Path, tmp_path: Path) -> None:
    no_answers = tmp_path / "no-answers"
    shutil.copytree(services / "untouched", no_answers, symlinks=True)
    git(no_answers, "rm", "--quiet", ".copier-answers.yml")
    git(no_answers, "commit", "--quiet", "-m", "Lose the answers")
    not_a_repository = tmp_path / "not-a-repository"
    shutil.copytree(services / "untouched", not_a_repository, ignore=shutil.ignore_patterns(".git"))
    other = tmp_path / "other-template"
    shutil.copytree(services / "untouched", other, symlinks=True)
    (other / ".copier-answers.yml").write_text("_src_path: gh:someone/else\n_commit: v1.0.0\n")
    git(other, "commit", "--quiet", "--all", "-m", "Another template")
    unreadable = tmp_path / "unreadable"
    shutil.copytree(services / "untouched", unreadable, symlinks=True)
    (unreadable / ".copier-answers.yml").write_text("_commit: [v1\n")
    git(unreadable, "commit", "--quiet", "--all", "-m", "Broken answers")
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    paths = [no_answers, not_a_repository, other, unreadable, empty, tmp_path / "missing"]
    paths.append(services / "untouched")

    commands = {"status": ["status"], "update": ["update", "--test-command", "true"]}
    for command in commands.values():
        result = run([*FLEET, *command, "--json", *paths], tmp_path)

        rows = {row["service"]: row for row in json.loads(result.stdout)["services"]}
        assert result.returncode == 1, output_of(result)
        causes = {name: row.get("error") or row.get("detail") for name, row in rows.items()}
        assert set(causes) == {path.name for path in paths}, command[0]
        assert "no .copier-answers.yml" in causes["no-answers"]
        assert "not a git repository" in causes["not-a-repository"]
        assert "another template" in causes["other-template"]
        assert "not valid YAML" in causes["unreadable"]
        assert "not a service" in causes["empty-folder"]
        assert "no such folder" in causes["missing"]
