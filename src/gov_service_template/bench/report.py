"""What the bench reports: figures beside their baselines, and the targets that judge them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

# Progress on stderr; the table and build/bench.json are the results.
console = Console(stderr=True)


@dataclass(frozen=True)
class Target:
    text: str
    met: Callable[[Figure], bool]


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def _ratio_at_most(limit: float) -> Callable[[Figure], bool]:
    return lambda figure: figure.ratio is not None and figure.ratio <= limit


def _ratio_at_least(limit: float) -> Callable[[Figure], bool]:
    return lambda figure: figure.ratio is not None and figure.ratio >= limit


def _below(limit: float) -> Callable[[Figure], bool]:
    return lambda figure: figure.value < limit


FLEET_STATUS_100 = "fleet status, 100 services"
FLEET_DRIFT_100 = "fleet drift, 100 services"
FLEET_UPDATE_PER_CORE = "fleet update, core-seconds per service"
FLEET_UPDATE_OVERHEAD = "fleet update, beyond copier update"

TARGETS = {
    "generation": Target("≤ 1.5 times copier's floor", _ratio_at_most(1.5)),
    "first green, unit tests": Target("< 20 s", _below(20)),
    "first green, with e2e": Target("< 60 s", _below(60)),
    "throughput": Target("≥ 50% of bare Flask", _ratio_at_least(0.5)),
    "question page": Target("≥ 40% of bare Flask", _ratio_at_least(0.4)),
    "answer posted": Target("≥ 40% of bare Flask doing the write", _ratio_at_least(0.4)),
    "question page, p99": Target("< 25 ms", _below(25)),
    "answer posted, p99": Target("< 25 ms", _below(25)),
    "check answers, p99": Target("< 25 ms", _below(25)),
    "worker memory": Target("< 80 MB resident", _below(80)),
    "start page weight": Target("< 150 KB on the wire", _below(150)),
    FLEET_STATUS_100: Target("< 10 s", _below(10)),
    FLEET_DRIFT_100: Target("< 10 min", _below(600)),
    FLEET_UPDATE_PER_CORE: Target("< 3 s per service per core", _below(3)),
}


@dataclass(frozen=True)
class Unavailable:
    """A figure that could not be measured in this run, and why."""

    name: str
    reason: str


@dataclass
class Report:
    machine: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    unavailable: list[Unavailable] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        console.print(f"  {figure.name}: {figure.value:.3g} {figure.unit}")

    def missing(self, name: str, reason: str) -> None:
        self.unavailable.append(Unavailable(name, reason))
        console.print(f"  {name}: unavailable ({reason})")

    def as_json(self) -> dict[str, Any]:
        figures = []
        for figure in self.figures:
            target = TARGETS.get(figure.name)
            figures.append(
                asdict(figure)
                | {
                    "ratio": figure.ratio,
                    "target": target.text if target else None,
                    "target_met": target.met(figure) if target else None,
                }
            )
        return {
            "machine": self.machine,
            "figures": figures,
            "unavailable": [asdict(missing) for missing in self.unavailable],
            "details": self.details,
        }

    def table(self) -> Table:
        table = Table(title="Gov Service Template benchmarks")
        for column in ("figure", "value", "baseline", "ratio", "target", "met", "note"):
            table.add_column(column)
        for figure in self.figures:
            target = TARGETS.get(figure.name)
            baseline = (
                f"{figure.baseline:.3g} {figure.unit} ({figure.baseline_name})"
                if figure.baseline
                else ""
            )
            table.add_row(
                figure.name,
                f"{figure.value:.3g} {figure.unit}",
                baseline,
                f"{figure.ratio:.2f}" if figure.ratio is not None else "",
                target.text if target else "",
                ("yes" if target.met(figure) else "NO") if target else "",
                figure.note,
            )
        for missing in self.unavailable:
            target = TARGETS.get(missing.name)
            text = target.text if target else ""
            table.add_row(missing.name, "unavailable", "", "", text, "", missing.reason)
        return table


# --- running things -------------------------------------------------------------------
