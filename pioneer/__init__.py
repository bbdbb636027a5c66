"""Pioneer: a living catalogue of starter projects for an open-source community's newcomers."""

import os
from importlib import import_module

from flask import Flask

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The page packages (docs/architecture.md): each creates its blueprint `bp` in its __init__.py.
PAGE_PACKAGES = ("catalogue", "proposals", "claims", "accounts", "admin", "review", "rounds", "calls", "health")


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
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from . import database, errors, forms, markdown, notify, routing, search, security, templating
    from .accounts import session as account_session
    from .domain import cache

    routing.init_app(app)
    database.init_app(app)
    cache.init_app(app)
    search.init_app(app)
    markdown.init_app(app)
    account_session.init_app(app)
    forms.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    notify.init_app(app)
    for package in PAGE_PACKAGES:
        app.register_blueprint(import_module(f".{package}", __name__).bp)
    # Open data out (JSON API, feeds, embed, downloads) presents the catalogue: docs/api.md.
    from . import api

    api.init_app(app)

    from . import cli

    cli.init_app(app)
    return app
