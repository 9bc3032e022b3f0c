"""The bench's command line: which sections run, and the report they make."""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rich.console import Console

from gov_service_template.releases import ROOT, clone_template

from .fleet import bench_fleet
from .generation import bench_generation, bench_update, make_empty_template
from .report import Report, console
from .running import clean_env
from .service import bench_service

DESCRIPTION = "Benchmarks for the template, each figure beside a baseline measured in the same run."


def describe_machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo")
    models = (
        [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
         if line.startswith("model name")]
        if cpuinfo.exists()
        else []
    )  # fmt: skip
    meminfo = Path("/proc/meminfo")
    memory = meminfo.read_text().splitlines()[0].split(":")[1].strip() if meminfo.exists() else ""
    return {
        "cpus": os.cpu_count(),
        "cpu model": models[0] if models else platform.processor(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "copier": version("copier"),
    }


SECTIONS = ("generation", "service", "update", "fleet")


def section_names(text: str) -> frozenset[str]:
    """Comma-separated section names, each one of SECTIONS."""
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    if not names or not names <= set(SECTIONS):
        choices = ", ".join(SECTIONS)
        raise argparse.ArgumentTypeError(f"{text!r}: name sections from {choices}")
    return names


def positive_numbers(text: str) -> tuple[int, ...]:
    """Comma-separated whole numbers of at least 1, smallest first, each once."""
    try:
        numbers = tuple(sorted({int(part) for part in text.split(",")}))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: give numbers like 10,40") from error
    if min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: every number must be at least 1")
    return numbers


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gst-bench", description=DESCRIPTION)
    parser.add_argument("--runs", type=int, default=5, help="generation runs (median)")
    parser.add_argument("--seconds", type=int, default=15, help="load time per server")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers, both apps")
    parser.add_argument(
        "--rounds", type=int, default=3, help="journey loads per server, in turn (median ratio)"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument(
        "--profile", action="store_true", help="also profile each measured page with pyinstrument"
    )
    parser.add_argument(
        "--fleet-sizes", type=positive_numbers, default=(10, 100), help="services (10,100)"
    )
    parser.add_argument(
        "--fleet-jobs", type=positive_numbers, default=(1, 2), help="gst-fleet --jobs (1,2)"
    )
    parser.add_argument(
        "--fleet-every-pair",
        action="store_true",
        help="every fleet size at every jobs (by default the fewer jobs run on the smallest)",
    )
    chosen = parser.add_mutually_exclusive_group()
    sections = ", ".join(SECTIONS)
    chosen.add_argument("--only", type=section_names, help=f"run only these of: {sections}")
    chosen.add_argument("--skip", type=section_names, default=frozenset(), help="leave these out")
    return parser.parse_args(argv)


def run_sections(options: argparse.Namespace, report: Report, work: Path) -> None:
    sections = options.only or frozenset(SECTIONS) - options.skip
    console.print("[bold]Cloning the template[/bold] (uncommitted work included)")
    clone = clone_template(work / "template", env=clean_env())
    empty = make_empty_template(work)
    timings: dict[str, float] = {}
    for section in (name for name in SECTIONS if name in sections):
        console.print(f"[bold]{section.capitalize()}[/bold]")
        started = time.perf_counter()
        if section == "generation":
            bench_generation(report, work, clone.path, empty, options.runs)
        elif section == "service":
            bench_service(report, work, clone.path, options)
        elif section == "update":
            bench_update(report, work, clone.path, clone.previous, empty)
        else:
            sizes, jobs = options.fleet_sizes, options.fleet_jobs
            bench_fleet(report, work, clone, sizes, jobs, options.fleet_every_pair)
        timings[section] = time.perf_counter() - started
    report.details["section wall time (s)"] = timings


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    report = Report(machine=describe_machine())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gst-bench-") as folder:
        run_sections(options, report, Path(folder))
    report.details["bench wall time (s)"] = time.perf_counter() - started
    # Wide enough for the table whatever the terminal (or none, in CI logs).
    Console(width=160).print(report.table())
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report.as_json(), indent=2) + "\n")
    console.print(f"Written to {options.output}")
    return 0
