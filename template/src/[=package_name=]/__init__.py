"""The service's Flask application factory.

`flask --app <package> run` and `gunicorn '<package>:create_app()'` both start here.
Each concern lives in one module or blueprint, wired together below.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from . import (
    assets,
    cli,
    client_address,
    database,
    errors,
    features,
    feedback,
    journey_engine,
    journey_state,
    kpis,
    logs,
    maintenance,
    metrics,
    rate_limits,
    redirects,
    security,
    stand_ins,
    templating,
    text,
    timeout,
    tracing,
)
from .config import Settings
from .cookies import cookies
from .health import health
from .journey_engine import Journey
from .journeys import JOURNEYS
from .pages import pages
from .security_txt import security_txt


def create_app(settings: Settings | None = None, journeys: Sequence[Journey] = JOURNEYS) -> Flask:
    """Build the application; settings come from the environment unless given, and the
    journeys are the service's own (journeys/) unless given."""
    settings = settings or Settings.from_env()

    # static_folder=None: assets.py serves static files, fingerprinted and compressed.
    app = templating.Application(__name__, static_folder=None)
    app.config.from_mapping(settings.flask_config())
    app.extensions["settings"] = settings

    # First: every line logged from here on is JSON with the request's id.
    logs.init_app(app, settings.log_level)
    # Next: every request is counted and timed, whatever answers it.
    metrics.init_app(app)
    text.init_app(app)
    templating.init_app(app)
    redirects.init_app(app)
    security.init_app(app)
    # Before the CSRF check and anything that reads the database: while the service is
    # closed, every request gets the "unavailable" page (a form posted from a page left
    # open too); then every form posted counts against its sender's rate limit.
    client_address.init_app(app)
    maintenance.init_app(app)
    rate_limits.init_app(app)
    CSRFProtect(app)
    database.init_app(app, settings.database_url)
    tracing.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    stand_ins.init_app(app)
    journey_state.init_app(app)
    timeout.init_app(app)

    app.register_blueprint(pages)
    app.register_blueprint(cookies)
    app.register_blueprint(health)
    journey_engine.init_app(app, journeys)
    kpis.init_app(app)
    feedback.init_app(app)
    app.register_blueprint(security_txt)
    # The optional features the service was made with (features.py), each from its own
    # package: they hook into the core and the journeys registered above.
    for feature in features.made_with():
        feature.init_app(app)
    return app
