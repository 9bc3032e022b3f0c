"""gst-fleet: which template release each service is on, and rolling updates out to them.

    gst-fleet status [--json] [--answers] PATH...
    gst-fleet drift  [--json] [--files] PATH...
    gst-fleet update [--json] [--vcs-ref REF] [--test-command CMD] [--timeout S]
                     [--branch NAME] [--push] [--open-pr] PATH...
    gst-fleet fixup  [--json] [--before REV] PATH...

A PATH is a service repository, a folder of them, or a text file listing them one per
line. Everything about templates is asked of Copier itself (`copier check-update`,
`copier update`); this tool only runs it across many repositories and reports.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from gov_service_template.fleet import drift, fixups, status, update
from gov_service_template.fleet.running import FleetError
from gov_service_template.fleet.services import discover_services

# Each command module adds its own subcommand: register(commands), then handler(args, services).
COMMANDS = (status, drift, update, fixups)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gst-fleet", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(commands)
    for command in commands.choices.values():
        command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        command.add_argument("--json", action="store_true", help="print JSON, not a table")
        command.add_argument("--jobs", type=int, default=2, help="services at a time (2)")
    args = parser.parse_args(argv)

    try:
        services = discover_services(args.paths)
    except FleetError as error:
        parser.error(str(error))
    code: int = args.handler(args, services)
    return code


if __name__ == "__main__":
    sys.exit(main())
