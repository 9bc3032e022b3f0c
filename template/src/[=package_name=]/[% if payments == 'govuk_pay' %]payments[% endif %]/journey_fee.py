"""The fee every journey takes: after check answers the user pays through GOV.UK Pay, and
comes back to a page that depends on what happened there. The application is complete,
and its confirmation shown, once the fee is paid.

Pay sends the user back to a return URL carrying a secret random token, made for that
payment alone; never the payment's id or reference, which could be guessed or read. Only
the browser that sent the application is told anything about it; the first visit there
asks Pay what happened and records it, and later visits show what was recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from ..database import db_session
from ..journey_engine import (
    Application,
    Journey,
    JourneyPages,
    Step,
    complete,
    fee_paid,
    hooks,
    hooks_of,
)
from ..service import SERVICE, SERVICES
from ..text import _, page_language
from .client import BillingAddress, NewPayment, PayError, PaymentState
from .ledger import SUCCESS, payment_service, returned_payment, settle, take_payment
from .models import Payment

logger = logging.getLogger(__name__)

Page = tuple[str, int]


class Outcome(StrEnum):
    PAID = "paid"
    NOT_FINISHED = "not_finished"
    CANCELLED = "cancelled"  # P0030: the user chose Cancel payment at Pay
    DECLINED = "declined"  # P0010
    EXPIRED = "expired"  # P0020: not finished within 90 minutes
    PROVIDER_ERROR = "provider_error"  # P0050
    FAILED = "failed"  # finished unpaid for a reason the service does not know


FAILURES = {"P0010": Outcome.DECLINED, "P0020": Outcome.EXPIRED, "P0050": Outcome.PROVIDER_ERROR}


def outcome_of(state: PaymentState) -> Outcome:
    """What the user is told, from Pay's state for their payment."""
    if state.status == SUCCESS and state.finished:
        return Outcome.PAID
    if not state.finished:
        return Outcome.NOT_FINISHED
    if state.status == "failed" and state.code == "P0030":
        return Outcome.CANCELLED
    if state.status in {"failed", "error"} and state.code in FAILURES:
        return FAILURES[state.code]
    return Outcome.FAILED


def fee_pence() -> int:
    return int(payment_service().settings.application_fee_pence)


def pounds(pence: int) -> str:
    """Money as GOV.UK's style guide writes it: £25, £1,250, £75.50."""
    whole, part = divmod(pence, 100)
    return f"£{whole:,}" + (f".{part:02d}" if part else "")


def journey_pages(journey: str) -> JourneyPages:
    pages = hooks().journeys.get(journey)
    if pages is None:
        abort(404)
    return pages


def payment_request(journey: Journey, application: Application, token: str) -> NewPayment:
    """What Pay is asked for; what the journey knows of the applicant fills in Pay's page."""
    language = page_language()
    applicant = journey.applicant.of(application.answers)
    address = applicant["address"] if isinstance(applicant["address"], dict) else None
    return NewPayment(
        amount=fee_pence(),
        reference=application.reference,
        # What Pay's page says the payment is for, in the page's language.
        description=str(
            _("%(service)s: application fee", service=SERVICES.get(language, SERVICE).name)
        )[:255],
        return_url=url_for(
            "payments.payment_return", journey=journey.name, token=token, _external=True
        ),
        language=language,
        email=applicant["email"] or None,
        cardholder_name=applicant["name"] or None,
        billing_address=BillingAddress(
            line1=address["line_1"],
            line2=address.get("line_2") or None,
            city=address["town"],
            postcode=address["postcode"],
        )
        if address
        else None,
    )


def pay_for(journey: Journey, application: Application) -> Response | Page | None:
    """The journey's step between sending and the confirmation: send the user to pay,
    or None once the fee is paid (the engine then shows the confirmation)."""
    if application.completed_at is not None:
        return None
    try:
        next_url = take_payment(
            application.id, lambda token: payment_request(journey, application, token)
        )
    except PayError as error:
        logger.error("Could not send application %s to payment: %s", application.id, error)
        return problem_page("unavailable", 503, journey.name)
    if next_url is not None:
        return redirect(next_url, 303)
    return (
        None
        if application_is_complete(application)
        else problem_page("unavailable", 503, journey.name)
    )


