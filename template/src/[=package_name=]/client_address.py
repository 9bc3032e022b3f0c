"""Who sent a request: the address users are told apart by (maintenance mode's allow-list,
the rate limits).

Behind a proxy FORWARDED_ALLOW_IPS trusts (as gunicorn does; in Kubernetes, the ingress
controller), the user's address is the last one that proxy added to X-Forwarded-For.
Anyone can write the rest of that header, so the rest is ignored; a connection from
anywhere else is taken as it is, whatever it sends.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, current_app, request

from .config import ConfigError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# gunicorn's own default: a proxy on the same machine.
DEFAULT_PROXIES = "127.0.0.1,::1"


@dataclass(frozen=True)
class TrustedProxies:
    # None: any address may be a proxy (FORWARDED_ALLOW_IPS=*, when only the proxy can
    # reach the service, as behind a Kubernetes ingress with the network policy).
    networks: tuple[Network, ...] | None = (
        ipaddress.ip_network("127.0.0.1"),
        ipaddress.ip_network("::1"),
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TrustedProxies:
        proxies = env.get("FORWARDED_ALLOW_IPS", DEFAULT_PROXIES)
        if proxies.strip() == "*":
            return cls(networks=None)
        return cls(networks=networks("FORWARDED_ALLOW_IPS", proxies))

    def client(self, connection: str | None, forwarded_for: str) -> Address | None:
        """The user's address; None when there is none to be had (not an IP address)."""
        address = parse(connection)
        if address is not None and among(address, self.networks) and forwarded_for.strip():
            return parse(forwarded_for.split(",")[-1])
        return address


@lru_cache(maxsize=1024)
def parse(text: str | None) -> Address | None:
    """The address in `text`, kept for the next request from it (every form posted is
    counted by its sender's address, and parsing it was a fiftieth of a posted answer)."""
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def among(address: Address, networks: tuple[Network, ...] | None) -> bool:
    """Whether the address is in one of the networks (None: every network)."""
    return networks is None or any(address in network for network in networks)


def networks(variable: str, text: str) -> tuple[Network, ...]:
    """Addresses or networks separated by commas, as a setting gives them; a wrong one
    stops the service at start-up, naming the variable."""
    found = []
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigError(
                f"{variable} must be IP addresses or networks separated by commas "
                f"(203.0.113.7, 2001:db8::/32); {part!r} is not one"
            ) from None
    return tuple(found)


def client_address() -> Address | None:
    """The address of the user making this request."""
    proxies: TrustedProxies = current_app.extensions["trusted_proxies"]
    return proxies.client(request.remote_addr, request.headers.get("X-Forwarded-For", ""))


def init_app(app: Flask, env: Mapping[str, str] | None = None) -> None:
    app.extensions["trusted_proxies"] = TrustedProxies.from_env(os.environ if env is None else env)
