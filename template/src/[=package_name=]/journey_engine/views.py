"""A journey's pages, served from its declaration: one blueprint per journey, at
/<journey name>/.

Every page sends a user who skipped ahead back to the first page they have not answered;
Change links come back to check answers; sending is idempotent; what a feature adds
between sending and the confirmation (paying a fee) is a Step in events.py.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ..database import db_session
from ..text import page_language
from .add_another_views import AddAnotherViews
from .applications import (
    Application,
    application_by_reference,
    complete,
    find_application,
    readable_reference,
    run,
    save_application,
)
from .base_views import View, as_form_data
from .check_answers import sections
from .events import announce_answered, hooks
from .flow import (
    INTERNAL,
    Progress,
    counted_answers,
    first_unanswered,
    shown_pages,
)
from .forms import DeclarationForm
from .pages import Exit, Journey, Page
from .questions import Answers, Question

SUBMISSION_KEY = f"{INTERNAL}submission_key"  # kept with the answers; not a question


class JourneyPages(AddAnotherViews):
    """The views of one journey: its question pages, exit pages, check answers, sending
    and the confirmation (add another's are in add_another_views.py)."""

    # --- the pages ----------------------------------------------------------------------
    def begin(self) -> Response:
        if self.store.timed_out():
            self.store.forget()  # starting again: nothing to explain
        answers = self.store.answers()
        if not answers and (waiting := self.unfinished()):
            return self.resume(waiting)
        return redirect(self.url(first_unanswered(self.journey, answers)))

    def question(self, slug: str) -> View:
        page = self.page_or_404(slug)
        if self.store.timed_out():
            return self.explain_timed_out()
        answers = self.store.answers()
        where = Progress(self.journey, answers)
        if missing := where.first_unanswered(before=page):
            return redirect(self.url(missing))
        if page not in where.shown:
            return redirect(self.url(where.first_unanswered()))
        if page.exit is not None:
            return self.exit_page(page, page.exit, where)
        if page.add_another is not None:
            return self.things_added(page, page.add_another, answers)
        if page.question is None:
            abort(404)
        return self.ask(page, page.question, answers, where)

    def ask(self, page: Page, question: Question, answers: Answers, where: Progress) -> View:
        changing = request.args.get("change") == "1"
        answered = all(name in answers for name in page.names)
        form = self.form(page, question.form_data(answers), answered)
        action = hooks().action_chosen() if request.method == "POST" else None
        if form.validate_on_submit():
            announce_answered(self.journey, page, first=not answers)
            answers |= question.answer(form)
            self.store.save(answers)
            if action is not None:
                return action.run(self.journey)
            return self.onward(page, answers, changing=changing)
        if action is not None:
            # CSRFProtect has checked the form; an answer not valid yet is left out.
            return action.run(self.journey)
        return render_template(
            page.template or "journey_engine/question.html",
            form=form,
            question=question,
            actions=hooks().actions_shown(),
            page_title=question.label,
            back_url=self.back(page, where, changing=changing),
        )

    def explain_timed_out(self) -> Response:
        """Answers left too long were deleted: say so, rather than start again silently."""
        self.store.forget()
        return redirect(url_for("timeout.timed_out"))

    def exit_page(self, page: Page, exit_: Exit, where: Progress) -> View:
        return render_template(
            "journey_engine/exit.html",
            exit=exit_,
            page_title=exit_.heading,
            back_url=self.back(page, where, changing=False),
        )

    # --- check answers, sending and the confirmation --------------------------------------
    def check_answers(self) -> View:
        if request.method == "POST" and (action := hooks().action_chosen()):
            return action.run(self.journey)  # the answers are saved already
        form = DeclarationForm()
        sending = form.validate_on_submit()
        # Answers first, then the check for an earlier send: a send saves the application
        # before it deletes the answers, so a double click's second request finds one or other.
        answers = self.store.answers()
        if sending and (sent := find_application(form.submission_key.data)):
            return self.proceed(sent)  # sent already (a double click, or the browser retried)
        if not answers and (waiting := self.unfinished()):
            return self.resume(waiting)  # sent, with a step still to do (back from paying)
        if self.store.timed_out():
            return self.explain_timed_out()
        where = Progress(self.journey, answers)
        if missing := where.first_unanswered():
            return redirect(self.url(missing))
        if sending and form.submission_key.data == answers.get(SUBMISSION_KEY):
            if wrong := self.no_longer_valid(answers):
                return redirect(self.url(wrong))
            application = save_application(
                self.journey.name,
                self.journey.version,
                self.sendable(answers),
                form.submission_key.data,
                language=page_language(),
                complete=not hooks().steps,
            )
            session[self.sent_key()] = application.reference
            self.store.clear()
            return self.proceed(application)  # saved first: if a step fails, nothing is lost
        if SUBMISSION_KEY not in answers:
            answers[SUBMISSION_KEY] = secrets.token_urlsafe(32)
            self.store.save(answers)
        form.submission_key.data = answers[SUBMISSION_KEY]
        return render_template(
            "journey_engine/check_answers.html",
            form=form,
            journey=self.journey,
            sections=sections(where.shown, answers, self.change_url),
            notes=hooks().check_answers_notes,
            send_button=hooks().send_button,
            actions=hooks().actions_shown(),
            page_title=self.journey.check_answers_heading,
            back_url=self.url(where.shown[-1]),
        )

    def restore(self, answers: Answers) -> Response:
        """Answers kept elsewhere (saved to come back to later) become this browser's
        again, checked against the journey as it is now: answers to questions it no longer
        asks are dropped, an answer its rules no longer accept is asked again, and the user
        goes to the first page still to answer (a question added since is asked)."""
        asked = {name for page in self.journey.pages for name in page.names}
        kept = {
            key: value
            for key, value in answers.items()
            if key in asked or (key.startswith(INTERNAL) and key != SUBMISSION_KEY)
        }
        while wrong := self.no_longer_valid(kept, answered_only=True):
            kept = {key: value for key, value in kept.items() if key not in wrong.names}
        self.store.save(kept)
        return redirect(self.url(first_unanswered(self.journey, kept)))

    def sendable(self, answers: Answers) -> Answers:
        """What is saved: the answers that count, without the engine's own."""
        counted = counted_answers(self.journey, answers)
        return {key: value for key, value in counted.items() if not key.startswith(INTERNAL)}

    def no_longer_valid(self, answers: Answers, *, answered_only: bool = False) -> Page | None:
        """The first page whose saved answer its question no longer accepts (a rule
        changed in a release since it was given); with `answered_only`, of the pages
        with an answer."""
        for page in shown_pages(self.journey, answers):
            if page.question is None:
                continue
            if answered_only and not any(name in answers for name in page.names):
                continue
            data = as_form_data(page.question.form_data(answers))
            if not self.forms[page.slug](formdata=data).validate():
                return page
        return None

    def proceed(self, application: Application) -> View:
        """After sending: each step a feature added, then the confirmation."""
        for step in hooks().steps:
            if (where := step.start(self.journey, application)) is not None:
                return where
        if application.completed_at is None:
            run_after = complete(db_session(), application.id)
            db_session().commit()
            run(run_after)
        return self.show_confirmation(application)

    def show_confirmation(self, application: Application) -> Response:
        session[self.confirmed_key()] = application.reference
        return redirect(url_for(self.endpoint("confirmation")))

    def sent_application(self) -> Application | None:
        """The application this browser last sent on this journey, if any."""
        reference = session.get(self.sent_key())
        return application_by_reference(reference) if isinstance(reference, str) else None

    def unfinished(self) -> Application | None:
        application = self.sent_application()
        return application if application is not None and application.completed_at is None else None

    def resume(self, application: Application) -> Response:
        del application  # each step finds it again from the session
        step = hooks().steps[0]
        return redirect(url_for(step.resume_endpoint, journey=self.journey.name))

    def confirmation(self) -> View:
        reference = session.get(self.confirmed_key())
        application = application_by_reference(reference) if isinstance(reference, str) else None
        if application is None:
            return redirect(url_for(self.endpoint("begin")))
        return render_template(
            "journey_engine/confirmation.html",
            journey=self.journey,
            application=application,
            reference=readable_reference(application.reference),
            notes=hooks().confirmation_notes,
            page_title=self.journey.confirmation_heading,
        )


def journey_blueprint(journey: Journey) -> tuple[Blueprint, JourneyPages]:
    pages = JourneyPages(journey)
    blueprint = Blueprint(
        journey.name, __name__, url_prefix=journey.url_prefix, template_folder="templates"
    )
    blueprint.add_url_rule("/", "begin", pages.begin)
    blueprint.add_url_rule(
        "/check-your-answers", "check_answers", pages.check_answers, methods=["GET", "POST"]
    )
    blueprint.add_url_rule("/confirmation", "confirmation", pages.confirmation)
    blueprint.add_url_rule("/<slug>", "question", pages.question, methods=["GET", "POST"])
    blueprint.add_url_rule("/<slug>/<int:number>", "item", pages.item, methods=["GET", "POST"])
    blueprint.add_url_rule(
        "/<slug>/<int:number>/remove", "remove", pages.remove, methods=["GET", "POST"]
    )
    return blueprint, pages
