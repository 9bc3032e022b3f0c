"""A local stand-in for GOV.UK Pay, for development and tests: never for production.

It answers the two calls the service makes, `POST /v1/payments` and
`GET /v1/payments/{id}`, with the fields, states and error codes GOV.UK Pay documents,
and checks requests the way Pay does (required fields, types, limits, the API key,
Idempotency-Key). Its payment page (the `next_url`) lets you choose what happens: pay,
a declined card, cancelling, letting the payment expire, or a provider error. Then it
sends the browser to the payment's return_url, as Pay does. `flask stand-ins`
runs it; the tests start it too.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask, jsonify, redirect, render_template_string, request
from werkzeug.wrappers import Response

from ..stand_ins import choice_page

TEST_KEY_PREFIX = "api_test_"
EXPIRY_SECONDS = 90 * 60
# Pay answers a repeated Idempotency-Key with the first payment for 24 hours.
IDEMPOTENCY_SECONDS = 24 * 60 * 60
# Create a payment's body, as Pay documents it: name -> (type, required, limit).
CREATE_FIELDS: dict[str, tuple[type, bool, int | None]] = {
    "amount": (int, True, 10_000_000),
    "reference": (str, True, 255),
    "description": (str, True, 255),
    "return_url": (str, True, 2000),
    "language": (str, False, None),
    "email": (str, False, 254),
    "prefilled_cardholder_details": (dict, False, None),
    "metadata": (dict, False, None),
    "delayed_capture": (bool, False, None),
    "moto": (bool, False, None),
}
BILLING_ADDRESS_FIELDS = ("line1", "line2", "postcode", "city", "country")
LANGUAGES = ("en", "cy")
URL = re.compile(r"https?://", re.IGNORECASE)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9-]{1,255}$")
# What the payment page offers: label, and the state it leaves the payment in.
OUTCOMES: dict[str, tuple[str, str, str | None, str | None]] = {
    "success": ("Pay successfully", "success", None, None),
    "declined": ("Card declined by the bank", "failed", "P0010", "Payment method rejected"),
    "cancelled": (
        "Cancel the payment (as if the user selected Cancel payment)",
        "failed",
        "P0030",
        "Payment was cancelled by the user",
    ),
    "expired": ("Let the payment expire", "failed", "P0020", "Payment expired"),
    "error": (
        "Error at the payment provider",
        "error",
        "P0050",
        "Payment provider returned an error",
    ),
}

USED_LINK_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Link used – GOV.UK Pay stand-in</title></head>
<body><main><h1>This payment link has been used</h1>
<p>Each next_url works once, as on GOV.UK Pay. Ask the service for the payment again.</p>
</main></body></html>
"""


@dataclass
class StandInPayment:
    payment_id: str
    request: dict[str, Any]
    created_at: float
    status: str = "created"
    code: str | None = None
    message: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in {"success", "failed", "cancelled", "error"}


@dataclass
class StandInPay:
    """The stand-in's state, in memory. Tests change `unavailable` to make Pay "down"
    (or `lose_create_answers`), `clock` to move time on, and call `finish` to end a
    payment as a user would."""

    clock: Callable[[], float] = time.time
    unavailable: bool = False
    # Make payments but answer 504, as if the answer were lost on the way back.
    lose_create_answers: bool = False
    payments: dict[str, StandInPayment] = field(default_factory=dict)
    idempotency: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    # next_url tokens -> payment id, and whether the link has been visited.
    links: dict[str, tuple[str, bool]] = field(default_factory=dict)
    created: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finish(self, payment_id: str, outcome: str) -> None:
        _label, status, code, message = OUTCOMES[outcome]
        with self.lock:
            payment = self.payments[payment_id]
            if not payment.finished:
                payment.status, payment.code, payment.message = status, code, message

    def expire_old(self) -> None:
        now = self.clock()
        for payment in self.payments.values():
            if not payment.finished and now - payment.created_at > EXPIRY_SECONDS:
                payment.status, payment.code, payment.message = "failed", "P0020", "Payment expired"

    def new_link(self, payment_id: str) -> str:
        token = str(secrets.token_hex(16))
        self.links[token] = (payment_id, False)
        return token


