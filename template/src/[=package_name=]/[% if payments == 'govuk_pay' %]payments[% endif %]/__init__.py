"""Taking a fee with GOV.UK Pay. See docs/pay.md in the template's documentation, and
README.md here, for accounts, API keys and going live.

The journey calls `take_payment()` to send the user to Pay: a payment already under way
is resumed, never doubled. When Pay sends the user back, `returned_payment()` finds the
payment by the secret token in its return URL, and `settle()` records what became of
it, once, calling `on_paid` in the same transaction when it succeeded (which completes the
application: journey_fee.py).
`flask payments reconcile` settles the payments users never came back from.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..config import Settings
from ..metrics import Queue, add_queue
from ..security import allow_form_targets
from ..stand_ins import StandIn, add_stand_in
from .cli import local_stand_in, payments_cli
from .client import BillingAddress, NewPayment, PayClient, PayError, PaymentState
from .journey_fee import complete_when_paid
from .journey_fee import init_app as init_journey_fee
from .ledger import (
    EXPIRY,
    SUCCESS,
    PaidHandler,
    PaymentService,
    payment_service,
    reconcile,
    returned_payment,
    settle,
    take_payment,
)
from .models import Payment
from .settings import LOCAL_PAY_API_URL, PaySettings

__all__ = [
    "EXPIRY",
    "SUCCESS",
    "BillingAddress",
    "NewPayment",
    "PaidHandler",
    "PayError",
    "PaySettings",
    "Payment",
    "PaymentState",
    "init_app",
    "payment_service",
    "reconcile",
    "returned_payment",
    "settle",
    "take_payment",
]


def payments_unfinished(session: Session) -> int:
    """Payments whose outcome is not yet recorded: users still paying, and those
    `flask payments reconcile` has still to settle."""
    return session.scalar(select(func.count()).where(Payment.finished.is_(False))) or 0


def init_app(app: Flask) -> None:
    """After the journeys are registered: every journey takes the fee (journey_fee.py)."""
    settings = Settings.of(app).feature("pay", PaySettings.from_env)
    # Forms that lead to paying redirect to GOV.UK Pay's pages: the CSP must allow it.
    allow_form_targets(app, settings.payment_pages)
    client = PayClient(settings.api_url, settings.api_key)
    service = PaymentService(client=client, settings=settings, on_paid=complete_when_paid)
    app.extensions["payments"] = service
    app.cli.add_command(payments_cli)
    add_stand_in(app, StandIn.at("GOV.UK Pay", LOCAL_PAY_API_URL, local_stand_in))
    # Users take minutes to pay: this many unsettled for half an hour is not them.
    advice = (
        "The reconcile-payments job is not running or GOV.UK Pay is not answering: "
        "`flask payments reconcile` settles them."
    )
    unfinished = Queue("payments_unfinished", payments_unfinished, alert_above=20, advice=advice)
    add_queue(app, unfinished)
    init_journey_fee(app)
