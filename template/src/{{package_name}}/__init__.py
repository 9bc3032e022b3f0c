"""The service's Flask application factory.

`flask --app <package> run` and `gunicorn '<package>:create_app()'` both start here.
Each concern lives in one module or blueprint, wired together below.
"""

from __future__ import annotations

import logging

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from . import assets, cli, database, errors, security, templating
from .config import Settings
from .cookies import cookies
from .health import health
from .pages import pages
from .security_txt import security_txt


def create_app(settings: Settings | None = None) -> Flask:
    """Build the application; settings come from the environment unless given."""
    settings = settings or Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    # static_folder=None: assets.py serves static files, fingerprinted and compressed.
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(settings.flask_config())
    app.extensions["settings"] = settings

    templating.init_app(app)
    security.init_app(app)
    CSRFProtect(app)
    database.init_app(app, settings.database_url)
    assets.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    app.register_blueprint(pages)
    app.register_blueprint(cookies)
    app.register_blueprint(health)
    app.register_blueprint(security_txt)
    return app
