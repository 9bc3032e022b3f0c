"""A small client for GOV.UK Pay's public REST API: create a payment, and get one by id.

Every call has a timeout. Getting a payment is safe to repeat, so it is retried when Pay
is briefly unreachable, busy (429) or failing (5xx). Creating one is retried only when
the request never reached Pay (a failed connection) or Pay turned it away unprocessed
(429); it also carries an Idempotency-Key, so a repeat of the same request returns the
payment made the first time rather than a second one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx

logger = logging.getLogger(__name__)

USER_AGENT = f"{__name__.split('.')[0]} (GOV.UK Pay client; httpx)"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
ATTEMPTS = 3
BACKOFF_SECONDS = (0.2, 1.0)  # before the second and third attempts
# After a 429, Pay asks clients to wait a second before trying again.
RATE_LIMITED_SECONDS = 1.0


class PayError(RuntimeError):
    """GOV.UK Pay could not be used for this request."""


class PayUnavailableError(PayError):
    """Pay could not be reached, or answered with a server error or nonsense."""


class PayRefusedError(PayError):
    """Pay refused the request (4xx): a mistake of ours, or a wrong API key."""

    def __init__(self, status: int, code: str | None, description: str | None) -> None:
        super().__init__(
            f"GOV.UK Pay refused the request: {status} {code or ''} {description or ''}"
        )
        self.status = status
        self.code = code
        self.description = description


@dataclass(frozen=True)
class PaymentState:
    """Where a payment is: Pay's `state` object."""

    status: str  # created, started, submitted, capturable, success, failed, cancelled, error
    finished: bool
    code: str | None = None  # why it failed: P0010 declined, P0020 expired, P0030 cancelled…
    message: str | None = None


@dataclass(frozen=True)
class PayPayment:
    """A payment as Pay describes it (the parts the service uses)."""

    payment_id: str
    amount: int
    reference: str
    state: PaymentState
    # Where to send the user to pay; only while the payment is not finished. Each one
    # works once: get the payment again for a fresh one.
    next_url: str | None = None


@dataclass(frozen=True)
class BillingAddress:
    line1: str
    line2: str | None
    city: str
    postcode: str
    country: str = "GB"


@dataclass(frozen=True)
class NewPayment:
    """What the service asks Pay to take. Name and address prefill Pay's card page, so
    users don't type them twice (WCAG 2.2's redundant entry)."""

    amount: int  # pence
    reference: str
    description: str
    return_url: str
    language: str = "en"
    email: str | None = None
    cardholder_name: str | None = None
    billing_address: BillingAddress | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "amount": self.amount,
            "reference": self.reference,
            "description": self.description,
            "return_url": self.return_url,
            "language": self.language,
        }
        if self.email:
            body["email"] = self.email
        prefilled: dict[str, Any] = {}
        if self.cardholder_name:
            prefilled["cardholder_name"] = self.cardholder_name
        if address := self.billing_address:
            prefilled["billing_address"] = {
                key: value
                for key, value in (
                    ("line1", address.line1),
                    ("line2", address.line2),
                    ("postcode", address.postcode),
                    ("city", address.city),
                    ("country", address.country),
                )
                if value
            }
        if prefilled:
            body["prefilled_cardholder_details"] = prefilled
        return body


class PayClient:
    def __init__(
        self,
        api_url: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._api_url = api_url
        self._api_key = api_key
        self._transport = transport
        self.sleep = sleep

    @cached_property
    def http(self) -> httpx.Client:
        """Made when first needed: building one loads the CA certificates, which costs as
        much as starting the rest of the application."""
        return httpx.Client(
            base_url=self._api_url,
            timeout=TIMEOUT,
            transport=self._transport,
            headers={
                "Authorization": f"Bearer {self._api_key}",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
        )

    def create_payment(self, payment: NewPayment, *, idempotency_key: str) -> PayPayment:
        response = self._send(
            "POST",
            "/v1/payments",
            json=payment.body(),
            headers={"Idempotency-Key": idempotency_key},
            repeatable=False,
        )
        return payment_from(response)

    def get_payment(self, payment_id: str) -> PayPayment:
        return payment_from(self._send("GET", f"/v1/payments/{payment_id}", repeatable=True))

    def _send(self, method: str, path: str, *, repeatable: bool, **options: Any) -> httpx.Response:
        wait = 0.0
        for attempt in range(ATTEMPTS):
            if attempt:
                self.sleep(max(wait, BACKOFF_SECONDS[attempt - 1]))
            wait = 0.0
            try:
                response = self.http.request(method, path, **options)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                problem: str = f"could not connect: {error}"  # never reached Pay: safe to retry
            except httpx.TransportError as error:
                if not repeatable:
                    raise PayUnavailableError(f"{method} {path}: {error!r}") from error
                problem = f"{type(error).__name__}: {error}"
            else:
                if response.status_code == 429 or (repeatable and response.status_code >= 500):
                    problem = f"answered {response.status_code}"
                    wait = RATE_LIMITED_SECONDS if response.status_code == 429 else 0.0
                elif response.status_code >= 500:
                    raise PayUnavailableError(f"{method} {path}: answered {response.status_code}")
                elif response.status_code >= 400:
                    raise refusal(response)
                else:
                    return response
            logger.warning("GOV.UK Pay %s %s, attempt %d: %s", method, path, attempt + 1, problem)
        raise PayUnavailableError(f"{method} {path}: {problem} ({ATTEMPTS} attempts)")


def refusal(response: httpx.Response) -> PayRefusedError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    return PayRefusedError(response.status_code, body.get("code"), body.get("description"))


def payment_from(response: httpx.Response) -> PayPayment:
    """Read Pay's JSON, refusing anything that lacks what the service relies on. Fields
    the service does not use are ignored, as Pay asks (it adds fields without notice)."""
    try:
        body = response.json()
        state = body["state"]
        next_url = (body.get("_links") or {}).get("next_url") or {}
        payment = PayPayment(
            payment_id=_text(body["payment_id"]),
            amount=int(body["amount"]),
            reference=_text(body["reference"]),
            state=PaymentState(
                status=_text(state["status"]),
                finished=_flag(state["finished"]),
                code=state.get("code"),
                message=state.get("message"),
            ),
            next_url=next_url.get("href"),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PayUnavailableError(
            f"GOV.UK Pay sent a payment the service cannot read: {error!r}"
        ) from error
    return payment


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"expected text, got {value!r}")
    return value
