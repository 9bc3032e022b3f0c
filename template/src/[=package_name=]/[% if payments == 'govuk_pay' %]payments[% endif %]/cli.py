"""`flask payments ...`: settle payments users never came back from; run the stand-in."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from .ledger import EXPIRY, reconcile


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


@payments_cli.command("stand-in")
@click.option("--port", type=int, default=8002, show_default=True)
@with_appcontext
def stand_in_command(port: int) -> None:
    """Run the local GOV.UK Pay stand-in on 127.0.0.1 (development only)."""
    if current_app.extensions["settings"].is_production:
        raise click.ClickException("The GOV.UK Pay stand-in never runs in production")
    from .stand_in import StandInPay, create_stand_in

    click.echo(f"GOV.UK Pay stand-in on http://127.0.0.1:{port} (no money is taken)")
    run_simple("127.0.0.1", port, create_stand_in(StandInPay()), threaded=True)
