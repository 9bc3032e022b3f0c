"""govuk-frontend-wtf's widgets, with the words GOV.UK Frontend's components say
themselves in the page's language: the visually hidden "Error:" before each error
message, the date input's Day, Month and Year, and the character count's messages. In
English they render exactly as govuk-frontend-wtf's own.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale, gettext
from govuk_frontend_wtf import wtforms_widgets as upstream
from markupsafe import Markup

from .templating import Holder, markup_by_shape

Params = dict[str, Any]
# Welsh has six plural forms (CLDR); GOV.UK Frontend's script picks one by the page's
# `lang`. After a number a Welsh noun stays singular, so one wording serves them all.
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def translated_error(params: Params) -> Params:
    if "errorMessage" in params:
        params["errorMessage"] = {**params["errorMessage"], "visuallyHiddenText": gettext("Error")}
    return params


def plural(text: str) -> dict[str, str]:
    return dict.fromkeys(PLURAL_FORMS, text)


class MadeOnce:
    """A field's markup made once for each shape (templating.MarkupByShape), unless it
    has an error (a team may word its message with the answer) or fields of its own
    inside (a conditional question, with their answers)."""

    def typed_values(self, params: Params) -> list[Holder]:
        """Where in `params` the user's typed answer is."""
        return [(params, "value")]

    def render(self, params: Params) -> Markup:
        make = super().render  # type: ignore[misc]
        items = params.get("items") or []
        if "errorMessage" in params or any("conditional" in item for item in items):
            return make(params)  # type: ignore[no-any-return]
        shape = (type(self).__name__, params)
        return markup_by_shape().render(shape, self.typed_values(params), lambda: make(params))


class GovTextInput(MadeOnce, upstream.GovTextInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovRadioInput(MadeOnce, upstream.GovRadioInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovCheckboxesInput(MadeOnce, upstream.GovCheckboxesInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovSubmitInput(upstream.GovSubmitInput):
    pass


class GovTextArea(MadeOnce, upstream.GovTextArea):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovSelect(MadeOnce, upstream.GovSelect):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovDateInput(MadeOnce, upstream.GovDateInput):
    def typed_values(self, params: Params) -> list[Holder]:
        return [(item, "value") for item in params["items"]]  # day, month and year

    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        params = translated_error(super().map_gov_params(field, **kwargs))
        labels = (gettext("Day"), gettext("Month"), gettext("Year"))
        params["items"] = [
            {**item, "label": label} for item, label in zip(params["items"], labels, strict=True)
        ]
        return params


class GovCharacterCount(MadeOnce, upstream.GovCharacterCount):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        params = translated_error(super().map_gov_params(field, **kwargs))
        locale = get_locale()
        if locale is None or locale.language == "en":  # GOV.UK Frontend's own words
            return params
        params.setdefault(
            "textareaDescriptionText", gettext("You can enter up to %{count} characters")
        )
        params.setdefault(
            "charactersUnderLimitText", plural(gettext("You have %{count} characters remaining"))
        )
        params.setdefault("charactersAtLimitText", gettext("You have 0 characters remaining"))
        params.setdefault(
            "charactersOverLimitText", plural(gettext("You have %{count} characters too many"))
        )
        return params
