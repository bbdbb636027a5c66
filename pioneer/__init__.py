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
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from . import database, errors, forms, markdown, search, security
    from .accounts import session as account_session

    database.init_app(app)
    search.init_app(app)
    markdown.init_app(app)
    account_session.init_app(app)
    forms.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from . import health, templating
    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .catalogue import bp as catalogue_bp
    from .mentor.views import bp as mentor_bp
    from .programmes import bp as programmes_bp
    from .review import bp as review_bp

    templating.init_app(app)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(mentor_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(health.bp)

    from . import cli

    cli.init_app(app)
    return app
