"""OpenTelemetry tracing: each request, the database queries it makes and the calls it
makes to other services (httpx), as one trace, sent where OTEL_EXPORTER_OTLP_ENDPOINT
says (OTLP over HTTP). Off, and nothing of OpenTelemetry imported, unless it is set.

The exporter reads the standard OTEL_* variables itself (OTEL_EXPORTER_OTLP_HEADERS for
a key, OTEL_SERVICE_NAME, ...). Spans leave the service without personal data or
secrets (privacy.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib.util import find_spec
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"
# Probes every few seconds would bury the traces worth reading.
NOT_TRACED = "healthz,readyz"


def init_app(app: Flask, env: Mapping[str, str] | None = None) -> None:
    """After the database: its engine is traced too."""
    env = os.environ if env is None else env
    if not env.get(ENDPOINT, "").strip():
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    trace(app, OTLPSpanExporter(), env.get("OTEL_SERVICE_NAME") or app.name)


def trace(app: Flask, exporter: SpanExporter, service_name: str) -> TracerProvider:
    """Trace this app's requests, queries and HTTP calls to `exporter`."""
    from opentelemetry.instrumentation.flask import FlaskInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    from .privacy import WithoutPersonalData

    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    provider.add_span_processor(BatchSpanProcessor(WithoutPersonalData(exporter)))
    FlaskInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls=NOT_TRACED)
    # These patch their libraries for the whole process, once: one app per worker.
    engine = app.extensions["database"].engine
    # Its declared range stops short of SQLAlchemy 2.1, whose engine events it uses
    # unchanged: tests/unit/tracing checks the queries are traced.
    SQLAlchemyInstrumentor().instrument(
        engine=engine, tracer_provider=provider, skip_dep_check=True
    )
    if find_spec("httpx"):  # services that call others over HTTP
        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    app.extensions["tracing"] = provider
    return provider
