"""Pioneer: a living catalogue of starter projects for an open-source community's newcomers."""

import os

from flask import Flask

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config=None):
    """Create and configure the application: config, extensions, blueprints, commands."""
    instance_path = os.environ.get("PIONEER_INSTANCE_PATH") or os.path.join(ROOT, "instance")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path),
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )

    from . import config

    config.load(app, test_config)

    from . import database, errors, markdown, search
    from .accounts import session as account_session

    database.init_app(app)
    search.init_app(app)
    markdown.init_app(app)
    account_session.init_app(app)
    errors.init_app(app)

    from . import health, templating
    from .catalogue import bp as catalogue_bp

    templating.init_app(app)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(health.bp)

    from . import cli

    cli.init_app(app)
    return app
