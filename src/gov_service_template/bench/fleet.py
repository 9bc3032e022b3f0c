"""`gst-fleet status`, `drift` and `update` over fleets of services, in seconds per
service, each larger fleet beside the smallest (growth)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gov_service_template.releases import TemplateClone
from gov_service_template.releases import git as git_output

from .report import (
    FLEET_DRIFT_100,
    FLEET_STATUS_100,
    FLEET_UPDATE_OVERHEAD,
    FLEET_UPDATE_PER_CORE,
    Figure,
    Report,
    console,
)
from .running import clean_env, copy_command, git, run, update_command

FLEET = [sys.executable, "-m", "gov_service_template.fleet"]
# Each command as the bench times it; `update` with a test command that does nothing, so
# the figure is the fleet's own work (branch, copier update, re-lock, commit, switch back).
FLEET_COMMANDS = {
    "status": ["status"],
    "drift": ["drift"],
    "update": ["update", "--test-command", "true"],
}
FLEET_BRANCH = "main"
UPDATE_BRANCHES = "template-update*"  # template-update, or template-update/<tag>
# `update` is by far the costliest command (a `copier update` a service, three renders of the
# template), so by default it runs on the smallest fleet only, at every jobs; its growth
# with the fleet (linear in every run so far) needs --fleet-every-pair.
GROWTH_WITH_EVERY_PAIR_ONLY = frozenset({"update"})


class FleetCommandError(RuntimeError):
    """A fleet command did not do what the bench times: its figures are unavailable."""


@dataclass(frozen=True)
class FleetRun:
    command: str
    size: int
    jobs: int
    seconds: float

    @property
    def per_service(self) -> float:
        return self.seconds / self.size

    @property
    def name(self) -> str:
        return f"fleet {self.command}, {service_count(self.size)}, jobs {self.jobs}"


def service_count(count: int) -> str:
    return f"{count} service" if count == 1 else f"{count} services"


def lock(project: Path) -> None:
    """uv.lock, as every service commits one: from uv's cache when warm, else the index."""
    try:
        run(["uv", "lock", "--quiet", "--offline"], project)
    except RuntimeError:
        run(["uv", "lock", "--quiet"], project)


def render_service(template: Path, ref: str, project: Path) -> None:
    """A service at ref, locked and committed as a team's repository is, tasks skipped."""
    answers = {"service_name": "Apply for a fleet permit", "service_slug": project.name}
    data = [f"--data={question}={answer}" for question, answer in answers.items()]
    run(copy_command(template, project, "--skip-tasks", "--vcs-ref", ref, *data), project.parent)
    lock(project)
    git(project, "init", "--quiet", f"--initial-branch={FLEET_BRANCH}")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Generated")


def render_fleet(folder: Path, template: Path, ref: str, size: int) -> list[Path]:
    """size services at ref; smaller fleets are its first ones.

    One service is rendered and the others are copies of its repository, each with its own
    work tree and history: what gst-fleet does to a service does not depend on its answers,
    and rendering forty would take a minute of the bench's ten."""
    folder.mkdir(parents=True, exist_ok=True)
    services = [folder / f"svc-{number:03}" for number in range(1, size + 1)]
    render_service(template, ref, services[0])
    for service in services[1:]:
        shutil.copytree(services[0], service, symlinks=True)
    return services


def reset_services(services: Sequence[Path]) -> None:
    """Back to the rendered commit with no update branches, so every update run does the
    same work."""
    for project in services:
        git(project, "switch", "--quiet", "--force", FLEET_BRANCH)
        git(project, "clean", "--quiet", "-fdx")
        if branches := update_branches(project):
            git(project, "branch", "--quiet", "-D", *branches)


def update_branches(project: Path) -> list[str]:
    listing = ["branch", "--list", UPDATE_BRANCHES, "--format=%(refname:short)"]
    return git_output(project, *listing, env=clean_env()).split()


def fleet_services(output: str) -> list[dict[str, Any]]:
    """The services of a command's --json output: the versioned envelope, or a bare list."""
    document = json.loads(output)
    services = document["services"] if isinstance(document, dict) else document
    return list(services)


