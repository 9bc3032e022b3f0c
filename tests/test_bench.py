"""The benchmark's own logic: targets judged right, and its baseline template is real."""

from __future__ import annotations

from pathlib import Path

from gov_service_template.bench import (
    Figure,
    Report,
    copy_command,
    git,
    make_empty_template,
    run,
    update_command,
)


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
