from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SelectChoice, SubmitField
from wtforms.validators import AnyOf, InputRequired


class CookiePreferencesForm(FlaskForm):
    analytics = RadioField(
        "Do you want to accept analytics cookies?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select yes if you want to accept analytics cookies")],
    )
    submit = SubmitField("Save cookie settings", widget=GovSubmitInput())


class CookieBannerForm(FlaskForm):
    """The banner's two buttons; posted from any page, so it returns to `next`."""

    cookies = HiddenField(validators=[AnyOf(["accept", "reject"])])
    next = HiddenField()
