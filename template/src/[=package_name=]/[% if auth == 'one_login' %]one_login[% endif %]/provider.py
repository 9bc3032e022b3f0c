"""Talking to GOV.UK One Login over HTTP: its discovery document and signing keys (both
cached as long as its Cache-Control allows), the token and userinfo endpoints.

Every call has a timeout and names the service in its User-Agent, as One Login asks.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .keys import SigningKey, signing_algorithm
from .tokens import TokenRejected

USER_AGENT = f"{__name__.split('.')[0]} (GOV.UK One Login client; httpx)"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Without Cache-Control, keep the discovery document and keys for an hour.
DEFAULT_CACHE_SECONDS = 60 * 60
# An unknown `kid` makes us fetch the keys again, but not more often than this, so a
# stream of forged tokens cannot turn the service into a load generator.
MIN_KEY_REFRESH_SECONDS = 30
# A client assertion is good for one token request: short-lived, with a fresh `jti`.
ASSERTION_LIFETIME_SECONDS = 60
MAX_AGE = re.compile(r"(?:^|,)\s*max-age=(\d+)")


class ProviderError(RuntimeError):
    """One Login could not be reached, or answered with something we cannot use."""


@dataclass
class Cached:
    value: Any
    expires_at: float


def cache_seconds(response: httpx.Response) -> int:
    """How long a response may be reused, from its Cache-Control header."""
    header = response.headers.get("Cache-Control", "").lower()
    if "no-store" in header or "no-cache" in header:
        return 0
    match = MAX_AGE.search(header)
    return int(match.group(1)) if match else DEFAULT_CACHE_SECONDS


def new_http_client() -> httpx.Client:
    return httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT, follow_redirects=False)


class OneLoginProvider:
    """One Login as the service sees it. One per application, shared by its requests."""

    def __init__(
        self,
        issuer: str,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer = issuer
        if http is not None:
            self.http = http
        self.clock = clock
        self._lock = threading.Lock()
        self._metadata: Cached | None = None
        self._keys: Cached | None = None
        self._keys_fetched_at = 0.0

    @cached_property
    def http(self) -> httpx.Client:
        """Made when first needed: building one loads the CA certificates, which costs as
        much as starting the rest of the application."""
        return new_http_client()

    def metadata(self) -> dict[str, Any]:
        """The discovery document, from cache while it is fresh."""
        with self._lock:
            if self._metadata is None or self._metadata.expires_at <= self.clock():
                response = self._get(f"{self.issuer.rstrip('/')}/.well-known/openid-configuration")
                document = _json_object(response, "discovery document")
                if document.get("issuer") != self.issuer:
                    raise ProviderError(
                        f"the discovery document names issuer {document.get('issuer')!r}, "
                        f"not {self.issuer!r}"
                    )
                self._metadata = Cached(document, self.clock() + cache_seconds(response))
            return dict(self._metadata.value)

    def endpoint(self, name: str) -> str:
        url = self.metadata().get(name)
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ProviderError(f"the discovery document has no {name}")
        return url

    def keys(self, kid: str | None) -> KeySet:
        """The signing keys, fetched again when stale or when `kid` is not among them."""
        jwks_uri = self.endpoint("jwks_uri")
        with self._lock:
            now = self.clock()
            cached = self._keys
            unknown = cached is not None and kid is not None and not _has_kid(cached, kid)
            may_refresh = now - self._keys_fetched_at >= MIN_KEY_REFRESH_SECONDS
            if cached is None or cached.expires_at <= now or (unknown and may_refresh):
                cached = self._keys = self._fetch_keys(jwks_uri)
                self._keys_fetched_at = now
            keys: KeySet = cached.value
            return keys

    def _fetch_keys(self, jwks_uri: str) -> Cached:
        response = self._get(jwks_uri)
        try:
            key_set = KeySet.import_key_set(_json_object(response, "JWKS"))  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError) as error:
            raise ProviderError(f"the JWKS could not be read: {error}") from error
        return Cached(key_set, self.clock() + cache_seconds(response))

    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str, client_id: str, key: SigningKey
    ) -> dict[str, Any]:
        """Swap the authorization code for tokens, signing in with `private_key_jwt`."""
        token_endpoint = self.endpoint("token_endpoint")
        now = int(self.clock())
        assertion = private_key_jwt_sign(
            key,
            client_id=client_id,
            token_endpoint=token_endpoint,
            alg=signing_algorithm(key),
            claims={"jti": generate_token(32), "iat": now, "exp": now + ASSERTION_LIFETIME_SECONDS},
        )
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion if isinstance(assertion, str) else assertion.decode(),
        }
        try:
            response = self.http.post(token_endpoint, data=form)
        except httpx.HTTPError as error:
            raise ProviderError(f"the token endpoint could not be reached: {error}") from error
        if _refused_the_code(response):
            # A code that is forged, used or expired is the sign-in's problem, not One Login's.
            raise TokenRejected("code", f"the token endpoint refused it: {response.text[:200]}")
        if response.status_code != httpx.codes.OK:
            raise ProviderError(
                f"the token endpoint answered {response.status_code}: {response.text[:200]}"
            )
        return _json_object(response, "token response")

    def userinfo(self, access_token: str) -> dict[str, Any]:
        response = self._get(
            self.endpoint("userinfo_endpoint"),
            headers={"Authorization": f"Bearer {access_token}"},
        )
        return _json_object(response, "userinfo")

    def _get(self, url: str, headers: dict[str, str] | None = None) -> httpx.Response:
        try:
            response = self.http.get(url, headers=headers)
        except httpx.HTTPError as error:
            raise ProviderError(f"{url} could not be reached: {error}") from error
        if response.status_code != httpx.codes.OK:
            raise ProviderError(f"{url} answered {response.status_code}")
        return response


def _has_kid(cached: Cached, kid: str) -> bool:
    try:
        cached.value.get_by_kid(kid)
    except (JoseError, ValueError, KeyError):
        return False
    return True


def _json_object(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        document = response.json()
    except ValueError as error:
        raise ProviderError(f"the {what} is not JSON") from error
    if not isinstance(document, dict):
        raise ProviderError(f"the {what} is not a JSON object")
    return document


def _refused_the_code(response: httpx.Response) -> bool:
    """The token endpoint's answer to a code it will not swap (RFC 6749, section 5.2)."""
    if response.status_code != httpx.codes.BAD_REQUEST:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("error") == "invalid_grant"
