"""`flask stand-ins`: local stand-ins for the platforms the service's features call, so
the whole service runs on a laptop with no account and no network.

A feature adds its stand-in in its `init_app` (`add_stand_in`); `nox -s serve` runs this
command beside the service. The tests start the same stand-ins themselves, on ports of
their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click
from flask import Flask, current_app, render_template_string
from flask.cli import with_appcontext
from werkzeug.serving import make_server

from .config import Settings

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

STAND_INS = "stand_ins"

# The page each stand-in shows where the real platform would ask the user something:
# plain HTML, so it never looks like the service, and a choice of what happens next.
CHOICE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – {{ platform }} stand-in</title></head>
<body>
<main>
<h1>{{ platform }} stand-in</h1>
<p>This page stands in for {{ platform }} on your computer. {{ assurance }}</p>
{% for line in details %}<p>{{ line }}</p>
{% endfor %}<form method="post"{% if action %} action="{{ action }}"{% endif %}>
  {% for name, value in hidden.items() %}<input type="hidden" name="{{ name }}" value="{{ value }}">{% endfor %}
  {% for field in fields %}<p><label for="{{ field.name }}">{{ field.label }}</label><br>
  <input id="{{ field.name }}" name="{{ field.name }}" type="{{ field.kind }}" autocomplete="{{ field.autocomplete }}" value="{{ field.value }}" required></p>
  {% endfor %}<fieldset>
    <legend>{{ question }}</legend>
    {% for outcome, label in outcomes.items() %}
    <p><input type="radio" id="outcome-{{ outcome }}" name="outcome" value="{{ outcome }}"{% if loop.first %} checked{% endif %}>
    <label for="outcome-{{ outcome }}">{{ label }}</label></p>
    {% endfor %}
  </fieldset>
  <p><button type="submit">Continue</button></p>
</form>
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class Field:
    """A field the user fills in on a stand-in's page, before choosing what happens."""

    label: str
    name: str
    value: str
    kind: str = "text"
    autocomplete: str = "off"


@dataclass(frozen=True)
class StandIn:
    name: str
    port: int
    # Made when the command starts, in the app's context, so it can read the settings.
    make: Callable[[], WSGIApplication]

    @classmethod
    def at(cls, name: str, local_url: str, make: Callable[[], WSGIApplication]) -> StandIn:
        """The stand-in a feature's development settings point at (`local_url`), on
        that URL's port: the feature names its address once."""
        return cls(name, urlsplit(local_url).port or 80, make)


def add_stand_in(app: Flask, stand_in: StandIn) -> None:
    app.extensions.setdefault(STAND_INS, []).append(stand_in)


def choice_page(
    platform: str,
    title: str,
    assurance: str,
    question: str,
    outcomes: Mapping[str, str],
    *,
    details: Sequence[str] = (),
    fields: Sequence[Field] = (),
    hidden: Mapping[str, str] | None = None,
    action: str | None = None,
) -> str:
    """A stand-in's page: the user chooses one of `outcomes` (its first is chosen
    already) and posts it as `outcome`, with `fields` and the `hidden` values."""
    return render_template_string(
        CHOICE_PAGE,
        platform=platform,
        title=title,
        assurance=assurance,
        question=question,
        outcomes=outcomes,
        details=details,
        fields=fields,
        hidden=hidden or {},
        action=action,
    )


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
