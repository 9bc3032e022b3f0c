"""The check answers page, made from the declarations: a summary list per section, each
answer with a Change link that comes back here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import get_template_attribute
from markupsafe import Markup, escape

from ..templating import markup_by_shape
from ..text import _
from .pages import Page
from .questions import Answers

Row = dict[str, Any]
ChangeUrl = Callable[[Page, int | None], str]


def lines(values: list[str]) -> Markup:
    return Markup("<br>").join(escape(value) for value in values)


def row(label: str, values: list[str], href: str, change: str) -> Row:
    return {
        "key": {"text": label},
        "value": {"html": lines(values)},
        "actions": {"items": [{"href": href, "text": change, "visuallyHiddenText": label.lower()}]},
    }


def rows_for(page: Page, answers: Answers, change_url: ChangeUrl, change: str) -> list[Row]:
    if page.question is not None:
        question = page.question
        # A label is a lazy string, translated each time it is read: read it once.
        label = str(question.check_answers_label)
        return [row(label, question.summary(answers), change_url(page, None), change)]
    things = page.add_another
    if things is None:
        return []
    found: list[Row] = []
    for number, item in enumerate(answers.get(things.name) or [], start=1):
        values = [line for question in things.questions for line in question.summary(item)]
        found.append(row(things.item_label(number), values, change_url(page, number), change))
    return found


def sections(
    shown: Sequence[Page], answers: Answers, change_url: ChangeUrl
) -> list[dict[str, Any]]:
    """[{"title": section or None, "rows": [...]}] for the pages the user was shown
    (flow.Progress), in the order they come."""
    grouped: list[dict[str, Any]] = []
    change = str(_("Change"))
    for page in shown:
        page_rows = rows_for(page, answers, change_url, change)
        if not page_rows:
            continue
        if not grouped or grouped[-1]["title"] != page.section:
            grouped.append({"title": page.section, "rows": []})
        grouped[-1]["rows"] += page_rows
    return grouped


def summary_list(rows: list[Row]) -> Markup:
    """GOV.UK's summary list of `rows`, its markup made once for each shape (the answers
    put back in: templating.MarkupByShape)."""
    macro = get_template_attribute(
        "govuk_frontend_jinja/components/summary-list/macro.html", "govukSummaryList"
    )
    params = {"rows": rows}
    answers = [(row["value"], "html") for row in rows]
    return markup_by_shape().render(params, answers, lambda: macro(params))
