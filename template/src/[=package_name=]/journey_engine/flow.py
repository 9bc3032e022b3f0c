"""Where a user is in a journey, from their answers alone: which pages are shown, which
comes next, and which answers still count (those on pages no longer shown do not)."""

from __future__ import annotations

from .pages import Journey, Page
from .questions import Answers

# Answers the engine keeps for itself start with this; they are never sent.
INTERNAL = "_"


def finished_key(page: Page) -> str:
    """Set when the user says they have added all the things an AddAnother page asks for."""
    return f"{INTERNAL}finished:{page.slug}"


def shown_pages(journey: Journey, answers: Answers) -> list[Page]:
    """The pages this user sees, in order, up to and including an exit page that applies."""
    return Progress(journey, answers).shown


def counted_answers(journey: Journey, answers: Answers) -> Answers:
    """The answers that count: each page's, if the page is shown given the answers before
    it. A changed answer can hide a later page; its answers then stop counting."""
    counted: Answers = {key: value for key, value in answers.items() if key.startswith(INTERNAL)}
    for page in journey.pages:
        if not page.shown(counted):
            continue
        if page.exit is not None:
            break
        counted |= {name: answers[name] for name in page.names if name in answers}
    return counted


def is_answered(page: Page, answers: Answers) -> bool:
    if page.exit is not None:
        return False  # the journey ends there
    if page.add_another is not None:
        items = answers.get(page.add_another.name) or []
        return bool(answers.get(finished_key(page))) and len(items) >= page.add_another.minimum
    return all(name in answers for name in page.names)


def first_unanswered(journey: Journey, answers: Answers, before: Page | None = None) -> Page | None:
    """The first shown page (before `before`, if given) still to answer; None when
    every page is answered (or `before` is reached)."""
    return Progress(journey, answers).first_unanswered(before)


class Progress:
    """Where a user is, worked out once from their answers: which count and which pages
    are shown. A view makes one for the answers it has, rather than ask the functions
    above (each of which works it all out) several times a request."""

    def __init__(self, journey: Journey, answers: Answers) -> None:
        self.counted = counted_answers(journey, answers)
        self.shown: list[Page] = []
        for page in journey.pages:
            if page.shown(self.counted):
                self.shown.append(page)
                if page.exit is not None:
                    break

    def first_unanswered(self, before: Page | None = None) -> Page | None:
        for page in self.shown:
            if page is before:
                return None
            if not is_answered(page, self.counted):
                return page
        return None

    def page_after(self, page: Page) -> Page | None:
        """The next shown page, once `page` is answered; None for check answers."""
        if page not in self.shown:
            return self.first_unanswered()
        position = self.shown.index(page)
        return self.shown[position + 1] if position + 1 < len(self.shown) else None

    def page_before(self, page: Page) -> Page | None:
        if page not in self.shown:
            return None
        position = self.shown.index(page)
        return self.shown[position - 1] if position > 0 else None
