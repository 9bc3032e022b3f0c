"""Feedback: GOV.UK's satisfaction question ("Overall, how did you feel about the service
you received today?") and "How could we improve this service?", linked from every
journey's confirmation. The answers feed the user satisfaction KPI (`flask kpis`), and
`flask --app <package> feedback --from DATE --to DATE` lists them for the team to read.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..database import db_session
from ..journey_engine import Choice, Radios, Textarea
from ..journey_engine.forms import form_for
from ..metrics import add_reading
from ..periods import this_hour
from ..text import _
from .cli import feedback_command
from .models import RATINGS, RATINGS_READING, Feedback
from .page_useful import init_app as init_page_useful

feedback = Blueprint("feedback", __name__, template_folder="templates")
IMPROVEMENT_MAX_LENGTH = 1200

SATISFACTION = Radios(
    name="satisfaction",
    label=_("Overall, how did you feel about the service you received today?"),
    choices=[
        Choice("very-satisfied", _("Very satisfied")),
        Choice("satisfied", _("Satisfied")),
        Choice("neither", _("Neither satisfied or dissatisfied")),
        Choice("dissatisfied", _("Dissatisfied")),
        Choice("very-dissatisfied", _("Very dissatisfied")),
    ],
    errors={"required": _("Select how you felt about the service")},
    example="satisfied",
)
IMPROVEMENT = Textarea(
    name="improvement",
    label=_("How could we improve this service?"),
    hint=_(
        "Do not include any personal or financial information, for example your "
        "National Insurance or credit card numbers."
    ),
    optional=True,
    max_length=IMPROVEMENT_MAX_LENGTH,
    errors={
        "too_long": _(
            "Your answer must be %(most)d characters or fewer", most=IMPROVEMENT_MAX_LENGTH
        )
    },
    example="Tell me sooner which documents I need.",
)
QUESTIONS = (SATISFACTION, IMPROVEMENT)


def journey_named() -> str | None:
    """The journey whose confirmation the user came from, if it is one of this service's."""
    name = request.args.get("journey", "")
    journeys = current_app.extensions["journey_engine"].journeys
    return name if name in journeys else None


@feedback.route("/feedback", methods=["GET", "POST"])
def give() -> str | Response:
    form = form_for(QUESTIONS)()
    if form.validate_on_submit():
        improvement = (form.data.get("improvement") or "").strip()
        db_session().add(
            Feedback(
                rating=RATINGS[form.data["satisfaction"]],
                improvement=improvement or None,
                journey=journey_named(),
                hour=this_hour(),
            )
        )
        db_session().commit()
        return redirect(url_for("feedback.thank_you"))
    return render_template(
        "feedback/give.html",
        form=form,
        questions=QUESTIONS,
        back_url=url_for("pages.start"),
    )


@feedback.route("/feedback/thank-you")
def thank_you() -> str:
    return render_template("feedback/thank_you.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(feedback)
    init_page_useful(app)
    add_reading(app, RATINGS_READING)
    app.cli.add_command(feedback_command)
