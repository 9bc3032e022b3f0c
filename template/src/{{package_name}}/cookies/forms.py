from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, SelectChoice, SubmitField
from wtforms.validators import AnyOf

from ..forms import GovUKForm, GovUKRadioField


class CookiePreferencesForm(GovUKForm):
    analytics = GovUKRadioField(
        "Do you want to accept analytics cookies?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        required_message="Select yes if you want to accept analytics cookies",
    )
    submit = SubmitField("Save cookie settings", widget=GovSubmitInput())


class CookieBannerForm(GovUKForm):
    """The banner's two buttons; posted from any page, so it returns to `next`."""

    cookies = HiddenField(validators=[AnyOf(["accept", "reject"])])
    next = HiddenField()
