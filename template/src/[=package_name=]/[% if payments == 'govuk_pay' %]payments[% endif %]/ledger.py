"""Payments as the service records them, kept in step with GOV.UK Pay: starting or
resuming one, settling it once, and reconciling those users never came back from."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..database import db_session
from .client import (
    NewPayment,
    PayClient,
    PaymentState,
    PayPayment,
    PayRefusedError,
    PayUnavailableError,
)
from .models import LOST, NEW, NOT_CREATED, Payment
from .settings import PaySettings

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
NOT_FOUND = 404
ATTEMPTS = 3


@dataclass(frozen=True)
class PaymentService:
    client: PayClient
    settings: PaySettings
    on_paid: PaidHandler


def payment_service() -> PaymentService:
    found: PaymentService = current_app.extensions["payments"]
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
    token. Raises PayUnavailableError or PayRefusedError when Pay cannot be used; the
    application and any payment stay as they were, for the user to try again.
    """
    for _ in range(ATTEMPTS):
        payment = unfinished_payment(application_id) or _open_payment(application_id, request_for)
        if payment is None:
            continue  # a double submit opened one at the same moment: use that
        found = _at_pay(payment, request_for)
        if found is None:
            continue  # given up, or recorded by another request: look again
        if not found.state.finished:
            if found.state.status not in RESUMABLE:
                raise PayUnavailableError(f"payment {found.payment_id} is {found.state.status}")
            if found.next_url:
                return found.next_url
            continue  # a repeated create has no next_url: get the payment for a fresh one
        settle(payment, found.state)
        if found.state.status == SUCCESS:
            return None
        # It finished without the fee being paid: the next round makes a new one.
    raise PayUnavailableError(f"no payment could be started for application {application_id}")


def _at_pay(payment: Payment, request_for: Callable[[str], NewPayment]) -> PayPayment | None:
    """The payment as Pay has it, asking Pay to make it first if it has not answered yet."""
    client = payment_service().client
    if payment.pay_payment_id is not None:
        try:
            return client.get_payment(payment.pay_payment_id)
        except PayRefusedError as refused:
            if refused.status != NOT_FOUND:
                raise
            # Pay does not know it: the API key changed account (test to live, say).
            logger.error("GOV.UK Pay has no payment %s: %s", payment.pay_payment_id, refused)
            _give_up(payment, LOST)
            return None
    assert payment.return_token is not None  # every payment keeps its token
    _touch(payment)  # reconciliation leaves alone a payment being asked for now
    try:
        created = client.create_payment(
            request_for(payment.return_token), idempotency_key=payment.idempotency_key
        )
    except PayRefusedError as refused:
        if refused.code != IDEMPOTENCY_KEY_USED:
            raise
        _give_up(payment, NOT_CREATED)  # asked for differently before (another language)
        return None
    return created if _record_created(payment, created) else None


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
        language=request.language,
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


def _record_created(payment: Payment, created: PayPayment) -> bool:
    """Keep Pay's id, unless the payment was given up meanwhile or another request at the
    same moment kept one first (then Pay's new payment is never shown to anyone)."""
    session = db_session()
    result = session.execute(
        update(Payment)
        .where(
            Payment.id == payment.id,
            Payment.pay_payment_id.is_(None),
            Payment.finished.is_(False),
        )
        .values(pay_payment_id=created.payment_id, status=created.state.status[:16])
    )
    session.commit()
    session.refresh(payment)
    return _changed(result) or (
        payment.pay_payment_id == created.payment_id and not payment.finished
    )


def _give_up(payment: Payment, status: str) -> None:
    session = db_session()
    session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.finished.is_(False))
        .values(status=status, finished=True)
    )
    session.commit()


def _touch(payment: Payment) -> None:
    session = db_session()
    session.execute(
        update(Payment).where(Payment.id == payment.id).values(updated_at=datetime.now(UTC))
    )
    session.commit()


def returned_payment(return_token: str) -> Payment | None:
    """The payment whose return URL carries this token."""
    if not return_token:
        return None
    query = select(Payment).where(Payment.return_token == return_token)
    return db_session().scalars(query).one_or_none()


def settle(payment: Payment, state: PaymentState) -> bool:
    """Record where Pay says the payment is. The first to record it finished (the return
    page or reconciliation, whichever comes first) calls on_paid if it succeeded; later
    ones change nothing. Returns whether this call finished the payment."""
    session = db_session()
    values: dict[str, object] = {
        "status": state.status[:16],
        "code": state.code[:8] if state.code else None,
        "updated_at": datetime.now(UTC),
    }
    if state.finished:
        values["finished"] = True
    result = session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.finished.is_(False)).values(values)
    )
    finished_now = state.finished and _changed(result)
    after_commit = None
    if finished_now and state.status == SUCCESS:
        after_commit = payment_service().on_paid(session, payment)
    session.commit()
    session.refresh(payment)
    if after_commit is not None:
        after_commit()
    if finished_now:
        logger.info("Payment %s %s (%s)", payment.id, state.status, state.code or "no code")
    return finished_now


@dataclass
class ReconcileReport:
    settled: int = 0
    paid: int = 0
    still_open: int = 0
    not_created: int = 0
    unreachable: int = 0
    refused: list[str] = field(default_factory=list)


def reconcile(older_than: timedelta = EXPIRY, *, limit: int = 500) -> ReconcileReport:
    """Settle unfinished payments made more than `older_than` ago, as Pay now has them.
    Those checked longest ago go first, so a payment that keeps failing cannot hold up
    the rest."""
    cutoff = datetime.now(UTC) - older_than
    query = (
        select(Payment)
        .where(
            Payment.finished.is_(False),
            or_(
                and_(Payment.pay_payment_id.is_not(None), Payment.created_at < cutoff),
                # Never made at Pay: old only once nobody has tried again for that long.
                and_(Payment.pay_payment_id.is_(None), Payment.updated_at < cutoff),
            ),
        )
        .order_by(Payment.updated_at, Payment.id)
        .limit(limit)
    )
    report = ReconcileReport()
    for payment in db_session().scalars(query).all():
        if payment.pay_payment_id is None:
            # Pay never answered the request that would have made it, so the user was
            # never sent to pay: nothing can have been taken.
            _give_up(payment, NOT_CREATED)
            report.not_created += 1
            continue
        try:
            found = payment_service().client.get_payment(payment.pay_payment_id)
        except PayRefusedError as refused:
            logger.error("GOV.UK Pay refused to say how payment %s is: %s", payment.id, refused)
            report.refused.append(f"{payment.id}: {refused.status} {refused.code or ''}".strip())
            if refused.status == NOT_FOUND:
                _give_up(payment, LOST)
            else:
                _touch(payment)
            continue
        except PayUnavailableError as error:
            logger.error("Could not check payment %s with GOV.UK Pay: %s", payment.id, error)
            report.unreachable += 1
            _touch(payment)
            continue
        if settle(payment, found.state):
            report.settled += 1
            report.paid += found.state.status == SUCCESS
        else:
            report.still_open += 1
    return report


def _changed(result: object) -> bool:
    return isinstance(result, CursorResult) and result.rowcount == 1
