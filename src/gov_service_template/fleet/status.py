"""`gst-fleet status`: which release each service is on, and how far behind it is.

One line per service, so a fleet of hundreds reads at a glance; --answers adds each
service's answers on the line below, --json everything (docs/fleet-json.md). Versions are
read from what each service has committed (HEAD), never from its work tree.

Exit status: 0 when every path is a service whose status was read; 1 when any row is an
error (not a service, not a repository, answers unreadable, the template unreachable).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gov_service_template.fleet.report import json_report
from gov_service_template.fleet.services import ServiceStatus, in_parallel, service_status


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("status", help="template version of every service")
    parser.add_argument("--answers", action="store_true", help="show each service's answers")
    parser.set_defaults(handler=run)


def status_line(status: ServiceStatus, width: int) -> str:
    if status.error:
        return f"{status.service:<{width}}  error: {status.error}"
    behind = "up to date" if not status.behind else f"{status.behind} behind"
    uncommitted = "  uncommitted changes" if status.dirty else ""
    if status.half_finished:
        uncommitted = (
            "  answers in the work tree differ from HEAD's: "
            "an update in progress or left half-finished"
        )
    return (
        f"{status.service:<{width}}  {status.version} (latest {status.latest})  "
        f"{behind}{uncommitted}"
    )


def answers_line(status: ServiceStatus) -> str:
    return "    " + ", ".join(f"{key}={value}" for key, value in sorted(status.answers.items()))


def run(args: argparse.Namespace, services: list[Path]) -> int:
    statuses = in_parallel(service_status, services, args.jobs, "Checking services")
    if args.json:
        print(json_report("status", statuses))
    else:
        width = max((len(status.service) for status in statuses), default=0)
        print(f"Services made from the template: {len(statuses)}")
        for status in statuses:
            print(status_line(status, width))
            if args.answers and status.answers:
                print(answers_line(status))
    return 1 if any(status.error for status in statuses) else 0
