"""Payments as the service records them, kept in step with GOV.UK Pay: starting or
resuming one, settling it once, and reconciling those users never came back from."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import PaySettings
from ..database import db_session
from .client import NewPayment, PayClient, PaymentState, PayRefusedError, PayUnavailableError
from .models import NEW, NOT_CREATED, Payment

logger = logging.getLogger(__name__)

# What the journey does when a payment succeeds, inside the transaction that records it
# (so a payment can never be saved as taken without the application being marked paid).
# It may return work to do once that is committed, such as sending an email.
PaidHandler = Callable[[Session, Payment], Callable[[], None] | None]

SUCCESS = "success"
# Statuses Pay can send the user back into with a fresh next_url.
RESUMABLE = frozenset({"created", "started", "submitted"})
# Pay's payments expire 90 minutes after they are made: only then is an unfinished
# payment's fate certain.
EXPIRY = timedelta(minutes=90)
# Pay refuses a repeated Idempotency-Key with a different body: make a new payment.
IDEMPOTENCY_KEY_USED = "P0191"
ATTEMPTS = 3


@dataclass(frozen=True)
class Payments:
    client: PayClient
    settings: PaySettings
    on_paid: PaidHandler


def payments() -> Payments:
    found: Payments = current_app.extensions["payments"]
    return found


def unfinished_payment(application_id: int) -> Payment | None:
    query = select(Payment).where(
        Payment.application_id == application_id, Payment.finished.is_(False)
    )
    return db_session().scalars(query).one_or_none()


def take_payment(application_id: int, request_for: Callable[[str], NewPayment]) -> str | None:
    """Where to send the user to pay for an application: the payment under way, resumed,
    or a new one. None when the payment under way turns out to have succeeded already.

    `request_for(return_token)` says what to ask Pay for; its return URL must carry the
    token. Raises PayUnavailableError or PayRefusedError when Pay cannot be used; the application
    and any payment stay as they were, for the user to try again.
    """
    for _ in range(ATTEMPTS):
        payment = unfinished_payment(application_id)
        if payment is not None and payment.pay_payment_id is not None:
            found = payments().client.get_payment(payment.pay_payment_id)
            if found.state.status in RESUMABLE and found.next_url:
                return found.next_url
            if not found.state.finished:
                raise PayUnavailableError(f"payment {found.payment_id} is {found.state.status}")
            settle(payment, found.state)
            if found.state.status == SUCCESS:
                return None
            continue  # it finished without the fee being paid: make a new one
        if payment is None and (payment := _open_payment(application_id, request_for)) is None:
            continue  # a double submit opened one at the same moment: use that
        assert payment.return_token is not None  # an unfinished payment keeps its token
        try:
            created = payments().client.create_payment(
                request_for(payment.return_token), idempotency_key=payment.idempotency_key
            )
        except PayRefusedError as refused:
            if refused.code != IDEMPOTENCY_KEY_USED:
                raise
            _give_up(payment)  # asked for differently before (another language, say)
            continue
        if _record_created(payment, created.payment_id, created.state.status):
            return created.next_url
    raise PayUnavailableError(f"no payment could be started for application {application_id}")


def _open_payment(application_id: int, request_for: Callable[[str], NewPayment]) -> Payment | None:
    """A new payment, saved before Pay is asked, so a double submit finds it."""
    token = secrets.token_urlsafe(32)
    request = request_for(token)
    payment = Payment(
        application_id=application_id,
        amount=request.amount,
        reference=request.reference,
        status=NEW,
        finished=False,
        idempotency_key=str(uuid.uuid4()),
        return_token=token,
    )
    session = db_session()
    session.add(payment)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return payment


def _record_created(payment: Payment, pay_payment_id: str, status: str) -> bool:
    """Keep Pay's id; False if another request at the same moment kept one first."""
    session = db_session()
    result = session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.pay_payment_id.is_(None))
        .values(pay_payment_id=pay_payment_id, status=status)
    )
    session.commit()
    session.refresh(payment)
    return _changed(result) or payment.pay_payment_id == pay_payment_id


def _give_up(payment: Payment) -> None:
    session = db_session()
    session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.finished.is_(False))
        .values(status=NOT_CREATED, finished=True, return_token=None)
    )
    session.commit()


def returned_payment(return_token: str) -> Payment | None:
    """The payment whose return URL carries this token, if it has not been used up."""
    if not return_token:
        return None
    query = select(Payment).where(Payment.return_token == return_token)
    return db_session().scalars(query).one_or_none()


def settle(payment: Payment, state: PaymentState, *, use_return_token: bool = False) -> bool:
    """Record where Pay says the payment is. The first to record it finished (the return
    page or reconciliation, whichever comes first) calls on_paid if it succeeded; later
    ones change nothing. Returns whether this call finished the payment."""
    session = db_session()
    values: dict[str, object] = {"status": state.status[:16], "code": state.code}
    if state.finished:
        values["finished"] = True
    if use_return_token and state.finished:
        values["return_token"] = None  # the return URL works once
    result = session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.finished.is_(False)).values(values)
    )
    finished_now = state.finished and _changed(result)
    after_commit = None
    if finished_now and state.status == SUCCESS:
        after_commit = payments().on_paid(session, payment)
    session.commit()
    session.refresh(payment)
    if after_commit is not None:
        after_commit()
    if finished_now:
        logger.info("Payment %s %s (%s)", payment.id, state.status, state.code or "no code")
    return finished_now


@dataclass(frozen=True)
class ReconcileReport:
    settled: int = 0
    paid: int = 0
    still_open: int = 0
    not_created: int = 0
    unreachable: int = 0


def reconcile(older_than: timedelta = EXPIRY, *, limit: int = 500) -> ReconcileReport:
    """Settle unfinished payments made more than `older_than` ago, as Pay now has them."""
    cutoff = datetime.now(UTC) - older_than
    query = (
        select(Payment)
        .where(Payment.finished.is_(False), Payment.created_at < cutoff)
        .order_by(Payment.id)
        .limit(limit)
    )
    counts = dict.fromkeys(("settled", "paid", "still_open", "not_created", "unreachable"), 0)
    for payment in db_session().scalars(query).all():
        if payment.pay_payment_id is None:
            # Pay never answered the request that would have made it, so the user was
            # never sent to pay: nothing can have been taken.
            _give_up(payment)
            counts["not_created"] += 1
            continue
        try:
            found = payments().client.get_payment(payment.pay_payment_id)
        except (PayUnavailableError, PayRefusedError) as error:
            logger.error("Could not check payment %s with GOV.UK Pay: %s", payment.id, error)
            counts["unreachable"] += 1
            continue
        if settle(payment, found.state):
            counts["settled"] += 1
            counts["paid"] += found.state.status == SUCCESS
        else:
            counts["still_open"] += 1
    return ReconcileReport(**counts)


def _changed(result: object) -> bool:
    return isinstance(result, CursorResult) and result.rowcount == 1
