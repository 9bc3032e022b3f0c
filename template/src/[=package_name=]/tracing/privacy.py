"""What a request's span may say once it leaves the service: the route it matched, not
its path or query (a link's secret token can be in the path), nor the user's address or
browser. Imported only when tracing is on."""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import SpanKind

# What the instrumentation records of each request that can say who, or hold a secret:
# replaced by the route, or left out.
PATH_ATTRIBUTES = ("http.target", "http.url", "url.path", "url.full")
LEFT_OUT = (
    "url.query",
    "net.peer.ip",
    "client.address",
    "http.client_ip",
    "network.peer.address",
    "http.user_agent",
    "user_agent.original",
)


def without_personal_data(span: ReadableSpan) -> ReadableSpan:
    """A request's span as it may leave the service: its path and query replaced by the
    route it matched, the user's address and browser left out."""
    if span.kind != SpanKind.SERVER:
        return span
    attributes = dict(span.attributes or {})
    route = str(attributes.get("http.route", "unmatched"))
    for name in PATH_ATTRIBUTES:
        if name in attributes:
            attributes[name] = route
    for name in LEFT_OUT:
        attributes.pop(name, None)
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=attributes,
        events=span.events,
        links=span.links,
        kind=span.kind,
        status=span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class WithoutPersonalData(SpanExporter):
    """Hands spans to `exporter` with nothing in them that says who, or holds a secret."""

    def __init__(self, exporter: SpanExporter) -> None:
        self.exporter = exporter

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.exporter.export([without_personal_data(span) for span in spans])

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.exporter.force_flush(timeout_millis)