def fleet_problem(command: str, result: subprocess.CompletedProcess[str], size: int) -> str:
    """Why a fleet command's run cannot be timed as the bench means it, or "" if it can."""
    lines = (result.stderr or result.stdout).strip().splitlines()
    failure = f"exit status {result.returncode}: {lines[-1] if lines else 'no output'}"
    try:
        services = fleet_services(result.stdout)
    except (ValueError, KeyError, TypeError):
        return failure
    if len(services) != size:
        return f"reported {len(services)} services of {size}; {failure}"
    for service in services:
        error = service.get("error")
        if command == "update" and service.get("outcome") != "updated":
            error = f"{service.get('outcome')}: {service.get('detail')}"
        if error:
            return f"{service.get('service')}: {error}"
    return ""


def time_fleet_command(command: str, services: Sequence[Path], jobs: int, cwd: Path) -> float:
    """Wall time of one fleet command over the services, Python's start-up included."""
    arguments = [*FLEET, *FLEET_COMMANDS[command], "--jobs", str(jobs), "--json", *services]
    started = time.perf_counter()
    result = subprocess.run(
        [str(argument) for argument in arguments],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if problem := fleet_problem(command, result, len(services)):
        raise FleetCommandError(problem)
    return seconds


def fleet_pairs(
    sizes: Sequence[int], jobs: Sequence[int], every_pair: bool = False, growth: bool = True
) -> list[tuple[int, int]]:
    """(size, jobs) to time: the smallest size at every jobs, for the speed-up, and every
    size at the most jobs, for the growth (unless growth is False); or every pair. The
    largest fleet at one job is the slowest run and tells least."""
    smallest, most = min(sizes), max(jobs)
    pairs = [(size, job_count) for size in sorted(sizes) for job_count in sorted(jobs)]
    return [
        pair for pair in pairs if every_pair or pair[0] == smallest or (growth and pair[1] == most)
    ]


def time_fleet_runs(
    command: str, services: Sequence[Path], pairs: Sequence[tuple[int, int]], cwd: Path
) -> list[FleetRun]:
    runs = []
    for size, job_count in pairs:
        if command == "update":
            reset_services(services)
        seconds = time_fleet_command(command, services[:size], job_count, cwd)
        timed = FleetRun(command, size, job_count, seconds)
        runs.append(timed)
        console.print(f"    {timed.name}: {seconds:.1f} s")
    return runs


def fleet_run(runs: Sequence[FleetRun], size: int, jobs: int) -> FleetRun | None:
    return next((timed for timed in runs if timed.size == size and timed.jobs == jobs), None)


def fleet_figure(runs: Sequence[FleetRun], timed: FleetRun) -> Figure:
    """Seconds per service; beside the smallest fleet's at the same jobs, so the ratio is
    how the cost per service grows with the fleet (1.0: linear)."""
    smallest = min(each.size for each in runs)
    fewest_jobs = min(each.jobs for each in runs)
    notes = [f"{service_count(timed.size)} in {timed.seconds:.1f} s"]
    serial = fleet_run(runs, timed.size, fewest_jobs)
    if serial and serial != timed:
        notes.append(f"{serial.seconds / timed.seconds:.2f} times as fast as jobs {fewest_jobs}")
    figure = Figure(timed.name, timed.per_service, "s/service")
    growth_baseline = fleet_run(runs, smallest, timed.jobs)
    if timed.size == smallest:
        if any(each.size > smallest for each in runs):
            notes.append("the smallest fleet: the baseline for growth")
    elif growth_baseline:
        figure.baseline = growth_baseline.per_service
        figure.baseline_name = f"per service at {smallest}"
    figure.note = "; ".join(notes)
    return figure


def largest_run(runs: Sequence[FleetRun]) -> FleetRun:
    """The run the targets are judged on: the largest fleet at the most jobs."""
    return max(runs, key=lambda timed: (timed.size, timed.jobs))


def at_100(name: str, runs: Sequence[FleetRun]) -> Figure:
    """A command over 100 services: measured when a run had 100 or more (per service, times
    100), otherwise extrapolated linearly from the largest run, and said so."""
    basis = largest_run(runs)
    how = (
        f"measured: {basis.size} services in {basis.seconds:.1f} s at jobs {basis.jobs}"
        if basis.size >= 100
        else (
            f"extrapolated linearly, not measured: 100 services * {basis.per_service:.3g} "
            f"s/service, from the {basis.size}-service run at jobs {basis.jobs}"
        )
    )
    return Figure(name, basis.per_service * 100, "s", note=how)


def status_of_100(runs: Sequence[FleetRun]) -> Figure:
    return at_100(FLEET_STATUS_100, runs)


def cores() -> int:
    return os.cpu_count() or 1


def update_per_core(runs: Sequence[FleetRun], core_count: int) -> Figure:
    basis = largest_run(runs)
    used = min(basis.jobs, core_count)
    return Figure(
        FLEET_UPDATE_PER_CORE,
        basis.per_service * used,
        "s",
        note=(
            f"core time one service costs: wall s/service * min(jobs, cores) = "
            f"{basis.per_service:.3g} * min({basis.jobs}, {core_count}), "
            f"from the {basis.size}-service run at jobs {basis.jobs}"
        ),
    )


def add_fleet_targets(report: Report, runs: Mapping[str, Sequence[FleetRun]]) -> None:
    """The figures the fleet's targets judge, each from its command's largest run."""
    for command, name in (("status", FLEET_STATUS_100), ("drift", FLEET_DRIFT_100)):
        if command in runs:
            report.add(at_100(name, runs[command]))
        else:
            report.missing(name, f"needs fleet {command}, which was unavailable")
    if "update" in runs:
        report.add(update_per_core(runs["update"], cores()))
    else:
        report.missing(FLEET_UPDATE_PER_CORE, "needs fleet update, which was unavailable")


def copier_update_alone(service: Path, work: Path, clone: TemplateClone) -> float:
    """`copier update` by itself, as gst-fleet runs it, on a copy of one of the services."""
    copy = work / "copier-update-alone" / service.name
    reset_services([service])
    shutil.copytree(service, copy, symlinks=True)
    return run(update_command("--skip-answered", "--vcs-ref", clone.latest), copy)


def update_overhead(runs: Sequence[FleetRun], copier_seconds: float) -> Figure:
    """What gst-fleet adds to `copier update` per service: its own work tree, the fix-ups,
    `uv lock`, the commit, its checks (the test command is `true`)."""
    serial = min(runs, key=lambda timed: (timed.jobs, timed.size))
    return Figure(
        FLEET_UPDATE_OVERHEAD,
        serial.per_service - copier_seconds,
        "s/service",
        copier_seconds,
        "copier update alone",
        f"{serial.per_service:.2f} s/service over {service_count(serial.size)} at jobs "
        f"{serial.jobs}, less copier update's {copier_seconds:.2f} s",
    )


def bench_fleet(
    report: Report,
    work: Path,
    clone: TemplateClone,
    sizes: Sequence[int],
    jobs: Sequence[int],
    every_pair: bool = False,
) -> None:
    """Time each fleet command over fleets of each size, at each number of jobs."""
    started = time.perf_counter()
    services = render_fleet(work / "fleet", clone.path, clone.previous, max(sizes))
    rendering = time.perf_counter() - started
    console.print(f"    {len(services)} services at {clone.previous}: {rendering:.1f} s")
    runs: dict[str, list[FleetRun]] = {}
    for command in FLEET_COMMANDS:
        growth = command not in GROWTH_WITH_EVERY_PAIR_ONLY
        pairs = fleet_pairs(sizes, jobs, every_pair, growth)
        left_out = max(sizes) > max(size for size, _jobs in pairs)
        try:
            runs[command] = time_fleet_runs(command, services, pairs, work)
        except FleetCommandError as failure:
            report.missing(f"fleet {command}", str(failure))
            continue
        for timed in runs[command]:
            figure = fleet_figure(runs[command], timed)
            if left_out:
                figure.note += f"; over {max(sizes)} services with --fleet-every-pair"
            report.add(figure)
    add_fleet_targets(report, runs)
    if "update" in runs:
        report.add(update_overhead(runs["update"], copier_update_alone(services[0], work, clone)))
    report.details["fleet"] = {
        "services rendered at": clone.previous,
        "newest release": clone.latest,
        "render (s)": rendering,
        "runs (s)": [asdict(timed) for command_runs in runs.values() for timed in command_runs],
    }
