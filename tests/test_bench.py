"""The benchmark's own logic: targets judged right, its baseline template is real, and its
fleet section measures every command it names, at a tiny size."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from gov_service_template.bench.cli import parse
from gov_service_template.bench.fleet import (
    FLEET,
    FLEET_COMMANDS,
    GROWTH_WITH_EVERY_PAIR_ONLY,
    FleetRun,
    bench_fleet,
    fleet_figure,
    fleet_pairs,
    fleet_problem,
    render_fleet,
    status_of_100,
    update_branches,
    update_per_core,
)
from gov_service_template.bench.generation import make_empty_template
from gov_service_template.bench.journey import journey_answers, journey_settings, worker_memory
from gov_service_template.bench.report import (
    FLEET_DRIFT_100,
    FLEET_STATUS_100,
    FLEET_UPDATE_OVERHEAD,
    FLEET_UPDATE_PER_CORE,
    Figure,
    Report,
)
from gov_service_template.bench.running import (
    PROGRAMS,
    clean_env,
    copy_command,
    git,
    run,
    update_command,
)
from gov_service_template.releases import git as git_output
from tests.releases import clone_template


def test_targets_judge_ratios_and_values() -> None:
    report = Report(
        figures=[
            Figure("throughput", 80, "req/s", 100, "bare Flask"),
            Figure("generation", 2, "s", 1, "empty template"),
            Figure("start page weight", 160, "KB"),
            Figure("update", 3, "s", 1, "empty template"),
        ]
    )

    figures = {figure["name"]: figure for figure in report.as_json()["figures"]}

    assert figures["throughput"]["ratio"] == 0.8
    assert figures["throughput"]["target_met"] is True
    assert figures["generation"]["target_met"] is False
    assert figures["start page weight"]["target_met"] is False
    assert figures["update"]["target"] is None


def test_the_baseline_template_copies_and_updates(tmp_path: Path) -> None:
    empty = make_empty_template(tmp_path)
    project = tmp_path / "project"

    run(copy_command(empty, project, "--vcs-ref", "v1.0.0"), tmp_path)
    assert (project / "README.md").read_text() == "v1.0.0\n"
    git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Generated")
    run(update_command(), project)

    assert (project / "README.md").read_text() == "v1.0.1\n"


def completed(stdout: object, returncode: int = 0) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess([], returncode, json.dumps(stdout), "")


def test_fleet_figures_show_growth_and_speed_up() -> None:
    runs = [
        FleetRun("status", 10, 1, 5.0),
        FleetRun("status", 10, 2, 3.0),
        FleetRun("status", 40, 1, 24.0),
        FleetRun("status", 40, 2, 12.0),
    ]

    small, large = fleet_figure(runs, runs[1]), fleet_figure(runs, runs[3])

    assert small.name == "fleet status, 10 services, jobs 2"
    assert small.value == pytest.approx(0.3)
    assert small.ratio is None
    assert "baseline for growth" in small.note
    assert large.value == pytest.approx(0.3)
    assert large.ratio == pytest.approx(1.0)  # linear: the same cost per service at 40 as at 10
    assert "2.00 times as fast as jobs 1" in large.note
    assert status_of_100(runs).value == pytest.approx(30)
    assert "extrapolated" in status_of_100(runs).note
    measured = status_of_100([*runs, FleetRun("status", 100, 2, 25.0)])
    assert measured.value == pytest.approx(25)
    assert measured.note.startswith("measured: 100 services in 25.0 s")


def test_fleet_pairs_leave_out_the_largest_fleet_at_fewer_jobs() -> None:
    assert fleet_pairs((10, 40), (1, 2)) == [(10, 1), (10, 2), (40, 2)]
    assert fleet_pairs((40, 10), (2, 1), every_pair=True) == [(10, 1), (10, 2), (40, 1), (40, 2)]


def test_without_growth_only_the_smallest_fleet_runs_unless_every_pair() -> None:
    assert fleet_pairs((10, 40), (1, 2), growth=False) == [(10, 1), (10, 2)]
    assert fleet_pairs((10, 40), (1, 2), every_pair=True, growth=False) == [
        (10, 1),
        (10, 2),
        (40, 1),
        (40, 2),
    ]


def test_update_per_core_counts_only_the_cores_in_use() -> None:
    runs = [FleetRun("update", 40, 4, 40.0)]

    assert update_per_core(runs, core_count=2).value == 2.0
    assert update_per_core(runs, core_count=8).value == 4.0


def test_fleet_problems_name_the_service() -> None:
    envelope = {"schema": "gst-fleet/update", "version": 1, "services": []}
    updated = {"service": "svc-001", "outcome": "updated", "error": None}
    conflicts = {"service": "svc-002", "outcome": "conflicts", "detail": "resolve them"}

    assert fleet_problem("update", completed(envelope | {"services": [updated]}), 1) == ""
    assert fleet_problem("status", completed([{"service": "svc-001", "error": None}]), 1) == ""
    assert fleet_problem("update", completed([updated, conflicts], 1), 2) == (
        "svc-002: conflicts: resolve them"
    )
    assert fleet_problem("status", completed([], 1), 1).startswith("reported 0 services of 1")
    unknown = subprocess.CompletedProcess([], 2, "", "gst-fleet: error: invalid choice: 'x'")
    assert fleet_problem("drift", unknown, 1) == (
        "exit status 2: gst-fleet: error: invalid choice: 'x'"
    )


def test_unavailable_figures_are_reported_with_their_reason() -> None:
    report = Report()
    report.missing(FLEET_STATUS_100, "needs fleet status, which was unavailable")

    assert report.as_json()["unavailable"] == [
        {"name": FLEET_STATUS_100, "reason": "needs fleet status, which was unavailable"}
    ]
    assert report.table().row_count == 1


def test_sections_and_fleet_sizes_parse() -> None:
    options = parse(["--only", "fleet", "--fleet-sizes", "40,10,10"])

    assert options.only == {"fleet"}
    assert options.fleet_sizes == (10, 40)
    assert options.fleet_jobs == (1, 2)
    with pytest.raises(SystemExit):
        parse(["--skip", "nothing-called-this"])


def fleet_has(command: str) -> bool:
    help_run = subprocess.run([*FLEET, command, "--help"], env=clean_env(), capture_output=True)
    return help_run.returncode == 0


def test_the_fleet_section_measures_every_command(tmp_path: Path) -> None:
    """Fleets of one and two services (at one and two jobs, and two services at two jobs;
    update, the costliest, on the smallest fleet only): every figure, or the reason it is
    unavailable."""
    clone = clone_template(tmp_path / "template")
    report = Report()

    bench_fleet(report, tmp_path, clone, sizes=(1, 2), jobs=(1, 2))

    figures = {figure.name: figure for figure in report.figures}
    missing = {item.name: item.reason for item in report.unavailable}
    for command in FLEET_COMMANDS:
        if command != "drift" or fleet_has("drift"):
            assert f"fleet {command}" not in missing
        if f"fleet {command}" in missing:
            assert missing[f"fleet {command}"]
            continue
        growth = command not in GROWTH_WITH_EVERY_PAIR_ONLY
        for size, jobs in [(1, 1), (1, 2), (2, 2)] if growth else [(1, 1), (1, 2)]:
            figure = figures.pop(FleetRun(command, size, jobs, 0).name)
            assert figure.value > 0
            assert figure.unit == "s/service"
            if not growth:
                assert "over 2 services with --fleet-every-pair" in figure.note
            elif size == 1:
                assert "baseline for growth" in figure.note
            else:
                assert figure.ratio
                assert figure.baseline_name == "per service at 1"
    status_100, drift_100 = figures.pop(FLEET_STATUS_100), figures.pop(FLEET_DRIFT_100)
    update_per_service = figures.pop(FLEET_UPDATE_PER_CORE)
    overhead = figures.pop(FLEET_UPDATE_OVERHEAD)
    for at_100 in (status_100, drift_100):
        assert at_100.value > 0
        assert "extrapolated" in at_100.note
        assert "from the 2-service run at jobs 2" in at_100.note
    assert update_per_service.value > 0
    assert "from the 1-service run at jobs 2" in update_per_service.note
    # The fleet's own work beside copier update's: both measured, the note says from what.
    assert overhead.baseline is not None and overhead.baseline > 0
    assert "over 1 service at jobs 1" in overhead.note
    assert figures == {}
    assert report.details["fleet"]["services rendered at"] == clone.previous


def test_the_fleets_services_are_repositories_of_their_own(tmp_path: Path) -> None:
    """The copies of the one rendered service share nothing with it: updating one leaves
    the others as they were."""
    clone = clone_template(tmp_path / "template")
    first, second = render_fleet(tmp_path / "fleet", clone.path, clone.previous, 2)

    answers = yaml.safe_load((second / ".copier-answers.yml").read_text())
    assert answers["_commit"] == clone.previous
    assert not git_output(second, "remote", env=clean_env())
    git(first, "switch", "--quiet", "-c", "template-update")
    (first / "README.md").write_text("changed\n")
    git(first, "commit", "--quiet", "-am", "Changed")

    assert update_branches(second) == []
    assert git_output(second, "status", "--porcelain", env=clean_env()) == ""
    assert (second / "README.md").read_text() != "changed\n"


def test_the_journey_load_reads_the_example_answers_as_given(
    rendered: dict[str, Path], tmp_path: Path
) -> None:
    answers = journey_answers(rendered["defaults"])

    settings = json.loads(journey_settings(answers, tmp_path).read_text())

    assert {"name", "email", "act"} <= set(answers)
    # The answers reach the load as given, line breaks and all.
    assert settings["answers"] == answers
    assert "\n" in answers["act"]["act"]
    assert answers["email"] == {"email": "ada@example.com"}
    assert settings["first_page"] == f"/apply/{next(iter(answers))}"
    slugs = {settings[page].rsplit("/", 1)[1] for page in ("question_page", "answer_posted")}
    assert slugs <= set(answers)


def test_the_programs_the_bench_runs_are_files_with_what_it_calls() -> None:
    programs = {path.name: path.read_text() for path in PROGRAMS.glob("*.py")}

    for user_class in ("QuestionPage", "AnswerPost", "CheckAnswers"):
        assert f"class {user_class}(Journey):" in programs["journey_load.py"]
    assert "class StartPage(" in programs["start_page_load.py"]
    for app in ("bare_start_page.py", "bare_journey.py"):
        assert "def create_app() -> Flask:" in programs[app]


def test_worker_memory_is_read_for_each_child() -> None:
    children = [subprocess.Popen(["sleep", "30"]) for _ in range(2)]
    try:
        sizes = worker_memory(os.getpid())
    finally:
        for child in children:
            child.kill()
            child.wait()

    assert len(sizes) >= 2
    assert all(0 < size < 1000 for size in sizes)
