"""GET /healthz: 200 when the database and the search index answer, 503 otherwise."""

from flask import current_app, jsonify
from sqlalchemy import text

from .. import search
from ..database import db
from . import bp


def check_database():
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as error:  # Any failure means "not healthy"; say which.
        current_app.logger.warning("Health check: database failed: %s", error)
        db.session.rollback()
        return "unavailable"


def check_search():
    try:
        search.backend().searcher()
        return "ok"
    except search.SearchUnavailable as error:
        current_app.logger.warning("Health check: search failed: %s", error)
        return "unavailable"


@bp.get("/healthz")
def healthz():
    """Answer 200 when every part answers, 503 otherwise, with each part's state."""
    checks = {"database": check_database(), "search": check_search()}
    healthy = all(state == "ok" for state in checks.values())
    response = jsonify(status="ok" if healthy else "unavailable", checks=checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
