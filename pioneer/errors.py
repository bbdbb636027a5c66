"""Error pages, and the one place where domain errors become responses."""

import json

from flask import current_app, g, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import Conflict, HTTPException, RequestEntityTooLarge

from .database import Unavailable, db, unavailable
from .domain.errors import DomainError


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.before_request(refuse_oversized_body)
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected_error)


def handle_http_error(error):
    if error.code is None or error.code < 400:
        return error
    if is_api_request():
        headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        return problem_response(error.code, error.description, headers=headers)
    template = "errors/404.html" if error.code == 404 else "errors/error.html"
    # Keep what the error says in headers (Retry-After on 429, Allow on 405), not its content type.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return render_error_page(template, error.code, headers, error=error)


def refuse_oversized_body():
    """Refuse a request whose Content-Length is over the limit before anything reads its body."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def handle_too_large(error):
    """Say how large a request may be, and that the browser's Back button keeps what was typed."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return render_error_page("errors/413.html", 413, limit_mb=limit // (1024 * 1024) if limit else None)


def handle_domain_error(error):
    """A change the rules refuse (a transition, a claim, an intern's move): 409 with the reason, nothing saved."""
    db.session.rollback()
    return render_template("errors/error.html", error=Conflict(str(error))), error.status_code


def handle_unexpected_error(error):
    """Log the failure and show a calm page; the database session is rolled back on teardown."""
    if current_app.testing and current_app.config.get("PROPAGATE_EXCEPTIONS"):
        raise error
    current_app.logger.exception("Unhandled error on %s", request.path)
    if is_api_request():
        return problem_response(500, "Something went wrong on our side; it has been logged.")
    return render_error_page("errors/500.html", 500)


# How long to wait before trying again, by why the database refused: a lock passes in seconds,
# maintenance (a read-only database) and a server coming back take longer.
RETRY_AFTER_SECONDS = {Unavailable.LOCKED: 10, Unavailable.READ_ONLY: 60, Unavailable.UNREACHABLE: 30}


def handle_database_error(error):
    """A locked, read-only or unreachable database: 503 with Retry-After, on a page that needs no database."""
    reason = unavailable(error)
    if reason is None:
        return handle_unexpected_error(error)
    current_app.logger.warning("Database %s on %s %s: %s", reason.value, request.method, request.path,
                               str(error.orig) or type(error.orig).__name__)
    seconds = RETRY_AFTER_SECONDS[reason]
    if is_api_request():
        return problem_response(503, f"The database is {reason.value}; try again in {seconds} seconds.",
                                headers=[("Retry-After", str(seconds))])
    return render_error_page("errors/503.html", 503, [("Retry-After", str(seconds))], plain=True,
                             reason=reason.value, seconds=seconds)


# The last resort when even the error page fails to render: no template, no session, no database.
FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1><p>Please try again in a moment.</p><p><a href="/">Back to the start</a></p></main></body>
</html>
"""


def render_error_page(template, status, headers=(), plain=False, **context):
    """Render an error page that survives a failing database: the account menu is the only part reading it.

    plain leaves the account menu out (the database is known to fail: reading the signed-in user
    would wait for it again). Otherwise a page that fails to render is tried again without it, and
    a static page is the last resort, so an error never becomes a bare "Internal Server Error".
    """
    headers = list(headers)
    for without_account in (True,) if plain else (False, True):
        if without_account:
            _forget_session_state()
        try:
            return render_template(template, plain=without_account, **context), status, headers
        except Exception:
            current_app.logger.exception("The error page %s failed to render", template)
    title = {404: "Not found", 503: "The site is busy"}.get(status, "Something went wrong")
    return FALLBACK_PAGE.format(title=title), status, [*headers, ("Content-Type", "text/html; charset=utf-8")]


def _forget_session_state():
    """Roll back what failed and drop the signed-in user, whose attributes would be read again."""
    g.user = None
    try:
        db.session.rollback()
    except Exception:  # A connection that cannot even roll back is discarded on teardown.
        current_app.logger.warning("Rollback failed while rendering an error page", exc_info=True)


# The JSON API answers errors as RFC 9457 problem details, never as pages (docs/api.md).
API_PATH_PREFIX = "/api/v1/"


def is_api_request():
    return request.path.startswith(API_PATH_PREFIX)


def problem_response(status, detail=None, invalid_params=None, headers=()):
    """An RFC 9457 application/problem+json response: type, title, status, and what went wrong."""
    from http import HTTPStatus

    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    if invalid_params:
        body["invalid-params"] = invalid_params
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype="application/problem+json")
    for name, value in headers:
        response.headers[name] = value
    return response
