"""One rendered service, measured: first green, throughput beside bare Flask, the journey,
page weight, and (with --profile) where its requests spend their time."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Mapping
from pathlib import Path

from .generation import bench_first_green
from .journey import JourneyOptions, bench_journey
from .page_weight import bench_page_weight
from .profiling import profile_journey
from .report import Figure, Report, console
from .running import PROGRAMS, fetch, gunicorn, load, package_of, run

UUID = "00000000-0000-4000-8000-000000000000"
# The service as production runs it. Notify's key has the right shape and is never used:
# the start page sends no email.
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "bench-" + "0123456789abcdef" * 4,
    "NOTIFY_API_KEY": f"bench-{UUID}-{UUID}",
    "NOTIFY_CONFIRMATION_TEMPLATE_ID": UUID,
    "NOTIFY_SAVED_ANSWERS_TEMPLATE_ID": UUID,
    "LOG_LEVEL": "WARNING",
    # Ten users on one address post far faster than people do: the limit is counted, as in
    # production, and never reached, so the figures are the pages' and not the 429 page's.
    "RATE_LIMIT_POSTS": "10000000 per minute",
}


def prepare_database(project: Path) -> dict[str, str]:
    """The production settings, with a migrated SQLite database of the service's own."""
    env = PRODUCTION | {"DATABASE_URL": f"sqlite:///{project / 'instance' / 'bench.sqlite3'}"}
    (project / "instance").mkdir(exist_ok=True)
    upgrade = ["uv", "run", "--locked", "flask", "--app", package_of(project), "db", "upgrade"]
    run(upgrade, project, **env)
    return env


def bench_throughput(
    report: Report, work: Path, project: Path, env: Mapping[str, str], seconds: int, workers: int
) -> None:
    users = 10
    with gunicorn(project, f"{package_of(project)}:create_app()", workers, env) as server:
        page = fetch(f"{server.url}/")
        service = load(server.url, seconds, users, work, "service")
    bare = work / "bare"
    bare.mkdir(exist_ok=True)
    shutil.copy(PROGRAMS / "bare_start_page.py", bare)
    (bare / "start.html").write_text(page)
    bare_env = {**env, "PYTHONPATH": str(bare)}
    with gunicorn(project, "bare_start_page:create_app()", workers, bare_env) as server:
        if fetch(f"{server.url}/") != page:
            raise RuntimeError("the bare Flask app must serve the service's start page")
        baseline = load(server.url, seconds, users, work, "bare")
    report.details["throughput"] = {
        "service": service,
        "bare Flask": baseline,
        "gunicorn workers": workers,
        "locust users": users,
        "seconds each": seconds,
    }
    report.add(
        Figure(
            "throughput",
            service["requests_per_second"],
            "req/s",
            baseline["requests_per_second"],
            "bare Flask",
            f"p50/p99 {service['p50_ms']:.0f}/{service['p99_ms']:.0f} ms; "
            f"bare {baseline['p50_ms']:.0f}/{baseline['p99_ms']:.0f} ms",
        )
    )


def bench_service(report: Report, work: Path, template: Path, options: argparse.Namespace) -> None:
    """First green, throughput and page weight, on one rendered service."""
    project = bench_first_green(report, work, template)
    console.print("[bold]Throughput[/bold]")
    env = prepare_database(project)
    bench_throughput(report, work, project, env, options.seconds, options.workers)
    console.print("[bold]The journey[/bold]")
    journey = JourneyOptions(options.seconds, options.workers, options.rounds)
    bench_journey(report, work, project, env, journey)
    console.print("[bold]Page weight[/bold]")
    bench_page_weight(report, project, env, options.workers)
    if options.profile:
        profile_journey(project, env)
