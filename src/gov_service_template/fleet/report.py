"""JSON output of every gst-fleet command: one envelope, versioned, documented.

    {"schema": "gst-fleet/<command>", "version": 1, "services": [...]}

`version` changes only when a field is removed or changes meaning; new fields may appear
in any release. docs/fleet-json.md describes each command's fields.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

SCHEMA_VERSION = 1


def json_report(command: str, services: Sequence[Any]) -> str:
    """The JSON document a command prints with --json; services are dataclasses."""
    document = {
        "schema": f"gst-fleet/{command}",
        "version": SCHEMA_VERSION,
        "services": [asdict(service) for service in services],
    }
    return json.dumps(document, indent=2)
