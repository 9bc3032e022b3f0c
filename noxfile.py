"""Every task for the template itself: `uvx nox -s <session>`.

demo    render the template with default answers into build/demo and serve it
tests   render several answer sets and run each service's own gates (pytest)
lint    ruff on this repo's Python; actionlint and zizmor on its workflows
typecheck  mypy on src/ (the fleet, bench, parity and vendor tools)
docs    build the MkDocs site, failing on any warning
vendor  refresh the vendored GOV.UK Frontend assets (and component examples) from npm
parity  render GOV.UK Frontend's examples through the service's macros, compare markup
fleet   gst-fleet: status, drift, update and fixup across services
bench   generation, first green, throughput, page weight, update and fleet figures
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "typecheck", "tests", "docs"]

ROOT = Path(__file__).parent
DEMO = ROOT / "build" / "demo"
ROLLOUT_EXAMPLE = "docs/examples/fleet-rollout.yml"


def install(session: nox.Session, *groups: str) -> None:
    """Sync the session's environment to uv.lock: this repo's tools and the named groups."""
    command = ["uv", "sync", "--locked", "--no-default-groups"]
    command += [f"--group={group}" for group in groups]
    session.run_install(*command, env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location})


def outside_this_environment() -> dict[str, str | None]:
    """Environment for commands run inside a rendered service: forget this session's venv."""
    return {"VIRTUAL_ENV": None, "UV_PROJECT_ENVIRONMENT": None, "UV_PYTHON": None}


@nox.session
def demo(session: nox.Session) -> None:
    """Render the template with default answers into build/demo and serve it on :8000."""
    install(session)
    if DEMO.exists():
        shutil.rmtree(DEMO)
    session.run("copier", "copy", "--defaults", "--vcs-ref=HEAD", str(ROOT), str(DEMO))
    session.chdir(DEMO)
    session.run("uv", "run", "nox", "-s", "serve", external=True, env=outside_this_environment())


@nox.session
def tests(session: nox.Session) -> None:
    """Render the answer sets and run every rendered service's own gates."""
    install(session, "test")
    workers = os.environ.get("PYTEST_WORKERS", "auto")
    # loadgroup keeps tests that share an expensive fixture (a fleet of services) together.
    # Cached bytecode, even where the machine says otherwise: the tests start hundreds of
    # Python processes, and compiling every import each time doubles the run.
    session.run(
        "pytest",
        "-n",
        workers,
        "--dist",
        "loadgroup",
        # The slowest tests, so a run creeping towards the time budget says where.
        "--durations=25",
        *session.posargs,
        env={"PYTHONDONTWRITEBYTECODE": None},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff on this repo's own Python (the template is linted inside rendered services),
    and actionlint and zizmor on this repo's workflow and the example roll-out workflow."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("actionlint")
    # template/ holds only .jinja workflows, so this audits .github/workflows alone.
    session.run("zizmor", "--offline", ".")
    # The roll-out workflow platform teams copy is held to the same standard.
    session.run("actionlint", ROLLOUT_EXAMPLE)
    session.run("zizmor", "--offline", ROLLOUT_EXAMPLE)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy on src/: the fleet, bench (its programs too), parity and vendor tools."""
    install(session, "typecheck", "parity", "bench")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into build/site, strictly."""
    install(session, "docs")
    session.run("mkdocs", "build", "--strict", "--site-dir", str(ROOT / "build" / "site"))


@nox.session
def vendor(session: nox.Session) -> None:
    """Refresh template/src/[=package_name=]/static from govuk-frontend on npm, and the
    examples of the components the service renders (parity finds which)."""
    install(session, "parity")
    session.run("gst-vendor", *session.posargs)


@nox.session
def parity(session: nox.Session) -> None:
    """Upstream's examples of each component the service renders, through its macros,
    against upstream's markup; differences must be listed in parity-differences.yml."""
    install(session, "parity")
    session.run("gst-parity", *session.posargs)


@nox.session
def fleet(session: nox.Session) -> None:
    """`uvx nox -s fleet -- status|update PATH...`: the fleet tool (absolute paths)."""
    install(session)
    session.run("gst-fleet", *session.posargs, env=outside_this_environment())


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks beside same-run baselines: prints a table, writes build/bench.json."""
    install(session, "bench")
    session.run("gst-bench", *session.posargs)
