"""Probes for the platform: /healthz (the process answers) and /readyz (it can serve)."""

from __future__ import annotations

from flask import Blueprint

from ..database import current_database, is_reachable

health = Blueprint("health", __name__)

JsonResponse = tuple[dict[str, object], int]


@health.get("/healthz")
def liveness() -> JsonResponse:
    return {"status": "ok"}, 200


@health.get("/readyz")
def readiness() -> JsonResponse:
    database_ok = is_reachable(current_database())
    body: dict[str, object] = {
        "status": "ok" if database_ok else "unavailable",
        "checks": {"database": "ok" if database_ok else "unavailable"},
    }
    return body, 200 if database_ok else 503