def application_is_complete(application: Application) -> bool:
    """Looked up again: settling a payment under way may have completed it just now."""
    db_session().refresh(application)
    return application.completed_at is not None


def pay(journey: str) -> str | Response | Page:
    """The application this browser sent but has not paid for: a page to go on and pay
    (GET), and going on to pay (POST, from its button or one that says a payment did not
    go through; CSRFProtect has checked the form's token, as for every POST)."""
    pages = journey_pages(journey)
    application = pages.sent_application()
    if application is None:
        return redirect(url_for(f"{journey}.begin"))
    if request.method == "GET" and application.completed_at is None:
        return problem_page("not_finished", 200, journey)
    return pages.proceed(application)  # to Pay, or its confirmation once it is paid


def payment_return(journey: str, token: str) -> Response | Page:
    """Pay has sent the user back: find out from Pay what happened, record it, and say."""
    pages = journey_pages(journey)
    payment = returned_payment(token)
    application = pages.sent_application()
    if payment is None or application is None or application.id != payment.application_id:
        # Not this browser's payment: say nothing about it (reconciliation settles it).
        return problem_page("not_recognised", 404, journey)
    if payment.finished:  # back again (a refresh): what was recorded, without asking Pay
        state = PaymentState(payment.status, finished=True, code=payment.code)
    else:
        if payment.pay_payment_id is None:
            return problem_page("not_recognised", 404, journey)
        try:
            state = payment_service().client.get_payment(payment.pay_payment_id).state
        except PayError as error:
            logger.error("Could not check payment %s on return: %s", payment.id, error)
            return problem_page("unknown", 502, journey)  # nothing recorded: a refresh tries again
        settle(payment, state)
    outcome = outcome_of(state)
    if outcome is Outcome.PAID:
        return pages.show_confirmation(application)
    if outcome is Outcome.FAILED:
        logger.error(
            "Payment %s came back as %s (%s): check it in GOV.UK Pay's admin tool",
            payment.id,
            payment.status,
            payment.code,
        )
    return problem_page(outcome.value, 200, journey)


def problem_page(problem: str, status: int, journey: str) -> Page:
    return render_template(
        "payments/payment_problem.html", problem=problem, fee=pounds(fee_pence()), journey=journey
    ), status


def complete_when_paid(session: Session, payment: Payment) -> Callable[[], None] | None:
    """The fee is paid: complete its application in the transaction that records the
    payment (its confirmation email is queued there too), once however often it is settled."""
    # Called once for each payment that succeeds (ledger.settle): counted here, once.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    journey = session.get_one(Application, payment.application_id).journey
    fee_paid.send(app, journey=journey, session=session)
    tasks = complete(session, payment.application_id)
    if not tasks:
        return None

    def once_committed() -> None:
        for task in tasks:
            task()

    return once_committed


def init_app(app: Flask) -> None:
    """After the journeys are registered: each takes the fee, at /<journey>/pay."""
    registry = hooks_of(app)
    registry.steps.append(Step(start=pay_for, resume_endpoint="payments.pay"))
    registry.send_button = _("Accept and pay")
    registry.check_answers_notes.append("payments/check_answers_note.html")
    registry.confirmation_notes.append("payments/confirmation_note.html")
    pages = Blueprint("payments", __name__, template_folder="templates")
    for name, journey_pages in registry.journeys.items():
        prefix = journey_pages.journey.url_prefix
        defaults = {"journey": name}
        registry.reserve(journey_pages.journey, "pay", "payment-return")
        pages.add_url_rule(f"{prefix}/pay", "pay", pay, defaults=defaults, methods=["GET", "POST"])
        pages.add_url_rule(
            f"{prefix}/payment-return/<token>", "payment_return", payment_return, defaults=defaults
        )
    app.register_blueprint(pages)
    app.context_processor(lambda: {"application_fee": lambda: pounds(fee_pence())})
