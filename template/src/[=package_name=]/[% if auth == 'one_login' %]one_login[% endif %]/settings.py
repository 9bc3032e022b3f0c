"""GOV.UK One Login's settings: ONE_LOGIN_ENVIRONMENT, ONE_LOGIN_ISSUER_URL,
ONE_LOGIN_CLIENT_ID, ONE_LOGIN_PRIVATE_KEY (or _FILE) and ONE_LOGIN_VTR, read and
checked when the app is made, so a missing or unsafe one stops the service at start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..config import ConfigError
from .keys import UnusableKeyError, load_private_key, make_private_key_file

# Where the app keeps them (one_login.settings()).
SETTINGS = "one_login:settings"
# GOV.UK One Login's issuers. "local" is the stand-in (`nox -s serve` starts it) or
# GOV.UK One Login's simulator, at ONE_LOGIN_ISSUER_URL; never in production.
ONE_LOGIN_ISSUERS = {
    "integration": "https://oidc.integration.account.gov.uk/",
    "production": "https://oidc.account.gov.uk/",
}
LOCAL_ONE_LOGIN_ISSUER = "http://127.0.0.1:8001/"
# In development, with no key named, the key pair made on the first start, kept out of git
# in instance/: the service signs with it and the stand-in (`flask stand-ins`) checks.
DEVELOPMENT_KEY_FILE = Path("instance/one-login-development-key.pem")
LOCAL_ONE_LOGIN_CLIENT_ID = "local-stand-in-client"
# A vector of trust: credential strength (Cl, Cl.Cm), optionally with identity (P1, P2).
VECTOR_OF_TRUST = re.compile(r"^(P[0-4]\.)?Cl(\.Cm)?$")


@dataclass(frozen=True)
class OneLoginSettings:
    """How the service signs users in with GOV.UK One Login."""

    issuer: str = LOCAL_ONE_LOGIN_ISSUER
    client_id: str = LOCAL_ONE_LOGIN_CLIENT_ID
    # PEM. None outside production until a key is made: sign-in then says so.
    private_key: str | None = field(default=None, repr=False)
    # The vectors of trust asked for; the ID token's `vot` must be one of them.
    vtr: tuple[str, ...] = ("Cl.Cm",)


def read_settings(env: Mapping[str, str], environment: str) -> OneLoginSettings:
    """GOV.UK One Login's settings, read and checked when the app is made."""
    production = environment == "production"
    name = env.get("ONE_LOGIN_ENVIRONMENT", "production" if production else "local")
    choices = (*ONE_LOGIN_ISSUERS, "local")
    if name not in choices or (production and name == "local"):
        allowed = ", ".join(ONE_LOGIN_ISSUERS if production else choices)
        raise ConfigError(f"ONE_LOGIN_ENVIRONMENT must be one of {allowed}; it is {name!r}")
    issuer = ONE_LOGIN_ISSUERS.get(name) or env.get("ONE_LOGIN_ISSUER_URL", "")
    issuer = issuer or LOCAL_ONE_LOGIN_ISSUER
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", issuer):
        raise ConfigError(
            f"ONE_LOGIN_ISSUER_URL must be the issuer's URL, like {LOCAL_ONE_LOGIN_ISSUER}; "
            f"it is {issuer!r}"
        )
    client_id = env.get("ONE_LOGIN_CLIENT_ID", "")
    if production and (not client_id or client_id.startswith("replace-with")):
        raise ConfigError(
            "ONE_LOGIN_CLIENT_ID is not set (or is still the placeholder). Register the "
            "service with GOV.UK One Login and set ONE_LOGIN_CLIENT_ID to its client id"
        )
    return OneLoginSettings(
        issuer=issuer,
        client_id=client_id or LOCAL_ONE_LOGIN_CLIENT_ID,
        private_key=_one_login_private_key(env, environment),
        vtr=_vectors_of_trust(env),
    )


def _one_login_private_key(env: Mapping[str, str], environment: str) -> str | None:
    """The client's private key, as PEM: from the variable, or a file mounted as a secret."""
    production = environment == "production"
    named = env.get("ONE_LOGIN_PRIVATE_KEY") or env.get("ONE_LOGIN_PRIVATE_KEY_FILE")
    if environment == "development" and not named:
        if not DEVELOPMENT_KEY_FILE.exists():
            make_private_key_file(DEVELOPMENT_KEY_FILE)
        env = {**env, "ONE_LOGIN_PRIVATE_KEY_FILE": str(DEVELOPMENT_KEY_FILE)}
    if pem := env.get("ONE_LOGIN_PRIVATE_KEY", ""):
        variable = "ONE_LOGIN_PRIVATE_KEY"
    elif path := env.get("ONE_LOGIN_PRIVATE_KEY_FILE", ""):
        variable = "ONE_LOGIN_PRIVATE_KEY_FILE"
        if not production and not Path(path).exists():
            return None  # not made yet: `flask one-login keygen` makes it
        try:
            pem = Path(path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"ONE_LOGIN_PRIVATE_KEY_FILE cannot be read: {error}") from error
    elif production:
        raise ConfigError(
            "ONE_LOGIN_PRIVATE_KEY is not set. Set it (or ONE_LOGIN_PRIVATE_KEY_FILE, for "
            "a key mounted as a file) to the private key whose public key is registered "
            "with GOV.UK One Login; `flask one-login keygen` makes a pair"
        )
    else:
        return None
    try:
        load_private_key(pem)
    except UnusableKeyError as error:
        raise ConfigError(f"{variable} is not usable: {error}") from error
    return pem


def _vectors_of_trust(env: Mapping[str, str]) -> tuple[str, ...]:
    raw = env.get("ONE_LOGIN_VTR", "").strip()
    vectors = tuple(part.strip() for part in raw.split(",")) if raw else ("Cl.Cm",)
    if not all(VECTOR_OF_TRUST.match(vector) for vector in vectors):
        raise ConfigError(
            "ONE_LOGIN_VTR must be vectors of trust separated by commas, like Cl.Cm or "
            f"P2.Cl.Cm; it is {raw!r}"
        )
    return vectors
