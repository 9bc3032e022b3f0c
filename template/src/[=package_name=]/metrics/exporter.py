"""What gunicorn's master serves on METRICS_PORT (gunicorn.conf.py calls `serve`): the
workers' counts from PROMETHEUS_MULTIPROC_DIR, and the readings features registered,
read from the database at each scrape by an app of the master's own."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from flask import Flask
from prometheus_client import CollectorRegistry, multiprocess, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ..database import current_database, db_session, is_reachable
from . import DATABASE_UP, QUEUE_ALERT_ABOVE, QUEUE_LENGTH, Queue, Reading, metrics_of

logger = logging.getLogger(__name__)


class DatabaseReadings(Collector):
    def __init__(self, create_app: Callable[[], Flask]) -> None:
        self.create_app = create_app
        self.app: Flask | None = None

    def collect(self) -> Iterator[Metric]:
        # Made at the first scrape, not at start-up: gunicorn forks its workers from this
        # process, and they must not inherit an app (or a connection) they did not make.
        self.app = self.app or self.create_app()
        with self.app.app_context():
            database = current_database()
            up = is_reachable(database)
            yield GaugeMetricFamily(DATABASE_UP, "The database answers", value=float(up))
            try:
                if up:
                    metrics = metrics_of(self.app)
                    yield from queues(metrics.queues)
                    for reading in metrics.readings:
                        yield from read(reading)
            finally:
                # No connection is left open between scrapes, to be copied into a worker.
                database.engine.dispose()


def read(reading: Reading) -> Iterator[Metric]:
    try:
        figure = reading.read(db_session())
    except Exception:  # one figure failing leaves out that figure, not the others
        logger.exception("Could not read %s for the metrics", reading.name)
        db_session().rollback()  # PostgreSQL refuses the next query in a failed transaction
        return
    kind = CounterMetricFamily if reading.kind == "counter" else GaugeMetricFamily
    family = kind(reading.name, reading.description, labels=reading.labels or None)
    if isinstance(figure, int | float):
        family.add_metric([], figure)
    else:
        for labels, value in figure.items():
            family.add_metric(list(labels), value)
    yield family


def queues(waiting: list[Queue]) -> Iterator[Metric]:
    lengths = GaugeMetricFamily(QUEUE_LENGTH, "Work waiting, by queue", labels=["queue"])
    limits = GaugeMetricFamily(
        QUEUE_ALERT_ABOVE, "The length each queue alerts above", labels=["queue", "advice"]
    )
    for queue in waiting:
        try:
            lengths.add_metric([queue.name], queue.count(db_session()))
        except Exception:  # one queue failing leaves out that queue, not the others
            logger.exception("Could not read the %s queue for the metrics", queue.name)
            db_session().rollback()
            continue
        if queue.alert_above is not None:
            limits.add_metric([queue.name, queue.advice], queue.alert_above)
    yield lengths
    yield limits


def registry_for(create_app: Callable[[], Flask]) -> CollectorRegistry:
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(DatabaseReadings(create_app))
    return registry


def serve(port: int, create_app: Callable[[], Flask]) -> None:
    """Serve the metrics on every interface (Prometheus scrapes from elsewhere in the
    cluster; the NetworkPolicy says from where), in a thread of the calling process."""
    start_http_server(port, registry=registry_for(create_app))
