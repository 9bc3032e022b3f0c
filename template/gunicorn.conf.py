"""Gunicorn's settings wherever the service runs in production, container or not.

    gunicorn --config gunicorn.conf.py '<package>:create_app()'

Each value comes from an environment variable when it is set, so the platform tunes the
service without a new image.
"""

from __future__ import annotations

import os
from pathlib import Path

# Containers report the host's CPU count, not their share of it: more workers than this
# only adds memory. Set WEB_CONCURRENCY to the CPUs the service is given, times two, plus one.
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cpus or 1) + 1, MAX_DEFAULT_WORKERS)


# Listen on every interface: in a container the platform reaches the service from outside
# it. Set PORT to what the platform routes to.
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Gunicorn reads WEB_CONCURRENCY itself only when no config file sets `workers`.
workers = int(os.environ.get("WEB_CONCURRENCY", default_workers()))

# Workers' heartbeat files go in memory: the container's root filesystem is read-only,
# and a disk-backed /tmp can stall them. Only this process's workers write there.
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108
if SHARED_MEMORY.is_dir():
    worker_tmp_dir = str(SHARED_MEMORY)

# Requests and errors to stdout and stderr, where the platform collects logs.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Trust X-Forwarded-Proto (https, for secure cookies and redirects) only from these
# addresses. Gunicorn's default is the local machine; Kubernetes sets "*" in the ConfigMap,
# where a NetworkPolicy lets only the ingress controller reach the service.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Hold an idle connection from the proxy open a little, for its next request.
keepalive = 5
# A request still running after this many seconds is a bug to find; its worker restarts.
timeout = 30
