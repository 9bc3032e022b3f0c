"""Signing in with GOV.UK One Login: the authorization code flow with PKCE, `nonce` and
`private_key_jwt`, sign-out, and back-channel logout. See docs/one-login.md in the
template's documentation, and README.md here, for registering the service.

Pages that need a signed-in user use `login_required` (accounts.py).
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from ..config import Settings
from ..redirects import local_url
from ..stand_ins import StandIn, add_stand_in
from ..text import page_language
from ..timeout import sign_out_with
from .accounts import (
    current_user,
    end_sign_in,
    end_sign_ins_of,
    first_use_of_logout_token,
    login_required,
    start_sign_in,
)
from .applications import init_app as init_your_applications
from .cli import local_stand_in, one_login_cli
from .keys import load_private_key
from .provider import OneLoginProvider, ProviderError
from .settings import LOCAL_ONE_LOGIN_ISSUER, SETTINGS, OneLoginSettings, read_settings
from .tokens import (
    LEEWAY_SECONDS,
    LOGOUT_TOKEN_MAX_AGE_SECONDS,
    TokenRejected,
    check_id_token_claims,
    check_logout_token_claims,
    verified_claims,
)

__all__ = ["current_user", "init_app", "login_required", "one_login"]

logger = logging.getLogger(__name__)
one_login = Blueprint("one_login", __name__, template_folder="templates")

PENDING = "one_login:pending"  # state, nonce and PKCE verifier of a sign-in under way
Page = tuple[str, int]


def provider() -> OneLoginProvider:
    found: OneLoginProvider = current_app.extensions["one_login"]
    return found


def settings() -> OneLoginSettings:
    found: OneLoginSettings = current_app.extensions[SETTINGS]
    return found


@one_login.get("/sign-in")
def sign_in() -> Response | Page:
    if settings().private_key is None:
        logger.error(
            "One Login sign-in is not configured: ONE_LOGIN_PRIVATE_KEY is not set "
            "(`uv run nox -s serve` makes a development key)"
        )
        return sign_in_failed("unavailable")
    try:
        authorize = provider().endpoint("authorization_endpoint")
    except ProviderError as error:
        logger.error("One Login sign-in could not start: %s", error)
        return sign_in_failed("unavailable")
    pending = {
        "state": generate_token(32),
        "nonce": generate_token(32),
        "code_verifier": generate_token(64),
        # Where to return after signing in: checked here, and again when it is used.
        "next": local_url(request.args.get("next"), fallback=""),
    }
    session[PENDING] = pending
    query = {
        "response_type": "code",
        "scope": "openid email",
        "client_id": settings().client_id,
        "redirect_uri": url_for(".callback", _external=True),
        "state": pending["state"],
        "nonce": pending["nonce"],
        "code_challenge": create_s256_code_challenge(pending["code_verifier"]),
        "code_challenge_method": "S256",
        "vtr": "[" + ",".join(f'"{vector}"' for vector in settings().vtr) + "]",
        "ui_locales": page_language(),
    }
    return redirect(f"{authorize}?{urlencode(query)}")


@one_login.get("/sign-in/callback")
def callback() -> Response | Page:
    pending = session.pop(PENDING, None)
    if not isinstance(pending, dict) or request.args.get("state") != pending.get("state"):
        logger.warning("One Login sign-in refused: the state check failed")
        return sign_in_failed("problem")
    if error := request.args.get("error"):
        if error == "access_denied":
            logger.info("One Login sign-in ended by the user or One Login: access_denied")
            return sign_in_failed("denied")
        logger.warning("One Login sign-in failed: One Login returned error %r", error)
        return sign_in_failed("problem")
    try:
        user = _signed_in_user(request.args.get("code", ""), pending)
    except TokenRejected as rejected:
        logger.warning(
            "One Login sign-in refused: the %s check failed (%s)", rejected.check, rejected.detail
        )
        return sign_in_failed("problem")
    except ProviderError as error:
        logger.error("One Login sign-in failed: %s", error)
        return sign_in_failed("unavailable")
    start_sign_in(**user)
    return redirect(local_url(pending.get("next"), fallback=url_for("pages.start")))


def _signed_in_user(code: str, pending: dict[str, Any]) -> dict[str, str]:
    if not code:
        raise TokenRejected("code", "no authorization code")
    config = settings()
    if config.private_key is None:
        raise ProviderError("ONE_LOGIN_PRIVATE_KEY is not set")
    tokens = provider().exchange_code(
        code=code,
        redirect_uri=url_for(".callback", _external=True),
        code_verifier=str(pending.get("code_verifier")),
        client_id=config.client_id,
        key=load_private_key(config.private_key),
    )
    id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
    if not isinstance(id_token, str) or not isinstance(access_token, str):
        raise TokenRejected("token response", "no id_token or access_token")
    claims = verified_claims(
        id_token, provider().keys, issuer=config.issuer, audience=config.client_id, now=time.time()
    )
    check_id_token_claims(claims, nonce=str(pending.get("nonce")), vectors_of_trust=config.vtr)
    userinfo = provider().userinfo(access_token)
    if userinfo.get("sub") != claims["sub"]:
        raise TokenRejected("userinfo", "its sub is not the ID token's")
    email = userinfo.get("email")
    if not isinstance(email, str) or not email:
        raise TokenRejected("userinfo", "no email address")
    return {"user_id": claims["sub"], "email": email, "id_token": id_token}


def sign_in_failed(reason: str) -> Page:
    status = {"denied": 200, "problem": 400, "unavailable": 503}[reason]
    return render_template("one_login/sign_in_failed.html", reason=reason), status


@one_login.get("/sign-out")
def sign_out() -> Response:
    id_token = end_sign_in()
    session.clear()  # the journey's answers go too: the next person on this browser sees none
    signed_out = url_for(".signed_out", _external=True)
    if id_token is None:
        return redirect(signed_out)
    try:
        end_session = provider().endpoint("end_session_endpoint")
    except ProviderError as error:
        logger.error("Signed out here, but not at One Login: %s", error)
        return redirect(signed_out)
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": signed_out}
    return redirect(f"{end_session}?{urlencode(query)}")


@one_login.get("/signed-out")
def signed_out() -> str:
    return render_template("one_login/signed_out.html")


@one_login.post("/back-channel-logout")
def back_channel_logout() -> tuple[dict[str, str], int] | tuple[str, int]:
    """One Login tells us a user signed out elsewhere: end all their sessions here."""
    config = settings()
    now = time.time()
    try:
        claims = verified_claims(
            request.form.get("logout_token", ""),
            provider().keys,
            issuer=config.issuer,
            audience=config.client_id,
            now=now,
        )
        check_logout_token_claims(claims, now=now)
    except TokenRejected as rejected:
        logger.warning(
            "Back-channel logout refused: the %s check failed (%s)", rejected.check, rejected.detail
        )
        return {"error": "invalid_request"}, 400
    except ProviderError as error:
        logger.error("Back-channel logout could not check the token: %s", error)
        return {"error": "temporarily_unavailable"}, 503
    if not first_use_of_logout_token(
        claims["jti"], remember_for=LOGOUT_TOKEN_MAX_AGE_SECONDS + 2 * LEEWAY_SECONDS
    ):
        logger.warning("Back-channel logout refused: the jti check failed (replayed token)")
        return {"error": "invalid_request"}, 400
    ended = end_sign_ins_of(claims["sub"])
    logger.info("Back-channel logout ended %d session(s)", ended)
    return "", 200


def init_app(app: Flask) -> None:
    """After the journeys are registered: "Your applications" lists what they sent."""
    app.extensions[SETTINGS] = one_login_settings = Settings.of(app).feature(
        "one_login", read_settings
    )
    app.extensions["one_login"] = OneLoginProvider(one_login_settings.issuer)
    # One Login posts here, server to server: there is no form, so no CSRF token.
    app.extensions["csrf"].exempt(back_channel_logout)
    app.register_blueprint(one_login)
    app.cli.add_command(one_login_cli)
    add_stand_in(app, StandIn.at("GOV.UK One Login", LOCAL_ONE_LOGIN_ISSUER, local_stand_in))
    app.context_processor(lambda: {"signed_in_user": current_user})
    sign_out_with(app, lambda: url_for("one_login.sign_out") if current_user() else None)
    init_your_applications(app)
