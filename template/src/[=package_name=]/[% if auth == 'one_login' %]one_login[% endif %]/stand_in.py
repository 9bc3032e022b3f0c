"""A local stand-in for GOV.UK One Login, for development and tests: never for production.

It speaks the same OIDC as One Login (discovery, authorize, token with `private_key_jwt`
and PKCE, userinfo, JWKS, logout) and signs real ES256 tokens, so the service's client
runs unchanged against it. Its sign-in page lets you choose how it misbehaves: wrong
issuer, audience or nonce, an expired token, a bad signature, a wrong level of trust, or
the user refusing access. `flask stand-ins` runs it; the tests start it too.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, generate_key
from werkzeug.wrappers import Response

from ..stand_ins import Field, choice_page
from .keys import SigningKey, signing_algorithm
from .tokens import BACK_CHANNEL_LOGOUT_EVENT

TEST_USER_EMAIL = "test.user@example.gov.uk"
ID_TOKEN_LIFETIME_SECONDS = 120
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
AUTHORIZE_PARAMETERS = [
    *("client_id", "response_type", "scope", "redirect_uri", "state", "nonce"),
    *("code_challenge", "code_challenge_method", "vtr", "ui_locales"),
]
# How the stand-in can answer a sign-in. "sign_in" is the only honest one.
OUTCOMES = {
    "sign_in": "Sign in",
    "access_denied": "Refuse access (as if the user stopped signing in)",
    "wrong_iss": "Send an ID token from the wrong issuer",
    "wrong_aud": "Send an ID token meant for another service",
    "wrong_nonce": "Send an ID token with the wrong nonce",
    "expired": "Send an expired ID token",
    "bad_signature": "Send an ID token with a bad signature",
    "wrong_vot": "Send an ID token with a lower level of trust",
}
# Who signs in: any email address, so a test can be more than one user.
EMAIL = Field("Email address of the test user", "email", TEST_USER_EMAIL, "email", "email")


@dataclass
class Grant:
    """An authorization code, waiting to be swapped for tokens (once)."""

    redirect_uri: str
    nonce: str
    code_challenge: str
    vtr: list[str]
    email: str
    outcome: str


@dataclass
class StandIn:
    """The stand-in provider's state: keys, codes and tokens, in memory."""

    client_id: str
    client_public_key: SigningKey
    clock: Callable[[], float] = time.time
    signing_key: ECKey = field(default_factory=lambda: _new_signing_key())
    grants: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, str] = field(default_factory=dict)
    seen_assertions: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rotate_signing_key(self) -> None:
        """A new key with a new kid, as One Login rotates its keys."""
        self.signing_key = _new_signing_key()

    def sign(self, claims: dict[str, Any], key: ECKey | None = None) -> str:
        key = key or self.signing_key
        return jwt.encode({"alg": "ES256", "kid": self.signing_key.kid}, claims, key)

    def logout_token(self, issuer: str, user_id: str, **changes: Any) -> str:
        """A back-channel logout token, as One Login would send it (for tests)."""
        now = int(self.clock())
        claims = {
            "iss": issuer,
            "aud": self.client_id,
            "sub": user_id,
            "iat": now,
            "exp": now + ID_TOKEN_LIFETIME_SECONDS,
            "jti": secrets.token_urlsafe(16),
            "events": {BACK_CHANNEL_LOGOUT_EVENT: {}},
        } | changes
        return self.sign({key: value for key, value in claims.items() if value is not None})

    def id_token(self, issuer: str, grant: Grant) -> str:
        now = int(self.clock())
        asked = grant.vtr[0] if grant.vtr else "Cl.Cm"
        claims: dict[str, Any] = {
            "iss": issuer,
            "aud": self.client_id,
            "sub": user_id_for(grant.email),
            "iat": now,
            "exp": now + ID_TOKEN_LIFETIME_SECONDS,
            "nonce": grant.nonce,
            "vot": asked,
            "vtm": f"{issuer}trustmark",
            "sid": secrets.token_urlsafe(16),
            "auth_time": now,
        }
        key = None
        match grant.outcome:
            case "wrong_iss":
                claims["iss"] = "https://not-one-login.example/"
            case "wrong_aud":
                claims["aud"] = "another-service"
            case "wrong_nonce":
                claims["nonce"] = secrets.token_urlsafe(16)
            case "expired":
                claims["iat"], claims["exp"] = now - 900, now - 600
            case "bad_signature":
                key = _new_signing_key()  # signed by a key that is not the published one
            case "wrong_vot":
                claims["vot"] = "Cl" if asked != "Cl" else "P0"
        return self.sign(claims, key)


def user_id_for(email: str) -> str:
    """A stable pairwise-looking subject for a test user, as One Login's `sub` looks."""
    digest = hashlib.sha256(email.lower().encode()).digest()
    return "urn:fdc:gov.uk:2022:" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _new_signing_key() -> ECKey:
    key = generate_key("EC", "P-256", private=True, auto_kid=True)
    if not isinstance(key, ECKey):  # generate_key("EC") always makes one
        raise TypeError("expected an EC key")
    return key


