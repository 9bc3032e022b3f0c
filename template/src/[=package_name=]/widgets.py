"""govuk-frontend-wtf's widgets, with the words GOV.UK Frontend's components say
themselves in the page's language: the visually hidden "Error:" before each error
message, the date input's Day, Month and Year, and the character count's messages. In
English they render exactly as govuk-frontend-wtf's own.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale, gettext
from govuk_frontend_wtf import wtforms_widgets as upstream

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


class GovTextInput(upstream.GovTextInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovRadioInput(upstream.GovRadioInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovCheckboxesInput(upstream.GovCheckboxesInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovSubmitInput(upstream.GovSubmitInput):
    pass


class GovTextArea(upstream.GovTextArea):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovSelect(upstream.GovSelect):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        return translated_error(super().map_gov_params(field, **kwargs))


class GovDateInput(upstream.GovDateInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> Params:
        params = translated_error(super().map_gov_params(field, **kwargs))
        labels = (gettext("Day"), gettext("Month"), gettext("Year"))
        params["items"] = [
            {**item, "label": label} for item, label in zip(params["items"], labels, strict=True)
        ]
        return params


class GovCharacterCount(upstream.GovCharacterCount):
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
