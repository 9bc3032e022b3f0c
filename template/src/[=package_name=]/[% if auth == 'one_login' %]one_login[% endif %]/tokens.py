"""Checks on the tokens One Login sends: the ID token at sign-in, the logout token on
back-channel logout. Every check fails closed with TokenRejected naming the check, so
the log says which one and the user never ends up signed in on a doubtful token.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# One Login signs with ES256 (RS256 if a service asks); never "none" or a shared secret.
ALGORITHMS = ("ES256", "RS256")
# Clocks differ a little between One Login and the service.
LEEWAY_SECONDS = 60
# A logout token older than this is refused; its jti is remembered as long.
LOGOUT_TOKEN_MAX_AGE_SECONDS = 3 * 60
BACK_CHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class TokenRejected(Exception):  # noqa: N818  # read as "raise TokenRejected(...)"
    """A token failed a check; `check` names it (signature, iss, aud, exp, ...)."""

    def __init__(self, check: str, detail: str) -> None:
        super().__init__(f"{check}: {detail}")
        self.check = check
        self.detail = detail


def verified_claims(
    token: str, keys_for: Callable[[str | None], KeySet], *, issuer: str, audience: str, now: float
) -> dict[str, Any]:
    """The token's claims once its signature, issuer, audience and times check out."""
    try:
        header = jws.extract_compact(token.encode("ascii")).protected
    except (JoseError, ValueError, UnicodeError) as error:
        raise TokenRejected("format", "not a signed JWT") from error
    kid = header.get("kid")
    if header.get("alg") not in ALGORITHMS:
        raise TokenRejected("signature", f"algorithm {header.get('alg')!r} is not allowed")
    try:
        key = keys_for(kid if isinstance(kid, str) else None).get_by_kid(kid)
    except (JoseError, ValueError, KeyError) as error:
        raise TokenRejected("signature", f"no signing key with kid {kid!r}") from error
    try:
        claims = jwt.decode(token, key, algorithms=list(ALGORITHMS)).claims
    except (JoseError, ValueError) as error:
        raise TokenRejected("signature", str(error)) from error

    if claims.get("iss") != issuer:
        raise TokenRejected("iss", f"issued by {claims.get('iss')!r}, not {issuer!r}")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if audience not in audiences:
        raise TokenRejected("aud", f"meant for {aud!r}, not {audience!r}")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or exp + LEEWAY_SECONDS < now:
        raise TokenRejected("exp", f"expired at {exp!r}")
    if not isinstance(iat, int | float) or iat - LEEWAY_SECONDS > now:
        raise TokenRejected("iat", f"issued in the future at {iat!r}")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise TokenRejected("sub", "no subject")
    return claims


def check_id_token_claims(
    claims: dict[str, Any], *, nonce: str, vectors_of_trust: Collection[str]
) -> None:
    """The ID token answers this sign-in (nonce) at the level of trust asked for (vot)."""
    if claims.get("nonce") != nonce:
        raise TokenRejected("nonce", "does not match this sign-in")
    if claims.get("vot") not in vectors_of_trust:
        raise TokenRejected(
            "vot",
            f"level {claims.get('vot')!r} is not one asked for ({', '.join(vectors_of_trust)})",
        )


def check_logout_token_claims(claims: dict[str, Any], *, now: float) -> None:
    """A back-channel logout token, as OpenID Connect Back-Channel Logout 1.0 defines it."""
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACK_CHANNEL_LOGOUT_EVENT), dict):
        raise TokenRejected("events", "not a back-channel logout event")
    if "nonce" in claims:
        raise TokenRejected("nonce", "a logout token must not carry one")
    if not isinstance(claims.get("jti"), str) or not claims["jti"]:
        raise TokenRejected("jti", "missing")
    if claims["iat"] < now - LOGOUT_TOKEN_MAX_AGE_SECONDS - LEEWAY_SECONDS:
        raise TokenRejected("iat", "older than the time its jti is remembered for")
