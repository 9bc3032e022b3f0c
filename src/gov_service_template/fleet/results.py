"""What `gst-fleet update` did to one service: the row of its table, the entry of its JSON,
and what a pull request's body says."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.table import Table


@dataclass
class UpdateResult:
    service: str
    path: str
    # updated | up to date | skipped | conflicts | tests failed | error | not run
    outcome: str
    from_version: str | None = None
    to_version: str | None = None
    branch: str | None = None
    conflicts: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    removed_edited: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    detail: str = ""
    log: str = ""  # the end of the test command's output, when it failed
    # Every command of a service that did not update, with its full output.
    log_file: str | None = None
    # What was cleared up after an earlier run that was killed part-way.
    recovered: list[str] = field(default_factory=list)
    pull_request: str | None = None  # its web address, with --open-pr


def update_table(results: list[UpdateResult]) -> Table:
    table = Table(title="Template update")
    for column in ("Service", "From", "To", "Outcome", "Detail"):
        table.add_column(column)
    for result in results:
        details = [result.detail]
        if result.conflicts:
            details.append(f"conflicts: {', '.join(result.conflicts)}")
        details += result.carried + result.recovered
        if result.removed_edited:
            details.append(f"removed, yours changed, kept: {', '.join(result.removed_edited)}")
        if result.pull_request:
            details.append(result.pull_request)
        if result.log_file:
            details.append(f"log: {result.log_file}")
        table.add_row(
            result.service,
            result.from_version or "?",
            result.to_version or "?",
            result.outcome,
            "; ".join(detail for detail in details if detail),
        )
    return table
