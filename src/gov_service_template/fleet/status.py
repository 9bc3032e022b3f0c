"""`gst-fleet status`: which release each service is on, and how far behind it is."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from gov_service_template.fleet.report import json_report
from gov_service_template.fleet.services import ServiceStatus, in_parallel, service_status


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("status", help="template version of every service")
    parser.set_defaults(handler=run)


def status_table(statuses: list[ServiceStatus]) -> Table:
    table = Table(title="Services made from the template")
    for column in ("Service", "Version", "Latest", "Behind", "Uncommitted", "Answers"):
        table.add_column(column)
    for status in statuses:
        answers = ", ".join(f"{key}={value}" for key, value in sorted(status.answers.items()))
        table.add_row(
            status.service,
            status.version or "?",
            status.latest or "?",
            "?" if status.behind is None else str(status.behind),
            "yes" if status.dirty else "no",
            status.error or answers,
        )
    return table


def run(args: argparse.Namespace, services: list[Path]) -> int:
    statuses = in_parallel(service_status, services, args.jobs, "Checking services")
    if args.json:
        print(json_report("status", statuses))
    else:
        Console().print(status_table(statuses))
    return 1 if any(status.error for status in statuses) else 0
