"""GOV.UK's "Add multiple things": a page for each thing, the list of things added with
Change and Remove, "Do you need to add another?", and a page to confirm a removal."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for

from ..text import _
from .base_views import JourneyViews, View
from .flow import Progress, finished_key
from .forms import add_another_question, form_for, remove_question
from .pages import AddAnother, Page
from .questions import Answers


class AddAnotherViews(JourneyViews):
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
        summary = self.things_rows(page, things, items)
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
            back_url=self.back(page, Progress(self.journey, answers), changing=changing),
        )

    def item(self, slug: str, number: int) -> View:
        page = self.page_or_404(slug)
        things = page.add_another
        answers = self.store.answers()
        if things is None:
            abort(404)
        where = Progress(self.journey, answers)
        if missing := where.first_unanswered(before=page):
            return redirect(self.url(missing))
        if page not in where.shown:
            return redirect(self.url(where.first_unanswered()))
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
            else (self.url(page) if items else self.back(page, where, changing=False))
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

    def things_rows(self, page: Page, things: AddAnother, items: list[Answers]) -> list[Any]:
        """govukSummaryList rows: each thing added, with Change and Remove."""
        return [
            {
                "key": {"text": things.item_label(number)},
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
