"""Generation, time to first green and `copier update`, each beside an empty template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .report import Figure, Report, console
from .running import SET_UP, copy_command, git, median_of, run, update_command


def make_empty_template(folder: Path) -> Path:
    """The smallest template Copier will copy and update: its start-up and git, nothing else."""
    template = folder / "empty-template"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text("_subdirectory: template\nname:\n  default: x\n")
    (template / "template" / "{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml -}}\n"
    )
    readme = template / "template" / "README.md"
    git(template, "init", "--quiet")
    for release in ("v1.0.0", "v1.0.1"):
        readme.write_text(f"{release}\n")
        git(template, "add", "--all")
        git(template, "commit", "--quiet", "-m", f"Release {release}")
        git(template, "tag", release)
    return template


def bench_generation(report: Report, work: Path, template: Path, empty: Path, runs: int) -> None:
    def copy(source: Path, name: str, *extra: str) -> Callable[[int], float]:
        return lambda index: run(copy_command(source, work / f"{name}-{index}", *extra), work)

    def copy_and_set_up(index: int) -> float:
        project = work / f"set-up-{index}"
        return copy(template, "set-up")(index) + run(SET_UP, project)

    floor = median_of(runs, copy(empty, "empty"))
    ours = median_of(runs, copy(template, "ours"))
    with_set_up = median_of(max(1, runs // 2), copy_and_set_up)
    report.details["generation (s)"] = {
        "empty template": floor,
        "this template": ours,
        "this template, then its set-up": with_set_up,
        "runs": runs,
    }
    report.add(Figure("generation", ours, "s", floor, "empty template", f"median of {runs}"))
    report.add(
        Figure(
            "generation with set-up",
            with_set_up,
            "s",
            floor,
            "empty template",
            "plus `nox -s setup`: uv lock (warm cache), git init and first commit",
        )
    )


def bench_first_green(report: Report, work: Path, template: Path) -> Path:
    project = work / "first-green"
    stages: dict[str, Callable[[], float]] = {
        "copier copy": lambda: run(copy_command(template, project), work),
        "set-up": lambda: run(SET_UP, project),
        "uv sync": lambda: run(["uv", "sync", "--locked"], project),
        "unit tests": lambda: run(
            ["uv", "run", "--locked", "pytest", "tests/unit", "--numprocesses=auto"], project
        ),
        "e2e tests with axe": lambda: run(
            ["uv", "run", "--locked", "pytest", "tests/e2e", "--numprocesses=auto"], project
        ),
    }
    timings = {stage: measure() for stage, measure in stages.items()}
    report.details["first green stages (s)"] = timings
    for stage, seconds in timings.items():
        console.print(f"    {stage}: {seconds:.1f} s")
    unit = sum(list(timings.values())[:4])
    stages_text = ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in timings.items())
    note = "copy + set-up + uv sync + unit tests"
    report.add(Figure("first green, unit tests", unit, "s", note=note))
    report.add(Figure("first green, with e2e", sum(timings.values()), "s", note=stages_text))
    return project


def bench_update(report: Report, work: Path, template: Path, previous: str, empty: Path) -> None:
    def updated(source: Path, name: str, ref: str) -> float:
        project = work / f"update-{name}"
        run(copy_command(source, project, "--vcs-ref", ref), work)
        if not (project / ".git").exists():
            git(project, "init", "--quiet")
            git(project, "add", "--all")
            git(project, "commit", "--quiet", "-m", "Generated")
        return run(update_command(), project)

    floor = updated(empty, "empty", "v1.0.0")
    ours = updated(template, "ours", previous)
    report.add(
        Figure("update", ours, "s", floor, "empty template", f"copier update from {previous}")
    )
