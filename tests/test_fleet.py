"""The fleet tool on ten services: status reports each correctly; update updates the clean
ones on branches, reports the conflict and the failing tests, skips the dirty one, and
rewrites no history."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.version import Version

from tests.releases import TemplateClone, clone_template
from tests.support import ROOT, output_of, render, replace_in, run, template_source

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("fleet")]

PRIVACY = "src/{package}/pages/templates/pages/privacy.html"
FLEET = [sys.executable, "-m", "gov_service_template.fleet"]
EDITED = {"svc-02", "svc-03"}
DIRTY = "svc-04"
CONFLICTING = "svc-05"
# A team test pinned to wording the new release changes: the update applies, its tests fail.
FAILING_TESTS = "svc-06"
TEAM_TEST = """\
from flask.testing import FlaskClient


def test_privacy_notice_keeps_our_wording(client: FlaskClient) -> None:
    html = client.get("/privacy").get_data(as_text=True)
    assert "We do not use it for marketing." in html
"""
# The privacy notice's tests: enough to prove the command runs, and quick for ten services.
TEST_COMMAND = "uv run --locked pytest -q -x tests/unit -k privacy"


@dataclass(frozen=True)
class Fleet:
    template: TemplateClone
    folder: Path
    old: str
    new: str


def git(project: Path, *args: str) -> str:
    result = run(["git", *args], project)
    assert result.returncode == 0, output_of(result)
    return result.stdout.strip()


def privacy(project: Path) -> Path:
    return next(project.glob(PRIVACY.format(package="*")))


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    template = clone_template(tmp_path_factory.mktemp("template") / "template")
    folder = tmp_path_factory.mktemp("services")
    old = template.latest
    for number in range(1, 11):
        name = f"svc-{number:02}"
        answers = {
            "service_name": f"Apply for permit number {number}",
            "service_slug": name,
            "phase": ("alpha", "beta", "live")[number % 3],
            "on_govuk": number % 2 == 0,
        }
        project = render(folder / name, answers, source=template.path, vcs_ref=old)
        if name in EDITED:
            replace_in(privacy(project), "How long we keep it", "How long we keep your information")
            git(project, "commit", "--quiet", "-am", "Clearer heading")
        if name == CONFLICTING:
            replace_in(privacy(project), "We do not use it for marketing.", "No marketing, ever.")
            git(project, "commit", "--quiet", "-am", "Our wording")
        if name == FAILING_TESTS:
            (project / "tests" / "unit" / "test_our_privacy_wording.py").write_text(TEAM_TEST)
            git(project, "add", "--all")
            git(project, "commit", "--quiet", "-m", "Keep our privacy wording")
        if name == DIRTY:
            replace_in(privacy(project), "Who we are", "About us")  # never committed

    def reword_privacy(root: Path) -> None:
        replace_in(
            template_source(root, PRIVACY),
            "We do not use it for marketing.",
            "We never use it for marketing.",
        )

    new = template.release(reword_privacy, "Reword the privacy notice")
    return Fleet(template=template, folder=folder, old=old, new=new)


def fleet_json(*args: str | Path) -> tuple[int, list[dict[str, object]]]:
    """The exit code, and the services of the versioned JSON document (docs/fleet-json.md)."""
    result = run([*FLEET, *args, "--json"], Path.cwd())
    assert result.stdout.strip(), output_of(result)
    document = json.loads(result.stdout)
    assert document["schema"] == f"gst-fleet/{args[0]}"
    assert document["version"] == 1
    return result.returncode, document["services"]


def test_status_reports_every_service(fleet: Fleet) -> None:
    code, statuses = fleet_json("status", fleet.folder)

    assert code == 0
    assert [status["service"] for status in statuses] == [f"svc-{n:02}" for n in range(1, 11)]
    for status in statuses:
        assert status["error"] is None
        assert Version(str(status["version"])) == Version(fleet.old)
        assert Version(str(status["latest"])) == Version(fleet.new)
        assert status["behind"] == 1
        assert status["dirty"] == (status["service"] == DIRTY)
        answers = status["answers"]
        assert isinstance(answers, dict)
        assert answers["service_slug"] == status["service"]
        assert answers["phase"] in ("alpha", "beta", "live")


def test_status_reads_a_list_file(fleet: Fleet, tmp_path: Path) -> None:
    listing = tmp_path / "services.txt"
    listing.write_text(f"# our services\n{fleet.folder / 'svc-01'}\n{fleet.folder / 'svc-07'}\n")

    code, statuses = fleet_json("status", listing)

    assert code == 0
    assert [status["service"] for status in statuses] == ["svc-01", "svc-07"]


def test_the_documented_nox_command_works(fleet: Fleet) -> None:
    # As docs/platform.md writes it: uvx nox -s fleet -- status /srv/services
    result = run(["uvx", "nox", "-s", "fleet", "--", "status", fleet.folder], ROOT)

    assert result.returncode == 0, output_of(result)
    assert "svc-10" in result.stdout
    assert "Services made from the template" in result.stdout


def test_update_touches_only_what_it_should(fleet: Fleet) -> None:
    projects = sorted(fleet.folder.iterdir())
    before = {
        p.name: (git(p, "rev-parse", "HEAD"), git(p, "status", "--porcelain")) for p in projects
    }

    logs = fleet.folder.parent / "logs"
    code, results = fleet_json(
        "update", fleet.folder, "--test-command", TEST_COMMAND, "--logs", logs
    )

    assert code == 1, "a conflict makes the run fail, so a pipeline notices"
    outcomes = {str(result["service"]): result for result in results}
    branch = "template-update"
    for project in projects:
        name = project.name
        result = outcomes[name]
        head, status = before[name]
        # The branch the team works on is exactly as it was, working tree included.
        assert git(project, "branch", "--show-current") == "main"
        assert git(project, "rev-parse", "HEAD") == head
        assert git(project, "status", "--porcelain") == status
        assert result["branch"] == branch
        assert git(project, "rev-parse", f"{branch}~1") == head, "one commit on top"
        if name == CONFLICTING:
            assert result["outcome"] == "conflicts"
            assert result["conflicts"] == [str(privacy(project).relative_to(project))]
            assert "<<<<<<< before updating" in git(
                project, "show", f"{branch}:{result['conflicts'][0]}"
            )
        elif name == FAILING_TESTS:
            assert result["outcome"] == "tests failed"
            assert "test_privacy_notice_keeps_our_wording" in str(result["log"])
            # Every command of the update, with its whole output, kept in the run's logs.
            log = Path(str(result["log_file"]))
            assert log.parent == logs
            assert "copier update" in log.read_text()
            assert "test_privacy_notice_keeps_our_wording" in log.read_text()
        else:
            assert result["outcome"] == "updated", f"{result['detail']}\n{result['log']}"
            assert result["log_file"] is None
            updated = git(project, "show", f"{branch}:{privacy(project).relative_to(project)}")
            assert "We never use it for marketing." in updated
            # Made from what was committed: work under way stays in the work tree only.
            assert ("About us" in updated) is False
            if name in EDITED:
                assert "How long we keep your information" in updated
