"""Error pages, and the one place where domain errors become responses."""

from flask import current_app, render_template, request
from werkzeug.exceptions import Conflict, HTTPException

from .database import db
from .domain.errors import DomainError


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected_error)


def handle_http_error(error):
    if error.code is None or error.code < 400:
        return error
    template = "errors/404.html" if error.code == 404 else "errors/error.html"
    # Keep what the error says in headers (Retry-After on 429, Allow on 405), not its content type.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return render_template(template, error=error), error.code, headers


def handle_domain_error(error):
    """A change the rules refuse (a transition, a claim, an intern's move): 409 with the reason, nothing saved."""
    db.session.rollback()
    return render_template("errors/error.html", error=Conflict(str(error))), error.status_code


def handle_unexpected_error(error):
    """Log the failure and show a calm page; the database session is rolled back on teardown."""
    if current_app.testing and current_app.config.get("PROPAGATE_EXCEPTIONS"):
        raise error
    current_app.logger.exception("Unhandled error on %s", request.path)
    return render_template("errors/500.html"), 500