def request_problem(body: Any) -> tuple[int, dict[str, str]] | None:
    """What Pay would say about a create-payment body, or None if it would take it."""
    if not isinstance(body, dict):
        return 400, {"code": "P0197", "description": "Unable to parse JSON"}
    for name, (_kind, required, _limit) in CREATE_FIELDS.items():
        if required and body.get(name) in (None, ""):
            return 400, missing(name)
    for name, value in body.items():
        if name not in CREATE_FIELDS:
            return 422, invalid(name, "Unexpected attribute")
        kind, _required, limit = CREATE_FIELDS[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return 422, invalid(name, f"Must be of type {kind.__name__}")
        if kind is int and isinstance(value, int) and not 0 <= value <= (limit or 0):
            return 422, invalid(name, f"Must be between 0 and {limit}")
        if kind is str and isinstance(value, str) and limit is not None and len(value) > limit:
            return 422, invalid(name, f"Must be less than or equal to {limit} characters length")
    if URL.search(body["reference"]):
        return 422, invalid("reference", "Must not include a URL")
    if not URL.match(body["return_url"]):
        return 422, invalid("return_url", "Must be a valid URL format")
    if body.get("language", "en") not in LANGUAGES:
        return 422, invalid("language", "Must be one of en, cy")
    details = body.get("prefilled_cardholder_details", {})
    address = details.get("billing_address", {})
    if set(details) - {"cardholder_name", "billing_address"} or not isinstance(address, dict):
        return 422, invalid("prefilled_cardholder_details", "Unexpected attribute")
    if set(address) - set(BILLING_ADDRESS_FIELDS):
        return 422, invalid("billing_address", "Unexpected attribute")
    if len(str(details.get("cardholder_name", ""))) > 255:
        return 422, invalid("cardholder_name", "Must be less than or equal to 255 characters")
    if "country" in address and not re.fullmatch(r"[A-Z]{2}", str(address["country"])):
        return 422, invalid("country", "Must be a 2-letter ISO 3166-1 code")
    return None


def missing(name: str) -> dict[str, str]:
    return {"field": name, "code": "P0101", "description": f"Missing mandatory attribute: {name}"}


def invalid(name: str, why: str) -> dict[str, str]:
    return {
        "field": name,
        "code": "P0102",
        "description": f"Invalid attribute value: {name}. {why}",
    }


def create_stand_in(pay: StandInPay) -> Flask:
    app = Flask(__name__)

    def error(status: int, code: str, description: str) -> tuple[Response, int]:
        return jsonify(code=code, description=description), status

    def payment_json(payment: StandInPayment, *, with_next_url: bool) -> dict[str, Any]:
        root = request.url_root.rstrip("/")
        self_url = f"{root}/v1/payments/{payment.payment_id}"
        state: dict[str, Any] = {"status": payment.status, "finished": payment.finished}
        if payment.code:
            state |= {"code": payment.code, "message": payment.message}
        links: dict[str, Any] = {
            "self": {"href": self_url, "method": "GET"},
            "events": {"href": f"{self_url}/events", "method": "GET"},
            "refunds": {"href": f"{self_url}/refunds", "method": "GET"},
        }
        if with_next_url and not payment.finished:
            token = pay.new_link(payment.payment_id)
            links["next_url"] = {"href": f"{root}/secure/{token}", "method": "GET"}
            links["next_url_post"] = {
                "type": "application/x-www-form-urlencoded",
                "params": {"chargeTokenId": token},
                "href": f"{root}/secure",
                "method": "POST",
            }
            links["cancel"] = {"href": f"{self_url}/cancel", "method": "POST"}
        created = datetime.fromtimestamp(payment.created_at, UTC)
        body = payment.request
        return {
            "amount": body["amount"],
            "description": body["description"],
            "reference": body["reference"],
            "language": body.get("language", "en"),
            **({"email": body["email"]} if "email" in body else {}),
            "state": state,
            "payment_id": payment.payment_id,
            "payment_provider": "sandbox",
            "created_date": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "refund_summary": {
                "status": "available" if payment.status == "success" else "pending",
                "amount_available": body["amount"],
                "amount_submitted": 0,
            },
            "settlement_summary": {},
            "delayed_capture": body.get("delayed_capture", False),
            "moto": body.get("moto", False),
            "return_url": body["return_url"],
            "authorisation_mode": "web",
            "_links": links,
        }

    @app.before_request
    def check_api_key() -> tuple[Response, int] | None:
        if not request.path.startswith("/v1/"):
            return None
        if pay.unavailable:
            return error(503, "P0999", "GOV.UK Pay is temporarily down")
        key = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if not key.startswith(TEST_KEY_PREFIX) or len(key) <= len(TEST_KEY_PREFIX):
            return jsonify(message="Credentials are required to access this resource."), 401
        return None

    @app.post("/v1/payments")
    def create() -> tuple[Response, int]:
        if request.mimetype != "application/json":
            return error(415, "P0920", "Request blocked: Content-Type must be application/json")
        body = request.get_json(silent=True)
        if problem := request_problem(body):
            return jsonify(problem[1]), problem[0]
        assert isinstance(body, dict)  # request_problem refuses anything else
        key = request.headers.get("Idempotency-Key")
        if key is not None and not IDEMPOTENCY_KEY.match(key):
            return error(422, "P0102", "Invalid header value: Idempotency-Key")
        with pay.lock:
            pay.expire_old()
            if key is not None and key in pay.idempotency:
                earlier, payment_id = pay.idempotency[key]
                first = pay.payments.get(payment_id)
                if first is None or pay.clock() - first.created_at > IDEMPOTENCY_SECONDS:
                    del pay.idempotency[key]
            if key is not None and key in pay.idempotency:
                earlier, payment_id = pay.idempotency[key]
                if earlier != body:
                    return error(
                        409,
                        "P0191",
                        "The Idempotency-Key has been used with a different request body",
                    )
                return jsonify(payment_json(pay.payments[payment_id], with_next_url=True)), 200
            payment = StandInPayment(
                payment_id=secrets.token_hex(13), request=body, created_at=pay.clock()
            )
            pay.payments[payment.payment_id] = payment
            pay.created += 1
            if key is not None:
                pay.idempotency[key] = (body, payment.payment_id)
            if pay.lose_create_answers:
                return error(504, "P0999", "Gateway timeout")
            return jsonify(payment_json(payment, with_next_url=True)), 201

    @app.get("/v1/payments/<payment_id>")
    def get(payment_id: str) -> tuple[Response, int]:
        with pay.lock:
            pay.expire_old()
            payment = pay.payments.get(payment_id)
            if payment is None:
                return error(404, "P0200", "Not found")
            return jsonify(payment_json(payment, with_next_url=True)), 200

    @app.get("/secure/<token>")
    def payment_page(token: str) -> str | tuple[str, int]:
        with pay.lock:
            pay.expire_old()
            payment_id, visited = pay.links.get(token, ("", True))
            payment = pay.payments.get(payment_id)
            if payment is None or visited or payment.finished:
                return render_template_string(USED_LINK_PAGE), 400
            pay.links[token] = (payment_id, True)
            payment.status = "started"
        return choice_page(
            "GOV.UK Pay",
            "Enter card details",
            "No money is taken.",
            "What should happen to this payment?",
            {name: outcome[0] for name, outcome in OUTCOMES.items()},
            details=[f"{payment.request['description']}: £{payment.request['amount'] / 100:,.2f}"],
            action=request.path,
        )

    @app.post("/secure/<token>")
    def choose(token: str) -> Response | tuple[str, int]:
        outcome = request.form.get("outcome", "")
        with pay.lock:
            payment_id, visited = pay.links.get(token, ("", False))
            payment = pay.payments.get(payment_id)
        if payment is None or not visited or outcome not in OUTCOMES:
            return render_template_string(USED_LINK_PAGE), 400
        pay.finish(payment.payment_id, outcome)
        return redirect(payment.request["return_url"], 303)

    return app
