"""Faults in a fleet run: a tool missing, a command failing, hanging or crashing, Ctrl-C.
Each leaves every service exactly as it was (its branch, its head, its work tree, no new
branch), says why, and the run goes on with the other services."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.releases import TemplateClone, clone_template
from tests.support import output_of, project_env, render, replace_in, run, template_source

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("fleet-faults")]

FLEET = [sys.executable, "-m", "gov_service_template.fleet"]
NAMES = ("svc-1", "svc-2", "svc-3")
Snapshot = tuple[str, str, str, str]


def snapshot(project: Path) -> Snapshot:
    """Everything a fault could leave changed: branch, head, work tree, branches."""

    def git(*args: str) -> str:
        return run(["git", *args], project).stdout

    return (
        git("branch", "--show-current"),
        git("rev-parse", "HEAD"),
        git("status", "--porcelain", "--untracked-files=all"),
        git("branch", "--list", "--format=%(refname:short) %(objectname)"),
    )


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> tuple[TemplateClone, Path]:
    """Three services one release behind (an update with no conflicts), and tools."""
    template = clone_template(tmp_path_factory.mktemp("template") / "template")
    folder = tmp_path_factory.mktemp("services")
    for name in NAMES:
        render(folder / name, {"service_slug": name}, source=template.path, vcs_ref=template.latest)

    def reword_start_page_and_add_a_dependency(root: Path) -> None:
        start = template_source(root, "src/{package}/pages/templates/pages/start.html")
        replace_in(start, "It takes around 10 minutes.", "It takes about 10 minutes.")
        # A new dependency, so the update re-locks with uv (Flask's own: cached already).
        gunicorn = '"gunicorn>=23",\n'
        replace_in(
            root / "template/pyproject.toml.jinja",
            gunicorn,
            f'{gunicorn}    "itsdangerous>=2.2",\n',
        )

    template.release(reword_start_page_and_add_a_dependency, "Reword the start page")
    return template, folder


@pytest.fixture
def services(fleet: tuple[TemplateClone, Path]) -> list[Path]:
    return [fleet[1] / name for name in NAMES]


def fleet_update(*args: str | Path, **env: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    result = run([*FLEET, "update", "--json", *args], Path.cwd(), **env)
    document = json.loads(result.stdout) if result.stdout.strip() else {"services": []}
    return result, {entry["service"]: entry for entry in document["services"]}


def bin_folder(folder: Path, *tools: str) -> Path:
    """A PATH of its own holding only the named tools (links to the real ones)."""
    folder.mkdir(exist_ok=True)
    for tool in tools:
        found = shutil.which(tool)
        assert found, tool
        (folder / tool).symlink_to(found)
    return folder


def test_a_missing_tool_refuses_the_run_and_touches_nothing(
    services: list[Path], tmp_path: Path
) -> None:
    before = [snapshot(service) for service in services]
    path = bin_folder(tmp_path / "bin", "git", "true")  # no uv

    result, outcomes = fleet_update("--test-command", "true", *services, PATH=str(path))

    assert result.returncode == 2, output_of(result)
    assert "uv is not on PATH" in result.stderr
    assert "no service was touched" in result.stderr
    assert "Traceback" not in result.stderr
    assert outcomes == {}
    assert [snapshot(service) for service in services] == before


def test_a_tool_failing_in_one_service_leaves_it_as_it_was_and_the_run_goes_on(
    services: list[Path], tmp_path: Path
) -> None:
    before = {service.name: snapshot(service) for service in services}
    path = bin_folder(tmp_path / "bin")
    real_uv = shutil.which("uv")
    fake_uv = path / "uv"
    # uv works, except in svc-2, where it is as if it had vanished mid-run.
    fake_uv.write_text(
        "#!/bin/sh\n"
        'case "$PWD" in */svc-2) echo "uv: not found" >&2; exit 127;; esac\n'
        f'exec {real_uv} "$@"\n'
    )
    fake_uv.chmod(0o755)

    in_front = f"{path}{os.pathsep}{os.environ['PATH']}"
    result, outcomes = fleet_update("--test-command", "true", *services, PATH=in_front)

    assert result.returncode == 1, output_of(result)
    assert outcomes["svc-2"]["outcome"] == "error"
    assert "uv lock failed" in outcomes["svc-2"]["detail"]
    assert snapshot(services[1]) == before["svc-2"], "put back exactly as it was"
    for name in ("svc-1", "svc-3"):
        assert outcomes[name]["outcome"] == "updated", outcomes[name]
        project = services[NAMES.index(name)]
        branch, head, status, _ = before[name]
        assert snapshot(project)[:3] == (branch, head, status)
        assert run(["git", "branch", "-D", "template-update"], project).returncode == 0


def test_a_command_hanging_past_the_timeout_is_stopped(services: list[Path]) -> None:
    before = snapshot(services[0])
    hang = f"{sys.executable} -c 'import time; time.sleep(120)'"

    started = time.monotonic()
    result, outcomes = fleet_update("--test-command", hang, "--timeout", "25", services[0])

    assert time.monotonic() - started < 100
    assert result.returncode == 1, output_of(result)
    assert outcomes["svc-1"]["outcome"] == "error"
    assert "took longer than 25 s" in outcomes["svc-1"]["detail"]
    assert snapshot(services[0]) == before


def test_a_crashing_command_is_an_error_not_a_test_result(services: list[Path]) -> None:
    before = snapshot(services[2])
    crash = f"{sys.executable} -c 'import os, signal; os.kill(os.getpid(), signal.SIGSEGV)'"

    result, outcomes = fleet_update("--test-command", crash, services[2])

    assert result.returncode == 1, output_of(result)
    assert outcomes["svc-3"]["outcome"] == "error"
    assert "crashed (SIGSEGV)" in outcomes["svc-3"]["detail"]
    assert snapshot(services[2]) == before


def test_ctrl_c_stops_the_run_and_puts_every_service_back(
    services: list[Path], tmp_path: Path
) -> None:
    before = [snapshot(service) for service in services]
    marker = tmp_path / "tests-started"
    script = f"import pathlib, time; pathlib.Path({str(marker)!r}).touch(); time.sleep(120)"
    slow_tests = f'{sys.executable} -c "{script}"'
    command = [*FLEET, "update", "--json", "--jobs", "1", "--test-command", slow_tests]
    fleet = subprocess.Popen(
        [*command, *map(str, services)],
        env=project_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists() and fleet.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), "the first service's tests started"

    fleet.send_signal(signal.SIGINT)
    stdout, stderr = fleet.communicate(timeout=120)

    assert fleet.returncode == 130, stderr
    outcomes = {entry["service"]: entry for entry in json.loads(stdout)["services"]}
    assert outcomes["svc-1"]["outcome"] == "error"
    assert "interrupted" in outcomes["svc-1"]["detail"]
    assert {outcomes[name]["outcome"] for name in ("svc-2", "svc-3")} == {"not run"}
    assert "put back as it was" in stderr
    assert "Traceback" not in stderr
    assert [snapshot(service) for service in services] == before


STAGES = ("copier update", "fix-ups", "uv lock", "commit", "tests")


def tree_hash(project: Path) -> str:
    """Every file of the work tree (git's own folder aside), names and contents."""
    digest = hashlib.sha256()
    for path in sorted(project.rglob("*")):
        if ".git" in path.relative_to(project).parts or path.is_dir():
            continue
        digest.update(str(path.relative_to(project)).encode() + b"\0")
        digest.update(str(path.readlink()).encode() if path.is_symlink() else path.read_bytes())
    return digest.hexdigest()


def team_state(project: Path) -> tuple[str, ...]:
    """What the team has: checked-out branch, HEAD, status, index and files."""
    branch, head, status, _branches = snapshot(project)
    index = run(["git", "ls-files", "--stage"], project).stdout
    return (branch, head, status, index, tree_hash(project))


def processes_in(folder: Path) -> list[str]:
    """Processes working in folder (their current directory is in it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = (entry / "cwd").readlink()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if cwd == folder or folder in cwd.parents:
            found.append(f"{entry.name}: {command} (in {cwd})")
    return found


def test_sigkill_at_any_stage_leaves_the_team_as_it_was_and_the_next_run_finishes(
    services: list[Path], tmp_path: Path
) -> None:
    # Work under way in a team's tree: the update must neither need nor touch it.
    replace_in(services[0] / "README.md", "#", "# (draft)", count=1)
    work = tmp_path / "run"
    temporary = tmp_path / "tmp"
    work.mkdir()
    temporary.mkdir()
    before = {service.name: team_state(service) for service in services}

    for stage in STAGES:
        test_command = "sleep 60" if stage == "tests" else "true"
        command = [*FLEET, "update", "--json", "--jobs", "2", "--test-command", test_command]
        env = {"GST_FLEET_FAULT_TEST_KILL_AT": stage, "TMPDIR": str(temporary)}
        killed = run([*command, *services], work, timeout=600, **env)

        assert killed.returncode == -signal.SIGKILL, f"{stage}: {output_of(killed)}"
        assert {service.name: team_state(service) for service in services} == before, stage
        deadline = time.monotonic() + 20
        while processes_in(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert processes_in(tmp_path) == [], f"left running after a kill at {stage}"

    result, outcomes = fleet_update("--test-command", "true", *services, TMPDIR=str(temporary))

    assert result.returncode == 0, output_of(result)
    recovered = []
    for service in services:
        assert outcomes[service.name]["outcome"] == "updated", outcomes[service.name]
        recovered += outcomes[service.name]["recovered"]
        assert team_state(service) == before[service.name]
        assert run(["git", "worktree", "list"], service).stdout.count("\n") == 1
        assert run(["git", "branch", "-D", "template-update"], service).returncode == 0
    assert any("took over the lock of a run that stopped" in line for line in recovered)
    assert any("removed the work tree a stopped run left" in line for line in recovered)
    run(["git", "checkout", "--", "README.md"], services[0])


def test_a_service_another_live_run_holds_is_skipped(services: list[Path]) -> None:
    service = services[1]
    # A run still going, as far as the lock can tell: a live process of the tool's.
    other_run = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)", "gov_service_template.fleet"]
    )
    lock = service / ".git" / "gst-fleet.lock"
    lock.write_text(json.dumps({"pid": other_run.pid, "host": socket.gethostname()}))
    try:
        result, outcomes = fleet_update("--test-command", "true", service)
    finally:
        other_run.kill()
        other_run.wait()
    holder = json.loads(lock.read_text())
    lock.unlink()

    assert outcomes[service.name]["outcome"] == "skipped", output_of(result)
    assert f"process {other_run.pid}" in outcomes[service.name]["detail"]
    assert holder["pid"] == other_run.pid, "a live run's lock is left to it"
