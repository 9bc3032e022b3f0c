"""`flask one-login keygen`: make the service's key pair. The local stand-in runs with
the others (`flask stand-ins`)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from joserfc.jwk import ECKey, RSAKey

from .keys import SigningKey, load_private_key, make_private_key_file, public_pem
from .settings import SETTINGS
from .stand_in import StandIn, create_stand_in


@click.group("one-login")
def one_login_cli() -> None:
    """GOV.UK One Login: the service's keys."""


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
    key = make_private_key_file(private_key_file)
    click.echo(f"Wrote the private key to {private_key_file} (readable by you only).")
    click.echo("Register this public key with GOV.UK One Login:\n")
    click.echo(public_pem(key), nl=False)


def local_stand_in() -> Flask:
    """The One Login stand-in for this service's client id and key (`flask stand-ins`)."""
    config = current_app.extensions[SETTINGS]
    if config.private_key is None:
        raise click.ClickException(
            "ONE_LOGIN_PRIVATE_KEY_FILE is not set: `flask one-login keygen` makes a key"
        )
    private_key = load_private_key(config.private_key)
    # The stand-in holds only the public half, as GOV.UK One Login does.
    key_class = RSAKey if isinstance(private_key, RSAKey) else ECKey
    public_key: SigningKey = key_class.import_key(public_pem(private_key))
    provider = StandIn(client_id=config.client_id, client_public_key=public_key)
    return create_stand_in(provider)
