"""Maintenance mode: with MAINTENANCE_MODE=true every page answers with GOV.UK's "Sorry,
the service is unavailable" page, status 503 and Retry-After, so users, browsers and
crawlers know to come back. The probes (/healthz, /readyz) still answer, so the platform
keeps the service running and routed. Addresses in MAINTENANCE_ALLOW_IPS (the team's)
use the service as usual, to check it before opening it again. Behind a proxy that
FORWARDED_ALLOW_IPS trusts (as gunicorn does; in Kubernetes, the ingress controller), the
user's address is the last one the proxy added to X-Forwarded-For.

Both settings are read and checked here, at start-up, like every other setting.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, render_template, request
from werkzeug.wrappers import Response

from ..config import ConfigError

# No routes of its own: its page, and the check before every request.
maintenance = Blueprint("maintenance", __name__, template_folder="templates")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# How long browsers and crawlers are told to wait before asking again.
RETRY_AFTER_SECONDS = 3600
# Still answered as usual: the platform's probes (the service is up, only closed to users)
# and how to report a vulnerability.
STILL_OPEN = frozenset({"health.liveness", "health.readiness", "security_txt.security_txt_file"})


@dataclass(frozen=True)
class MaintenanceSettings:
    on: bool = False
    allowed: tuple[Network, ...] = ()
    # Proxies whose X-Forwarded-For is believed; None: any (FORWARDED_ALLOW_IPS=*).
    proxies: tuple[Network, ...] | None = (
        ipaddress.ip_network("127.0.0.1"),
        ipaddress.ip_network("::1"),
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MaintenanceSettings:
        mode = env.get("MAINTENANCE_MODE", "").strip().lower()
        if mode not in ("", "true", "false"):
            raise ConfigError(f"MAINTENANCE_MODE must be true or false; it is {mode!r}")
        proxies = env.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
        return cls(
            on=mode == "true",
            allowed=_networks("MAINTENANCE_ALLOW_IPS", env.get("MAINTENANCE_ALLOW_IPS", "")),
            proxies=None if proxies.strip() == "*" else _networks("FORWARDED_ALLOW_IPS", proxies),
        )

    def lets_in(self, connection: str | None, forwarded_for: str) -> bool:
        address = _address(connection)
        if address is not None and _among(address, self.proxies) and forwarded_for.strip():
            address = _address(forwarded_for.split(",")[-1])
        return address is not None and _among(address, self.allowed)


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _among(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...] | None
) -> bool:
    return networks is None or any(address in network for network in networks)


def _networks(variable: str, text: str) -> tuple[Network, ...]:
    networks = []
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigError(
                f"{variable} must be IP addresses or networks separated by commas "
                f"(203.0.113.7, 2001:db8::/32); {part!r} is not one"
            ) from None
    return tuple(networks)


def settings() -> MaintenanceSettings:
    maintenance: MaintenanceSettings = current_app.extensions["maintenance"]
    return maintenance


def unavailable() -> Response | None:
    """Every request but those STILL_OPEN, while the service is closed to users."""
    maintenance = settings()
    if not maintenance.on or request.endpoint in STILL_OPEN:
        return None
    if maintenance.lets_in(request.remote_addr, request.headers.get("X-Forwarded-For", "")):
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
