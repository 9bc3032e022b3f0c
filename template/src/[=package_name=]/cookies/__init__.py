"""The cookies page and the cookie banner shown on every page until the user chooses."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..redirects import local_url
from .consent import CookieConsent, read_consent, save_consent
from .forms import CookieBannerForm, CookiePreferencesForm

cookies = Blueprint("cookies", __name__, template_folder="templates")

# Flashed to the next page, where the banner confirms the choice once.
BANNER_CATEGORY = "cookie-banner"


@cookies.app_context_processor
def cookie_banner_context() -> dict[str, object]:
    return {"cookie_consent": read_consent(request), "cookie_banner_category": BANNER_CATEGORY}


@cookies.route("/cookies", methods=["GET", "POST"])
def preferences() -> str | Response:
    consent = read_consent(request)
    form = CookiePreferencesForm()
    if request.method == "GET" and consent is not None:
        form.analytics.data = "yes" if consent.analytics else "no"
    if form.validate_on_submit():
        response = redirect(url_for("cookies.preferences"))
        save_consent(response, CookieConsent(analytics=form.analytics.data == "yes"))
        flash("saved", "cookie-preferences")
        return response
    return render_template("cookies/cookies.html", form=form)


@cookies.post("/cookies/banner")
def banner() -> Response:
    form = CookieBannerForm()
    response = redirect(local_url(form.next.data, fallback=url_for("pages.start")))
    if form.validate_on_submit():
        analytics = form.cookies.data == "accept"
        save_consent(response, CookieConsent(analytics=analytics))
        flash("accepted" if analytics else "rejected", BANNER_CATEGORY)
    return response
