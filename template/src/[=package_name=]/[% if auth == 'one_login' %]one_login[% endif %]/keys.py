"""The key pair the service signs its token requests with (`private_key_jwt`).

GOV.UK One Login keeps the public key (from the service's registration); the private key
never leaves the service's secrets. `flask one-login keygen` makes a pair (cli.py).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from joserfc.jwk import ECKey, RSAKey, generate_key, import_key

SigningKey = RSAKey | ECKey
MIN_RSA_BITS = 2048


class UnusableKeyError(ValueError):
    """The PEM is not a private key the service can sign with."""


# Checking an RSA key takes tens of milliseconds; the settings check and the sign-in set-up
# read the same one.
@lru_cache(maxsize=4)
def load_private_key(pem: str) -> SigningKey:
    """An RSA (2048 bits or more) or P-256 private key, from PEM."""
    for key_type in ("RSA", "EC"):
        try:
            key = import_key(pem, key_type)
        except ValueError:
            continue
        if not key.is_private:
            raise UnusableKeyError("it is a public key; give the private key")
        if isinstance(key, RSAKey) and key.raw_value.key_size < MIN_RSA_BITS:
            raise UnusableKeyError(f"RSA keys must have at least {MIN_RSA_BITS} bits")
        if isinstance(key, ECKey) and key.curve_name != "P-256":
            raise UnusableKeyError("EC keys must be on the P-256 curve")
        if isinstance(key, RSAKey | ECKey):
            return key
    raise UnusableKeyError("it is not a PEM private key (RSA or EC P-256)")


def signing_algorithm(key: SigningKey) -> str:
    return "RS256" if isinstance(key, RSAKey) else "ES256"


def make_private_key_file(path: Path) -> RSAKey:
    """A new RSA key pair, its private key written to `path`, readable by its owner only."""
    key = generate_key("RSA", MIN_RSA_BITS, private=True)
    if not isinstance(key, RSAKey):  # generate_key("RSA") always makes one
        raise TypeError("generate_key did not make an RSA key")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(key.as_pem(private=True))
    return key


def public_pem(key: SigningKey) -> str:
    return key.as_pem(private=False).decode("ascii")
