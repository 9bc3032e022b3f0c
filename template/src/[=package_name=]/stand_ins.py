"""`flask stand-ins`: local stand-ins for the platforms the service's features call, so
the whole service runs on a laptop with no account and no network.

A feature adds its stand-in in its `init_app` (`add_stand_in`); `nox -s serve` runs this
command beside the service. The tests start the same stand-ins themselves, on ports of
their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.serving import make_server

from .config import Settings

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

STAND_INS = "stand_ins"


@dataclass(frozen=True)
class StandIn:
    name: str
    port: int
    # Made when the command starts, in the app's context, so it can read the settings.
    make: Callable[[], WSGIApplication]


def add_stand_in(app: Flask, stand_in: StandIn) -> None:
    app.extensions.setdefault(STAND_INS, []).append(stand_in)


@click.command("stand-ins")
@with_appcontext
def stand_ins_command() -> None:
    """Run the stand-ins of the services this one calls, on 127.0.0.1, until stopped."""
    if Settings.of(current_app).is_production:
        raise click.ClickException("Stand-ins are for development only (APP_ENV=production)")
    stand_ins: list[StandIn] = current_app.extensions.get(STAND_INS, [])
    if not stand_ins:
        click.echo("This service calls no service that has a stand-in.")
        return
    for stand_in in stand_ins:
        server = make_server("127.0.0.1", stand_in.port, stand_in.make(), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        click.echo(f"{stand_in.name} stand-in on http://127.0.0.1:{stand_in.port}/")
    until_stopped()


def until_stopped() -> None:
    threading.Event().wait()


def init_app(app: Flask) -> None:
    app.cli.add_command(stand_ins_command)
