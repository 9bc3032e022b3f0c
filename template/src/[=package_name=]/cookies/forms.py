from __future__ import annotations

from wtforms import HiddenField, SelectChoice, SubmitField
from wtforms.validators import AnyOf

from ..forms import GovUKForm, GovUKRadioField
from ..text import _
from ..widgets import GovSubmitInput


class CookiePreferencesForm(GovUKForm):
    analytics = GovUKRadioField(
        _("Do you want to accept analytics cookies?"),
        choices=[SelectChoice("yes", _("Yes")), SelectChoice("no", _("No"))],
        required_message=_("Select yes if you want to accept analytics cookies"),
    )
    submit = SubmitField(_("Save cookie settings"), widget=GovSubmitInput())


class CookieBannerForm(GovUKForm):
    """The banner's two buttons; posted from any page, so it returns to `next`."""

    cookies = HiddenField(validators=[AnyOf(["accept", "reject"])])
    next = HiddenField()
