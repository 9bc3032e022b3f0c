"""Gunicorn's settings wherever the service runs in production, container or not.

    gunicorn --config gunicorn.conf.py '<package>:create_app()'

Each value comes from an environment variable when it is set, so the platform tunes the
service without a new image.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

# Containers report the host's CPU count, not their share of it: more workers than this
# only adds memory. Set WEB_CONCURRENCY to the CPUs the service is given, times two, plus one.
MAX_DEFAULT_WORKERS = 4
LOG_LEVELS = ("debug", "info", "warning", "error")


def default_workers() -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cpus or 1) + 1, MAX_DEFAULT_WORKERS)


# A bad value stops gunicorn with one line naming the variable (SystemExit, which gunicorn
# lets through), rather than a traceback from deep inside its config loader.
def whole_number(name: str, default: int, lowest: int, highest: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and lowest <= int(value) <= highest):
        raise SystemExit(
            f"{name} must be a whole number from {lowest} to {highest}; it is {value!r}"
        )
    return int(value)


def one_of(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise SystemExit(f"{name} must be one of {', '.join(choices)}; it is {value!r}")
    return value


def addresses(name: str, default: str) -> str:
    value = os.environ.get(name, default)
    for address in (part.strip() for part in value.split(",")):
        if address != "*" and not is_network(address):
            raise SystemExit(
                f"{name} must be IP addresses or networks separated by commas, or *; "
                f"{address!r} is not one"
            )
    return value


def is_network(address: str) -> bool:
    try:
        ipaddress.ip_network(address, strict=False)
    except ValueError:
        return False
    return True


# Listen on every interface: in a container the platform reaches the service from outside
# it. Set PORT to what the platform routes to.
bind = f"0.0.0.0:{whole_number('PORT', 8000, 1, 65535)}"
# Gunicorn reads WEB_CONCURRENCY itself only when no config file sets `workers`.
workers = whole_number("WEB_CONCURRENCY", default_workers(), 1, 64)

# Workers' heartbeat files go in memory: the container's root filesystem is read-only,
# and a disk-backed /tmp can stall them. Only this process's workers write there.
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108
if SHARED_MEMORY.is_dir():
    worker_tmp_dir = str(SHARED_MEMORY)

# No access log of gunicorn's own: the service logs each request itself, as one JSON
# line with its request id (src/<package>/logs.py). Gunicorn's errors go to stderr, where
# the platform collects logs.
accesslog = None
errorlog = "-"
loglevel = one_of("LOG_LEVEL", "info", LOG_LEVELS)

# Trust X-Forwarded-Proto (https, for secure cookies and redirects) only from these
# addresses. Gunicorn's default is the local machine; Kubernetes sets "*" in the ConfigMap,
# where a NetworkPolicy lets only the ingress controller reach the service.
forwarded_allow_ips = addresses("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Hold an idle connection from the proxy open a little, for its next request.
keepalive = 5
# A request still running after this many seconds is a bug to find; its worker restarts.
timeout = 30
