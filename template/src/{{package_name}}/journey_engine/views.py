"""A journey's pages, served from its declaration: one blueprint per journey, at
/<journey name>/.

Every page sends a user who skipped ahead back to the first page they have not answered;
Change links come back to check answers; sending is idempotent; what a feature adds
between sending and the confirmation (paying a fee) is a Step in events.py.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..database import db_session
from ..journey_state import JourneyStore
from ..text import _, page_language, sentence_start
from .applications import (
    Application,
    application_by_reference,
    complete,
    find_application,
    readable_reference,
    run,
    save_application,
)
from .check_answers import sections
from .events import hooks
from .flow import (
    INTERNAL,
    counted_answers,
    finished_key,
    first_unanswered,
    page_after,
    page_before,
    shown_pages,
)
from .forms import DeclarationForm, QuestionForm, add_another_question, form_for, remove_question
from .pages import AddAnother, Journey, Page
from .questions import Answers

SUBMISSION_KEY = f"{INTERNAL}submission_key"  # kept with the answers; not a question
View = str | Response | tuple[str, int]


class JourneyPages:
    """The views of one journey."""

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.forms: dict[str, type[QuestionForm]] = {}
        for page in journey.pages:
            if page.question is not None:
                self.forms[page.slug] = form_for([page.question])
            elif page.add_another is not None:
                self.forms[page.slug] = form_for(page.add_another.questions)

    # --- where things are ---------------------------------------------------------------
    @property
    def store(self) -> JourneyStore:
        return JourneyStore(self.journey.name)

    def endpoint(self, name: str) -> str:
        return f"{self.journey.name}.{name}"

    def url(self, page: Page | None, *, changing: bool = False) -> str:
        if page is None:
            return url_for(self.endpoint("check_answers"))
        return url_for(self.endpoint("question"), slug=page.slug, change="1" if changing else None)

    def item_url(self, page: Page, number: int, *, changing: bool = False) -> str:
        change = "1" if changing else None
        return url_for(self.endpoint("item"), slug=page.slug, number=number, change=change)

    def change_url(self, page: Page, number: int | None) -> str:
        if number is None:
            return self.url(page, changing=True)
        return self.item_url(page, number, changing=True)

    def sent_key(self) -> str:
        return f"{self.journey.name}:sent"

    def confirmed_key(self) -> str:
        return f"{self.journey.name}:confirmed"

    # --- the pages ----------------------------------------------------------------------
    def begin(self) -> Response:
        answers = self.store.answers()
        if not answers and (waiting := self.unfinished()):
            return self.resume(waiting)
        return redirect(self.url(first_unanswered(self.journey, answers)))

    def page_or_404(self, slug: str) -> Page:
        page = self.journey.page(slug)
        if page is None:
            abort(404)
        return page

    def question(self, slug: str) -> View:
        page = self.page_or_404(slug)
        answers = self.store.answers()
        if missing := first_unanswered(self.journey, answers, before=page):
            return redirect(self.url(missing))
        if page not in shown_pages(self.journey, answers):
            return redirect(self.url(first_unanswered(self.journey, answers)))
        if page.exit is not None:
            return self.exit_page(page, answers)
        if page.add_another is not None:
            return self.things_added(page, page.add_another, answers)
        return self.ask(page, answers)

    def ask(self, page: Page, answers: Answers) -> View:
        question = page.question
        assert question is not None  # only question pages come here
        changing = request.args.get("change") == "1"
        answered = all(name in answers for name in page.names)
        form = self.form(page, question.form_data(answers), answered)
        if form.validate_on_submit():
            answers |= question.answer(form)
            self.store.save(answers)
            return self.onward(page, answers, changing=changing)
        return render_template(
            page.template or "journey_engine/question.html",
            form=form,
            question=question,
            page_title=question.label,
            back_url=self.back(page, answers, changing=changing),
        )

    def onward(self, page: Page, answers: Answers, *, changing: bool) -> Response:
        missing = first_unanswered(self.journey, answers)
        if changing:
            # A changed answer may show a page not answered yet: ask it, then come back.
            return redirect(self.url(missing, changing=missing is not None))
        following = page_after(self.journey, answers, page)
        things = following.add_another if following is not None else None
        if following is not None and things is not None and not answers.get(things.name):
            return redirect(self.item_url(following, 1))  # straight to the first thing
        return redirect(self.url(following))

    def back(self, page: Page, answers: Answers, *, changing: bool) -> str:
        if changing:
            return self.url(None)
        previous = page_before(self.journey, answers, page)
        return self.url(previous) if previous else url_for("pages.start")

    def form(self, page: Page, data: dict[str, Any], answered: bool) -> QuestionForm:
        """The page's form: on a POST, what was sent; on a GET, the answer given before."""
        if request.method != "GET" or not answered:
            return self.forms[page.slug]()
        return self.forms[page.slug](formdata=as_form_data(data))

    def exit_page(self, page: Page, answers: Answers) -> View:
        assert page.exit is not None
        return render_template(
            "journey_engine/exit.html",
            exit=page.exit,
            page_title=page.exit.heading,
            back_url=self.back(page, answers, changing=False),
        )

    # --- add another ----------------------------------------------------------------------
    def things_added(self, page: Page, things: AddAnother, answers: Answers) -> View:
        items: list[Answers] = list(answers.get(things.name) or [])
        if not items:
            return redirect(self.item_url(page, 1))
        changing = request.args.get("change") == "1"
        at_most = len(items) >= things.maximum
        question = add_another_question(things)
        form = form_for([] if at_most else [question])()
        if form.validate_on_submit():
            if not at_most and question.answer(form)["add_another"]:
                return redirect(self.item_url(page, len(items) + 1))
            answers[finished_key(page)] = True
            self.store.save(answers)
            return self.onward(page, answers, changing=changing)
        summary = [
            {
                "key": {
                    "text": f"{(things.summary_label or sentence_start(things.thing))} {number}"
                },
                "value": {
                    "text": ", ".join(
                        str(line) for asked in things.questions for line in asked.summary(item)
                    )
                },
                "actions": {
                    "items": [
                        {
                            "href": self.item_url(page, number),
                            "text": _("Change"),
                            "visuallyHiddenText": f"{things.thing} {number}",
                        },
                        {
                            "href": url_for(self.endpoint("remove"), slug=page.slug, number=number),
                            "text": _("Remove"),
                            "visuallyHiddenText": f"{things.thing} {number}",
                        },
                    ]
                },
            }
            for number, item in enumerate(items, start=1)
        ]
        heading = _(
            "You have added %(number)d %(things)s",
            number=len(items),
            things=things.thing if len(items) == 1 else things.things,
        )
        return render_template(
            "journey_engine/add_another.html",
            form=form,
            question=None if at_most else question,
            things=things,
            rows=summary,
            page_title=heading,
            back_url=self.back(page, answers, changing=changing),
        )

    def item(self, slug: str, number: int) -> View:
        page = self.page_or_404(slug)
        things = page.add_another
        answers = self.store.answers()
        if things is None:
            abort(404)
        if missing := first_unanswered(self.journey, answers, before=page):
            return redirect(self.url(missing))
        items: list[Answers] = list(answers.get(things.name) or [])
        if not 1 <= number <= min(len(items) + 1, things.maximum):
            return redirect(self.url(page))
        existing = items[number - 1] if number <= len(items) else None
        changing = request.args.get("change") == "1"
        data = {
            k: v
            for question in things.questions
            for k, v in question.form_data(existing or {}).items()
        }
        form = self.form(page, data, existing is not None)
        if form.validate_on_submit():
            item: Answers = {}
            for question in things.questions:
                item |= question.answer(form)
            if existing is None:
                items.append(item)
                answers[finished_key(page)] = False
            else:
                items[number - 1] = item
            answers[things.name] = items
            self.store.save(answers)
            return redirect(self.url(None) if changing else self.url(page))
        back = (
            self.url(None)
            if changing
            else (self.url(page) if items else self.back(page, answers, changing=False))
        )
        return render_template(
            "journey_engine/item.html",
            form=form,
            things=things,
            page_title=things.heading,
            back_url=back,
        )

    def remove(self, slug: str, number: int) -> View:
        page = self.page_or_404(slug)
        things = page.add_another
        if things is None:
            abort(404)
        answers = self.store.answers()
        items: list[Answers] = list(answers.get(things.name) or [])
        if not 1 <= number <= len(items):
            return redirect(self.url(page))
        question = remove_question(things, number)
        form = form_for([question])()
        if form.validate_on_submit():
            if question.answer(form)["remove"]:
                del items[number - 1]
                answers[things.name] = items
                if len(items) < things.minimum:
                    answers[finished_key(page)] = False
                self.store.save(answers)
            return redirect(self.url(page))
        return render_template(
            "journey_engine/question.html",
            form=form,
            question=question,
            page_title=question.label,
            back_url=self.url(page),
        )

    # --- check answers, sending and the confirmation --------------------------------------
    def check_answers(self) -> View:
        form = DeclarationForm()
        sending = form.validate_on_submit()
        # Answers first, then the check for an earlier send: a send saves the application
        # before it deletes the answers, so a double click's second request finds one or other.
        answers = self.store.answers()
        if sending and (sent := find_application(form.submission_key.data)):
            return self.proceed(sent)  # sent already (a double click, or the browser retried)
        if not answers and (waiting := self.unfinished()):
            return self.resume(waiting)  # sent, with a step still to do (back from paying)
        if missing := first_unanswered(self.journey, answers):
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
        shown = shown_pages(self.journey, answers)
        return render_template(
            "journey_engine/check_answers.html",
            form=form,
            journey=self.journey,
            sections=sections(self.journey, answers, self.change_url),
            notes=hooks().check_answers_notes,
            send_button=hooks().send_button,
            page_title=self.journey.check_answers_heading,
            back_url=self.url(shown[-1]),
        )

    def sendable(self, answers: Answers) -> Answers:
        """What is saved: the answers that count, without the engine's own."""
        counted = counted_answers(self.journey, answers)
        return {key: value for key, value in counted.items() if not key.startswith(INTERNAL)}

    def no_longer_valid(self, answers: Answers) -> Page | None:
        """The first page whose saved answer its question no longer accepts (a rule
        changed in a release since it was given)."""
        for page in shown_pages(self.journey, answers):
            if page.question is None:
                continue
            data = as_form_data(page.question.form_data(answers))
            if not self.forms[page.slug](formdata=data, meta={"csrf": False}).validate():
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


def as_form_data(data: dict[str, Any]) -> MultiDict[str, Any]:
    """Answers as a browser posts them: a list for a name given more than once."""
    pairs = [
        (name, value)
        for name, values in data.items()
        for value in (values if isinstance(values, list | tuple) else [values])
    ]
    return MultiDict(pairs)


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
