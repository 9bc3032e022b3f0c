"""Gunicorn's settings wherever the service runs in production, container or not.

    gunicorn --config gunicorn.conf.py '<package>:create_app()'

Each value comes from an environment variable when it is set, so the platform tunes the
service without a new image.
"""

from __future__ import annotations

import importlib
import ipaddress
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from gunicorn.util import import_app

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

# No control socket (gunicornc): nothing here uses it, and its default place is in the
# home folder, on the container's read-only disk.
control_socket_disable = True

# Hold an idle connection from the proxy open a little, for its next request.
keepalive = 5
# A request still running after this many seconds is a bug to find; its worker restarts.
timeout = 30

# Metrics (src/<package>/metrics/): each worker writes its counts to files in a folder of
# this server's own, and this process serves them all on METRICS_PORT, a port the ingress
# never routes to. 0 turns them off.
METRICS_PORT = whole_number("METRICS_PORT", 9102, 0, 65535)
METRICS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"


def on_starting(_server: Any) -> None:
    """Before any worker starts: they read where to write their counts when they start."""
    if METRICS_PORT:
        memory = str(SHARED_MEMORY) if SHARED_MEMORY.is_dir() else None
        os.environ[METRICS_FOLDER] = tempfile.mkdtemp(prefix="metrics-", dir=memory)


def when_ready(server: Any) -> None:
    if not METRICS_PORT:
        return
    package = server.app.app_uri.partition(":")[0]
    try:
        exporter = importlib.import_module(f"{package}.metrics.exporter")
    except ModuleNotFoundError:  # another app run with these settings (a benchmark's)
        server.log.warning("No metrics served: %s has no metrics.exporter", package)
        return
    exporter.serve(METRICS_PORT, lambda: import_app(server.app.app_uri))


def child_exit(_server: Any, worker: Any) -> None:
    """A worker gone: its in-progress count goes with it (its totals are kept)."""
    if METRICS_PORT:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(_server: Any) -> None:
    if METRICS_PORT and METRICS_FOLDER in os.environ:
        shutil.rmtree(os.environ[METRICS_FOLDER], ignore_errors=True)
