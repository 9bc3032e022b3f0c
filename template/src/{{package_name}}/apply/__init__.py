"""An example transactional journey: question pages, check answers, confirmation.

Copy its shape for your own journeys. To remove it, see the service's README.
"""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from ..journey_state import Answers, JourneyStore
from .forms import DeclarationForm
from .questions import BY_SLUG, QUESTIONS, Question, after, before, first_unanswered
from .submission import find_application, readable_reference, submit_application

apply = Blueprint("apply", __name__, url_prefix="/apply", template_folder="templates")

SUBMISSION_KEY = "_submission_key"  # kept with the answers; not a question
REFERENCE = "apply:reference"  # the sent application's reference, for the confirmation


def journey() -> JourneyStore:
    return JourneyStore("apply")


def question_url(question: Question | None, *, changing: bool = False) -> str:
    if question is None:
        return url_for(".check_answers")
    return url_for(".question", slug=question.slug, change="1" if changing else None)


@apply.get("/")
def begin() -> Response:
    return redirect(question_url(first_unanswered(journey().answers())))


@apply.route("/<slug>", methods=["GET", "POST"])
def question(slug: str) -> str | Response:
    question = BY_SLUG.get(slug) or abort(404)
    answers = journey().answers()
    if missing := first_unanswered(answers, before=question):
        return redirect(question_url(missing))
    # From a "Change" link: go back to check answers afterwards.
    changing = request.args.get("change") == "1"
    form = question.form(data=question.form.prefill(answers[slug]) if slug in answers else None)
    if form.validate_on_submit():
        answers[slug] = form.answer()
        journey().save(answers)
        if changing:
            return redirect(question_url(first_unanswered(answers)))
        return redirect(question_url(after(question)))
    previous = before(question)
    back = (
        question_url(None)
        if changing
        else (question_url(previous) if previous else url_for("pages.start"))
    )
    return render_template(question.template, form=form, back_url=back)


@apply.route("/check-your-answers", methods=["GET", "POST"])
def check_answers() -> str | Response:
    form = DeclarationForm()
    sending = form.validate_on_submit()
    # Answers first, then the check for an earlier send: a send saves the application
    # before it deletes the answers, so a double click's second request finds one or other.
    answers = journey().answers()
    if sending and (sent := find_application(form.submission_key.data)):
        # Sent already (a double click, or the browser retried): same confirmation.
        session[REFERENCE] = sent.reference
        return redirect(url_for(".confirmation"))
    if missing := first_unanswered(answers):
        return redirect(question_url(missing))
    if sending and form.submission_key.data == answers.get(SUBMISSION_KEY):
        application = submit_application(answers, form.submission_key.data)
        journey().clear()
        session[REFERENCE] = application.reference
        return redirect(url_for(".confirmation"))
    if SUBMISSION_KEY not in answers:
        answers[SUBMISSION_KEY] = secrets.token_urlsafe(32)
        journey().save(answers)
    form.submission_key.data = answers[SUBMISSION_KEY]
    return render_template(
        "apply/check_answers.html",
        form=form,
        rows=summary_rows(answers),
        back_url=question_url(QUESTIONS[-1]),
    )


@apply.get("/confirmation")
def confirmation() -> str | Response:
    reference = session.get(REFERENCE)
    if not isinstance(reference, str):
        return redirect(url_for(".begin"))
    return render_template(
        "apply/confirmation.html",
        reference=readable_reference(reference),
        email_sent="email_sender" in current_app.extensions,
    )


def summary_rows(answers: Answers) -> list[dict[str, object]]:
    """govukSummaryList rows: each answer, with a link to change it."""
    return [
        {
            "key": {"text": question.summary_label},
            "value": {
                "html": Markup("<br>").join(
                    escape(line) for line in question.form.summary(answers[question.slug])
                )
            },
            "actions": {
                "items": [
                    {
                        "href": question_url(question, changing=True),
                        "text": "Change",
                        "visuallyHiddenText": question.summary_label.lower(),
                    }
                ]
            },
        }
        for question in QUESTIONS
    ]