def create_stand_in(stand_in: StandIn) -> Flask:
    app = Flask(__name__)

    def issuer() -> str:
        return request.url_root

    def oauth_error(error: str, description: str, status: int = 400) -> tuple[Response, int]:
        return jsonify(error=error, error_description=description), status

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Response:
        root = issuer()
        response = jsonify(
            issuer=root,
            authorization_endpoint=f"{root}authorize",
            token_endpoint=f"{root}token",
            userinfo_endpoint=f"{root}userinfo",
            jwks_uri=f"{root}.well-known/jwks.json",
            end_session_endpoint=f"{root}logout",
            scopes_supported=["openid", "email"],
            response_types_supported=["code"],
            grant_types_supported=["authorization_code"],
            token_endpoint_auth_methods_supported=["private_key_jwt"],
            id_token_signing_alg_values_supported=["ES256"],
            code_challenge_methods_supported=["S256"],
            backchannel_logout_supported=True,
            ui_locales_supported=["en", "cy"],
        )
        response.headers["Cache-Control"] = "max-age=86400"
        return response

    @app.get("/.well-known/jwks.json")
    def jwks() -> Response:
        response = jsonify(KeySet([stand_in.signing_key]).as_dict(private=False))
        response.headers["Cache-Control"] = "max-age=3600"
        return response

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize() -> str | Response | tuple[Response, int]:
        params = request.values
        if params.get("client_id") != stand_in.client_id:
            return oauth_error("invalid_client", "unknown client_id")
        if params.get("response_type") != "code" or "openid" not in params.get("scope", ""):
            return oauth_error("invalid_request", "response_type=code and scope openid needed")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return oauth_error("invalid_request", "PKCE with S256 is required")
        if not params.get("nonce") or not params.get("state") or not params.get("redirect_uri"):
            return oauth_error("invalid_request", "nonce, state and redirect_uri are required")
        if request.method == "GET":
            fields = {name: params[name] for name in AUTHORIZE_PARAMETERS if name in params}
            return choice_page(
                "GOV.UK One Login",
                "Sign in",
                "Nothing here is real.",
                "What should the stand-in do?",
                OUTCOMES,
                fields=[EMAIL],
                hidden=fields,
            )
        redirect_uri, state = params["redirect_uri"], params["state"]
        outcome = params.get("outcome", "sign_in")
        if outcome == "access_denied":
            return redirect(
                f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': state})}"
            )
        code = secrets.token_urlsafe(32)
        with stand_in.lock:
            stand_in.grants[code] = Grant(
                redirect_uri=redirect_uri,
                nonce=params["nonce"],
                code_challenge=params["code_challenge"],
                vtr=_vectors(params.get("vtr", "")),
                email=params.get("email") or TEST_USER_EMAIL,
                outcome=outcome if outcome in OUTCOMES else "sign_in",
            )
        return redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    @app.post("/token")
    def token() -> Response | tuple[Response, int]:
        form = request.form
        if form.get("grant_type") != "authorization_code":
            return oauth_error("unsupported_grant_type", "only authorization_code")
        if problem := _client_assertion_problem(stand_in, form, request.base_url):
            return oauth_error("invalid_client", problem, 401)
        with stand_in.lock:
            grant = stand_in.grants.pop(form.get("code", ""), None)
        if grant is None:
            return oauth_error("invalid_grant", "unknown or used code")
        if form.get("redirect_uri") != grant.redirect_uri:
            return oauth_error("invalid_grant", "redirect_uri differs from the authorize request")
        if create_s256_code_challenge(form.get("code_verifier", "")) != grant.code_challenge:
            return oauth_error("invalid_grant", "code_verifier does not match code_challenge")
        access_token = secrets.token_urlsafe(32)
        with stand_in.lock:
            stand_in.access_tokens[access_token] = grant.email
        return jsonify(
            access_token=access_token,
            token_type="Bearer",  # noqa: S106  # the OAuth token type, not a secret
            expires_in=180,
            id_token=stand_in.id_token(issuer(), grant),
        )

    @app.get("/userinfo")
    def userinfo() -> Response | tuple[Response, int]:
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        email = stand_in.access_tokens.get(bearer)
        if email is None:
            return oauth_error("invalid_token", "unknown access token", 401)
        return jsonify(sub=user_id_for(email), email=email, email_verified=True)

    @app.get("/logout")
    def logout() -> Response | tuple[Response, int]:
        target = request.args.get("post_logout_redirect_uri", "")
        if not request.args.get("id_token_hint") or not target:
            return oauth_error(
                "invalid_request", "id_token_hint and post_logout_redirect_uri needed"
            )
        state = request.args.get("state")
        return redirect(f"{target}?{urlencode({'state': state})}" if state else target)

    return app


def _vectors(vtr: str) -> list[str]:
    return [part.strip(' "') for part in vtr.strip("[]").split(",") if part.strip(' "')]


def _client_assertion_problem(stand_in: StandIn, form: Any, token_endpoint: str) -> str | None:
    """What is wrong with the client's `private_key_jwt` assertion, or None."""
    if form.get("client_assertion_type") != ASSERTION_TYPE:
        return "client_assertion_type must be jwt-bearer"
    algorithm = signing_algorithm(stand_in.client_public_key)
    try:
        claims = jwt.decode(
            form.get("client_assertion", ""), stand_in.client_public_key, algorithms=[algorithm]
        ).claims
    except (JoseError, ValueError) as error:
        return f"client_assertion signature: {error}"
    now = stand_in.clock()
    if claims.get("iss") != stand_in.client_id or claims.get("sub") != stand_in.client_id:
        return "client_assertion iss and sub must be the client_id"
    if claims.get("aud") != token_endpoint:
        return f"client_assertion aud must be {token_endpoint}"
    if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 5 * 60:
        return "client_assertion exp must be in the next 5 minutes"
    jti = claims.get("jti")
    with stand_in.lock:
        if not isinstance(jti, str) or jti in stand_in.seen_assertions:
            return "client_assertion jti missing or used before"
        stand_in.seen_assertions.add(jti)
    return None
