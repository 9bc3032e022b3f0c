"""`flask kpis`: the KPIs over a period, ready to publish (a table, CSV or JSON)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from decimal import Decimal

import click
from flask.cli import with_appcontext

from ..periods import days, period_options
from .report import NOT_MEASURED, Kpis, measure


@click.command("kpis")
@period_options
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--journey", default=None, help="One journey by name (default: every journey).")
@click.option(
    "--assisted-digital",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Transactions completed with help (by phone, on paper) in the period: you count them.",
)
@click.option(
    "--cost",
    type=click.FloatRange(min=0),
    default=None,
    help="What the service cost over the period, in pounds, for the cost per transaction.",
)
@with_appcontext
def kpis(
    start: datetime,
    end: datetime,
    output: str,
    journey: str | None,
    assisted_digital: int,
    cost: float | None,
) -> None:
    """The KPIs GOV.UK services publish, from what the service counted: completion rate,
    digital take-up, user satisfaction and cost per transaction. Days are UK days."""
    first, last = days(start, end)
    figures = measure(
        first,
        last,
        journey=journey,
        assisted_digital=assisted_digital,
        cost=None if cost is None else Decimal(str(cost)),
    )
    if output == "json":
        click.echo(json.dumps(figures.figures() | {"pages_completed": figures.pages_completed}))
    elif output == "csv":
        write_csv(figures)
    else:
        click.echo(table(figures))


def write_csv(figures: Kpis) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["figure", "value"])
    for name, value in figures.figures().items():
        writer.writerow([name, "" if value is None else value])
    for page, count in sorted(figures.pages_completed.items()):
        writer.writerow([f"page_completed:{page}", count])


def percent(ratio: float | None) -> str:
    return NOT_MEASURED if ratio is None else f"{ratio:.1%}"


def table(figures: Kpis) -> str:
    cost = figures.cost_per_transaction
    rows = [
        ("Journeys started", str(figures.started)),
        ("Applications sent", str(figures.sent)),
        ("Applications completed", str(figures.completed)),
        ("Journeys abandoned", str(figures.abandoned)),
        ("Fees paid", str(figures.paid)),
        ("Answers saved for later", str(figures.saved_for_later)),
        ("Pages found useful", str(figures.pages_useful)),
        ("Pages found not useful", str(figures.pages_not_useful)),
        ("Assisted digital transactions", str(figures.assisted_digital)),
        ("Completion rate", percent(figures.completion_rate)),
        ("Digital take-up", percent(figures.digital_take_up)),
        ("User satisfaction", percent(figures.user_satisfaction)),
        ("Satisfaction responses", str(figures.satisfaction_responses)),
        ("Cost per transaction", NOT_MEASURED if cost is None else f"£{cost}"),
    ]
    which = figures.journey or "every journey"
    lines = [f"KPIs from {figures.start} to {figures.end} ({which})", ""]
    lines += [f"{name:<32}{value:>14}" for name, value in rows]
    if figures.pages_completed:
        lines += ["", "Pages completed"]
        lines += [f"  {page:<30}{count:>14}" for page, count in figures.pages_completed.items()]
    return "\n".join(lines)
