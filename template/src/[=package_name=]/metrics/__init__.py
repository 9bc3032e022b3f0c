"""Prometheus metrics: every request counted by route and status, and timed; and the
service's queues and KPIs, read from its database when Prometheus asks.

Under gunicorn (gunicorn.conf.py), each worker writes its counts to files in
PROMETHEUS_MULTIPROC_DIR and gunicorn's master serves them all, with the database's
figures, on METRICS_PORT (9102): a port of its own that the ingress never routes to, so
only the cluster's Prometheus reads them (exporter.py). Features add their figures with
`add_reading(app, Reading(...))` and their queues with `add_queue(app, Queue(...))`;
this package knows none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from time import perf_counter
from typing import Literal

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

# Buckets for a page that should take tens of milliseconds, and alerts at a second.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Requests no route matched (scanners' guesses) share one label, so they cannot make
# a new series each.
UNMATCHED = "unmatched"

Figure = float | Mapping[tuple[str, ...], float]
# What gunicorn's master adds to the workers' counts (exporter.py).
DATABASE_UP = "database_up"
QUEUE_LENGTH, QUEUE_ALERT_ABOVE = "queue_length", "queue_alert_above"


@dataclass(frozen=True)
class Reading:
    """A figure read from the database when Prometheus scrapes: `read(session)` gives a
    number, or numbers by the values of `labels`."""

    name: str
    description: str
    read: Callable[[Session], Figure]
    labels: tuple[str, ...] = ()
    kind: Literal["gauge", "counter"] = "gauge"


@dataclass(frozen=True)
class Queue:
    """Work waiting in the database: served as `queue_length{queue=name}`, and, when
    `alert_above` is set, `queue_alert_above{queue=name,advice=...}`, which the alert
    rules in deploy/monitoring compare it with and whose advice an alert passes on."""

    name: str
    count: Callable[[Session], int]
    alert_above: int | None = None
    advice: str = ""  # what to look at when it alerts


@dataclass
class Metrics:
    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    in_progress: Gauge
    readings: list[Reading] = field(default_factory=list)
    queues: list[Queue] = field(default_factory=list)

    def names(self) -> set[str]:
        """Every metric name served: the requests' (as Prometheus stores them), the
        database's, the queues' and each reading's."""
        suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}
        served = {DATABASE_UP, QUEUE_LENGTH, QUEUE_ALERT_ABOVE}
        for family in self.registry.collect():
            served |= {family.name + suffix for suffix in suffixes.get(family.type, ("",))}
        for reading in self.readings:
            served.add(reading.name + ("_total" if reading.kind == "counter" else ""))
        return served


def metrics_of(app: Flask) -> Metrics:
    found: Metrics = app.extensions["metrics"]
    return found


def add_reading(app: Flask, reading: Reading) -> None:
    metrics_of(app).readings.append(reading)


def add_queue(app: Flask, queue: Queue) -> None:
    metrics_of(app).queues.append(queue)


def init_app(app: Flask) -> None:
    """Before the features, which add their readings."""
    # A registry per app, not the library's global one, so each app (and each test's)
    # counts alone in one process; under gunicorn the counts go to the shared files.
    registry = CollectorRegistry()
    labels = ("method", "route")
    app.extensions["metrics"] = metrics = Metrics(
        registry=registry,
        requests=Counter(
            "http_requests", "Requests answered", (*labels, "status"), registry=registry
        ),
        latency=Histogram(
            "http_request_duration_seconds",
            "Time to answer a request",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        # Busy workers out of all of them: how near the service is to its capacity.
        in_progress=Gauge(
            "http_requests_in_progress",
            "Requests being answered",
            multiprocess_mode="livesum",
            registry=registry,
        ),
    )

    @app.before_request
    def start_timing() -> None:
        g.metrics_timer = perf_counter()
        metrics.in_progress.inc()

    @app.after_request
    def count(response: Response) -> Response:
        started: float | None = g.get("metrics_timer")
        if started is not None:
            route = request.url_rule.rule if request.url_rule else UNMATCHED
            metrics.requests.labels(request.method, route, str(response.status_code)).inc()
            metrics.latency.labels(request.method, route).observe(perf_counter() - started)
        return response

    # Whatever happened on the way (teardown always runs), the request is over.
    @app.teardown_request
    def finished(_error: BaseException | None) -> None:
        if g.pop("metrics_timer", None) is not None:
            metrics.in_progress.dec()
