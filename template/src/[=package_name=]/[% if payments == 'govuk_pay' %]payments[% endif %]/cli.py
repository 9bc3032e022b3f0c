"""`flask payments reconcile`: settle payments users never came back from. The local
stand-in runs with the others (`flask stand-ins`)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask
from flask.cli import with_appcontext

from .ledger import EXPIRY, reconcile
from .stand_in import StandInPay, create_stand_in


@click.group("payments")
def payments_cli() -> None:
    """Fees taken through GOV.UK Pay."""


@payments_cli.command("reconcile")
@click.option(
    "--older-than",
    "minutes",
    type=click.IntRange(min=0),
    default=int(EXPIRY.total_seconds() // 60),
    show_default=True,
    help="Check payments made at least this many minutes ago (Pay's expire after 90).",
)
@with_appcontext
def reconcile_command(minutes: int) -> None:
    """Settle unfinished payments with what GOV.UK Pay says became of them."""
    report = reconcile(timedelta(minutes=minutes))
    click.echo(
        f"Settled {report.settled} ({report.paid} paid), still open {report.still_open}, "
        f"never made at Pay {report.not_created}, could not check {report.unreachable}, "
        f"refused by Pay {len(report.refused)}."
    )
    if report.refused:
        # Usually a PAY_API_KEY for another account than the one that made the payments.
        raise click.ClickException(
            "GOV.UK Pay refused to say how some payments are (check PAY_API_KEY): "
            + ", ".join(report.refused)
        )
    if report.unreachable:
        raise click.ClickException("GOV.UK Pay could not be reached for some payments")


def local_stand_in() -> Flask:
    """The GOV.UK Pay stand-in (`flask stand-ins`): no money is taken."""
    return create_stand_in(StandInPay())
