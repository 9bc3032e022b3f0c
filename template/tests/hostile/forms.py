"""The forms on a page, read as a browser reads them, so the gate can send each one
valid values with one field changed at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TEXT_TYPES = {"text", "email", "tel", "number", "search", "url", "password", "hidden", "date"}
CHOICE_TYPES = {"radio", "checkbox"}

Body = dict[str, str | list[str]]


@dataclass
class Form:
    action: str  # a path on the service
    fields: dict[str, list[str]] = field(default_factory=dict)  # what it sends as it stands
    choices: dict[str, list[str]] = field(default_factory=dict)  # radios, checkboxes, selects
    # The first button's name and value: the one a browser sends when the form is submitted
    # (Enter, or its main button). Other buttons' are sent only when they are pressed.
    default_button: tuple[str, str] | None = None
    buttons: int = 0

    def body(self, answers: Body | None = None) -> Body:
        """What a user sends: the page's values, a first choice where none is made, and
        `answers` over both."""
        sent: Body = {
            name: values[0] if len(values) == 1 else values for name, values in self.fields.items()
        }
        for name, offered in self.choices.items():
            sent.setdefault(name, offered[0])
        if self.default_button is not None:
            sent.setdefault(*self.default_button)
        return sent | (answers or {})

    @property
    def names(self) -> list[str]:
        button = [self.default_button[0]] if self.default_button else []
        return sorted({*self.fields, *self.choices, *button})


class FormReader(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name", "")
        if tag == "form" and attributes.get("method", "get").lower() == "post":
            action = urljoin(self.page_path, attributes.get("action") or self.page_path)
            parts = urlsplit(action)
            self.current = Form(parts.path + (f"?{parts.query}" if parts.query else ""))
            self.forms.append(self.current)
        if self.current is not None and tag == "button":
            self.current.buttons += 1
            if self.current.buttons == 1 and name and attributes.get("value"):
                self.current.default_button = (name, attributes["value"])
        if self.current is None or not name:
            return
        kind = attributes.get("type", "text").lower()
        if tag == "input" and kind in TEXT_TYPES:
            self.current.fields.setdefault(name, []).append(attributes.get("value", ""))
        elif tag == "input" and kind in CHOICE_TYPES:
            self.current.choices.setdefault(name, []).append(attributes.get("value", "on"))
            if "checked" in attributes:
                self.current.fields.setdefault(name, []).append(attributes.get("value", "on"))
        elif tag == "textarea":
            self.textarea = name
            self.current.fields[name] = [""]
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select:
            self.current.choices.setdefault(self.select, []).append(attributes.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.current is not None and self.textarea:
            self.current.fields[self.textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def forms_in(html: str, page_path: str) -> list[Form]:
    reader = FormReader(page_path)
    reader.feed(html)
    return reader.forms


def own_form(html: str, page_path: str, action: str | None = None) -> Form:
    """The page's form that posts to `action` (the page itself unless given)."""
    wanted = action or page_path
    matching = [form for form in forms_in(html, page_path) if form.action == wanted]
    assert len(matching) == 1, f"{page_path} has {len(matching)} forms that post to {wanted}"
    return matching[0]
