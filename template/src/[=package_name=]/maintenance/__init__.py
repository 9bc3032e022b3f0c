"""Maintenance mode: with MAINTENANCE_MODE=true every page answers with GOV.UK's "Sorry,
the service is unavailable" page, status 503 and Retry-After, so users, browsers and
crawlers know to come back. The probes (/healthz, /readyz) still answer, so the platform
keeps the service running and routed. Addresses in MAINTENANCE_ALLOW_IPS (the team's)
use the service as usual, to check it before opening it again; client_address.py says
whose address a request is (behind a trusted proxy, the user's).

Both settings are read and checked here, at start-up, like every other setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, render_template, request
from werkzeug.wrappers import Response

from ..client_address import Address, Network, among, client_address, networks
from ..config import switch

# No routes of its own: its page, and the check before every request.
maintenance = Blueprint("maintenance", __name__, template_folder="templates")
# How long browsers and crawlers are told to wait before asking again.
RETRY_AFTER_SECONDS = 3600
# Still answered as usual: the platform's probes (the service is up, only closed to users)
# and how to report a vulnerability.
STILL_OPEN = frozenset({"health.liveness", "health.readiness", "security_txt.security_txt_file"})


@dataclass(frozen=True)
class MaintenanceSettings:
    on: bool = False
    allowed: tuple[Network, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MaintenanceSettings:
        return cls(
            on=switch(env, "MAINTENANCE_MODE"),
            allowed=networks("MAINTENANCE_ALLOW_IPS", env.get("MAINTENANCE_ALLOW_IPS", "")),
        )

    def lets_in(self, address: Address | None) -> bool:
        return address is not None and among(address, self.allowed)


def settings() -> MaintenanceSettings:
    maintenance: MaintenanceSettings = current_app.extensions["maintenance"]
    return maintenance


def unavailable() -> Response | None:
    """Every request but those STILL_OPEN, while the service is closed to users."""
    maintenance = settings()
    if not maintenance.on or request.endpoint in STILL_OPEN:
        return None
    if maintenance.lets_in(client_address()):
        return None
    response = current_app.make_response((render_template("maintenance/unavailable.html"), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def init_app(app: Flask, env: Mapping[str, str] | None = None) -> None:
    """Register before anything that reads the database or a form: a closed service
    answers every request itself (a form posted from a page left open included)."""
    app.extensions["maintenance"] = MaintenanceSettings.from_env(os.environ if env is None else env)
    app.before_request(unavailable)
    app.register_blueprint(maintenance)
