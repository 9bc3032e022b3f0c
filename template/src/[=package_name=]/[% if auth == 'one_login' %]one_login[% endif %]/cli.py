"""`flask one-login ...`: make the service's key pair, run the local stand-in."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from joserfc.jwk import RSAKey, generate_key, import_key
from werkzeug.serving import run_simple

from .keys import MIN_RSA_BITS, load_private_key, public_pem
from .settings import SETTINGS
from .stand_in import StandIn, create_stand_in


@click.group("one-login")
def one_login_cli() -> None:
    """GOV.UK One Login: the service's keys, and a local stand-in."""


@one_login_cli.command()
@click.option(
    "--private-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the private key (keep it out of the repository).",
)
@click.option("--if-missing", is_flag=True, help="Do nothing when the file exists already.")
def keygen(private_key_file: Path, if_missing: bool) -> None:
    """Make an RSA key pair: write the private key, print the public key to register."""
    if private_key_file.exists():
        if if_missing:
            return
        raise click.ClickException(f"{private_key_file} exists; not overwriting a key")
    key = generate_key("RSA", MIN_RSA_BITS, private=True)
    if not isinstance(key, RSAKey):  # generate_key("RSA") always makes one
        raise click.ClickException("could not make an RSA key")
    private_key_file.parent.mkdir(parents=True, exist_ok=True)
    private_key_file.touch(mode=0o600)
    private_key_file.write_bytes(key.as_pem(private=True))
    click.echo(f"Wrote the private key to {private_key_file} (readable by you only).")
    click.echo("Register this public key with GOV.UK One Login:\n")
    click.echo(public_pem(key), nl=False)


@one_login_cli.command("stand-in")
@click.option("--port", default=8001, show_default=True, help="Port on 127.0.0.1.")
@with_appcontext
def stand_in(port: int) -> None:
    """Run the local One Login stand-in, for this service's client id and key."""
    settings = current_app.extensions["settings"]
    if settings.is_production:
        raise click.ClickException("the stand-in is for development only (APP_ENV=production)")
    config = current_app.extensions[SETTINGS]
    if config.private_key is None:
        raise click.ClickException(
            "ONE_LOGIN_PRIVATE_KEY_FILE is not set: `flask one-login keygen` makes a key"
        )
    public_key = import_key(public_pem(load_private_key(config.private_key)))
    provider = StandIn(client_id=config.client_id, client_public_key=public_key)  # type: ignore[arg-type]
    click.echo(f"GOV.UK One Login stand-in on http://127.0.0.1:{port}/")
    run_simple("127.0.0.1", port, create_stand_in(provider), threaded=True)
