"""What every page of a journey needs: where things are, the answers so far, the page's
form, and where a user goes next or back to."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..journey_state import JourneyStore
from .flow import Progress
from .forms import QuestionForm, form_for
from .pages import Journey, Page
from .questions import Answers

View = str | Response | tuple[str, int]
MOST_ADDRESSES = 1000


class JourneyViews:
    """One journey's views share these."""

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.forms: dict[str, type[QuestionForm]] = {}
        # Each page's address, by the root the service is served from.
        self.addresses: dict[tuple[str, str], str] = {}
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
        return changed(self.address(page), changing)

    def address(self, page: Page) -> str:
        """url_for the page, made once: check answers links to every page, and url_for
        (which quotes the slug each time) was a twentieth of its time."""
        key = (request.script_root, page.slug)
        if (found := self.addresses.get(key)) is None:
            if len(self.addresses) > MOST_ADDRESSES:  # roots a request can claim: bounded
                self.addresses.clear()
            found = self.addresses[key] = url_for(self.endpoint("question"), slug=page.slug)
        return found

    def item_url(self, page: Page, number: int, *, changing: bool = False) -> str:
        return changed(url_for(self.endpoint("item"), slug=page.slug, number=number), changing)

    def change_url(self, page: Page, number: int | None) -> str:
        if number is None:
            return self.url(page, changing=True)
        return self.item_url(page, number, changing=True)

    def sent_key(self) -> str:
        return f"{self.journey.name}:sent"

    def confirmed_key(self) -> str:
        return f"{self.journey.name}:confirmed"

    def page_or_404(self, slug: str) -> Page:
        page = self.journey.page(slug)
        if page is None:
            abort(404)
        return page

    def onward(self, page: Page, answers: Answers, *, changing: bool) -> Response:
        where = Progress(self.journey, answers)
        missing = where.first_unanswered()
        if changing:
            # A changed answer may show a page not answered yet: ask it, then come back.
            return redirect(self.url(missing, changing=missing is not None))
        following = where.page_after(page)
        things = following.add_another if following is not None else None
        if following is not None and things is not None and not answers.get(things.name):
            return redirect(self.item_url(following, 1))  # straight to the first thing
        return redirect(self.url(following))

    def back(self, page: Page, where: Progress, *, changing: bool) -> str:
        if changing:
            return self.url(None)
        previous = where.page_before(page)
        return self.url(previous) if previous else url_for("pages.start")

    def form(self, page: Page, data: dict[str, Any], answered: bool) -> QuestionForm:
        """The page's form: on a POST, what was sent; on a GET, the answer given before."""
        if request.method != "GET" or not answered:
            return self.forms[page.slug]()
        return self.forms[page.slug](formdata=as_form_data(data))


def as_form_data(data: dict[str, Any]) -> MultiDict[str, Any]:
    """Answers as a browser posts them: a list for a name given more than once."""
    pairs = [
        (name, value)
        for name, values in data.items()
        for value in (values if isinstance(values, list | tuple) else [values])
    ]
    return MultiDict(pairs)


def changed(address: str, changing: bool) -> str:
    """A page's address, asked for from check answers (`?change=1`: back there after it).
    Written here rather than by url_for, whose query encoding costs more than the rest of
    a check answers row."""
    return f"{address}?change=1" if changing else address
