"""Render each answer set and run the service's own gates, as its CI would.

The default answers run every gate. The other answer sets run lint, tests and e2e, and
the gates their answers change: a Python version changes the base image and what mypy
sees, names change the manifests, the database and deploy target change what is deployed.
The standalone answers' lint, typecheck, tests and e2e run in test_own_journey.py, on a
journey a team made its own.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.support import GATED_ANSWER_SETS, JOURNEY_GATES, output_of, render, run

pytestmark = pytest.mark.slow

EVERY_GATE = ["lint", "typecheck", "tests", "e2e", "audit", "docker-lint", "manifests", "workflows"]
GATES: dict[str, list[str]] = {
    "defaults": EVERY_GATE,
    # Its lint, typecheck, tests and e2e run in test_own_journey.py, on a team's journey.
    "standalone-live-py312": ["docker-lint"],
    "beta-custom-names-py313": ["lint", "typecheck", "tests", "e2e", "manifests"],
    "postgresql-kubernetes-pay": ["lint", "typecheck", "tests", "manifests", "workflows"],
    # The fee without Notify. Its end-to-end tests (paying, cancelling, declines) run in
    # beta-custom-names-py313, which has the fee too; the unit tests cover Notify's part.
    "no-deploy-target-pay": ["lint", "typecheck", "tests", "workflows"],
}
# pip-audit asks PyPI's JSON API about each locked release; a stable one to try first.
VULNERABILITY_DATA = "https://pypi.org/pypi/flask/3.0.0/json"


def vulnerability_data_reachable() -> bool:
    try:
        with urllib.request.urlopen(VULNERABILITY_DATA, timeout=10) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, TimeoutError):
        return False


def nox(project: Path, *sessions: str) -> Any:
    return run(["uv", "run", "--locked", "nox", "-s", *sessions], project, timeout=1800)


def test_every_answer_set_has_gates() -> None:
    assert set(GATES) == set(GATED_ANSWER_SETS)
    assert set(EVERY_GATE) == set(GATES["defaults"])
    for name, gates in GATES.items():
        on_a_teams_journey = JOURNEY_GATES.get(name, [])
        assert {"lint", "typecheck", "tests"} <= set(gates) | set(on_a_teams_journey), name


@pytest.mark.parametrize("name", list(GATES))
def test_generated_service_passes_its_own_gates(tmp_path: Path, name: str) -> None:
    project = render(tmp_path / "service", GATED_ANSWER_SETS[name])
    gates = GATES[name]
    audit_offline = "audit" in gates and not vulnerability_data_reachable()
    if audit_offline:
        gates = [gate for gate in gates if gate != "audit"]

    result = nox(project, *gates)

    assert result.returncode == 0, output_of(result)
    if audit_offline:
        # Without PyPI's vulnerability data the audit must fail, never pass unchecked,
        # and bandit (which needs no network) must still have run clean first.
        audit = nox(project, "audit")
        assert audit.returncode != 0, output_of(audit)
        assert "could not be audited" in audit.stdout + audit.stderr, output_of(audit)
        assert "nox > bandit" in audit.stderr, output_of(audit)
        assert "Issue: [" not in audit.stdout, output_of(audit)
