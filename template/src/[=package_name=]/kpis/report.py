"""The four KPIs GOV.UK services publish, from what the service counted (models.py), what
users said (feedback/), and the figures only the team knows: transactions completed with help (assisted digital)
and what the service cost over the period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from ..database import db_session
from ..feedback.models import SATISFIED, Feedback
from ..periods import between
from .models import (
    ABANDONED,
    COMPLETED,
    PAGE_COMPLETED,
    PAGE_NOT_USEFUL,
    PAGE_USEFUL,
    PAID,
    SAVED,
    SENT,
    STARTED,
    KpiEvent,
)

NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Kpis:
    start: date
    end: date  # the last day counted
    journey: str | None  # None: every journey
    started: int = 0
    sent: int = 0
    completed: int = 0
    abandoned: int = 0
    paid: int = 0
    saved_for_later: int = 0
    # Answers to "Is this page useful?", where the team has turned it on.
    pages_useful: int = 0
    pages_not_useful: int = 0
    pages_completed: dict[str, int] = field(default_factory=dict)
    assisted_digital: int = 0
    cost: Decimal | None = None
    # Answers to the satisfaction question (feedback/), and how many were satisfied.
    satisfaction_responses: int = 0
    satisfied: int = 0

    @property
    def transactions(self) -> int:
        return self.completed + self.assisted_digital

    @property
    def completion_rate(self) -> float | None:
        """Of the journeys started, how many were completed."""
        return self.completed / self.started if self.started else None

    @property
    def digital_take_up(self) -> float | None:
        """Of all transactions, how many were done online without help."""
        return self.completed / self.transactions if self.transactions else None

    @property
    def user_satisfaction(self) -> float | None:
        """Of those who answered the satisfaction question, how many were satisfied or
        very satisfied."""
        return self.satisfied / self.satisfaction_responses if self.satisfaction_responses else None

    @property
    def cost_per_transaction(self) -> Decimal | None:
        if self.cost is None or not self.transactions:
            return None
        return (self.cost / self.transactions).quantize(Decimal("0.01"))

    def figures(self) -> dict[str, object]:
        """Every figure by name, as JSON and CSV give them (None: not measured)."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "journey": self.journey or "all",
            "journeys_started": self.started,
            "applications_sent": self.sent,
            "applications_completed": self.completed,
            "journeys_abandoned": self.abandoned,
            "fees_paid": self.paid,
            "answers_saved_for_later": self.saved_for_later,
            "pages_found_useful": self.pages_useful,
            "pages_found_not_useful": self.pages_not_useful,
            "assisted_digital_transactions": self.assisted_digital,
            "completion_rate": _rounded(self.completion_rate),
            "digital_take_up": _rounded(self.digital_take_up),
            "user_satisfaction": _rounded(self.user_satisfaction),
            "satisfaction_responses": self.satisfaction_responses,
            "cost_per_transaction_gbp": (
                None if self.cost_per_transaction is None else str(self.cost_per_transaction)
            ),
        }


def _rounded(ratio: float | None) -> float | None:
    return None if ratio is None else round(ratio, 4)


def measure(
    start: date,
    end: date,
    *,
    journey: str | None = None,
    assisted_digital: int = 0,
    cost: Decimal | None = None,
) -> Kpis:
    """The KPIs from the first moment of `start` to the last of `end` (UK time)."""
    since, until = between(start, end)
    query = (
        select(KpiEvent.name, KpiEvent.page, func.sum(KpiEvent.count))
        .where(KpiEvent.hour >= since, KpiEvent.hour < until)
        .group_by(KpiEvent.name, KpiEvent.page)
    )
    if journey is not None:
        # Abandoned answers are counted for every journey together.
        query = query.where(KpiEvent.journey.in_([journey, ""]))
    totals: dict[str, int] = {}
    pages: dict[str, int] = {}
    for name, page, total in db_session().execute(query):
        if name == PAGE_COMPLETED and page is not None:
            pages[page] = int(total)
        else:
            totals[name] = totals.get(name, 0) + int(total)
    said = select(func.count(), func.count().filter(Feedback.rating.in_(SATISFIED))).where(
        Feedback.hour >= since, Feedback.hour < until
    )
    if journey is not None:
        said = said.where(Feedback.journey == journey)
    responses, satisfied = db_session().execute(said).one()
    return Kpis(
        start=start,
        end=end,
        journey=journey,
        started=totals.get(STARTED, 0),
        sent=totals.get(SENT, 0),
        completed=totals.get(COMPLETED, 0),
        abandoned=totals.get(ABANDONED, 0),
        paid=totals.get(PAID, 0),
        saved_for_later=totals.get(SAVED, 0),
        pages_useful=totals.get(PAGE_USEFUL, 0),
        pages_not_useful=totals.get(PAGE_NOT_USEFUL, 0),
        pages_completed=pages,
        assisted_digital=assisted_digital,
        cost=cost,
        satisfaction_responses=int(responses),
        satisfied=int(satisfied),
    )
