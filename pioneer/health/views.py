"""GET /healthz: 200 when the database and the search index answer, 503 otherwise."""

from flask import current_app, jsonify

from .. import search
from ..database import db
from . import bp, queries


def check_database():
    """Read a row of a real table; return None or what is wrong."""
    try:
        queries.read_a_row()
        return None
    except Exception as error:  # Any failure means "not healthy"; say which.
        current_app.logger.warning("Health check: database failed: %s", str(error))
        db.session.rollback()
        reason = str(getattr(error, "orig", None) or error).splitlines()[0][:200]
        return f"the database cannot be read: {reason}"


def check_search():
    """Open the index and run a small query; return None or what is wrong."""
    try:
        search.backend().probe()
        return None
    except search.SearchUnavailable as error:
        current_app.logger.warning("Health check: search failed: %s", str(error))
        return f"{error}; run `pioneer search rebuild`"


@bp.get("/healthz")
def healthz():
    """Answer 200 when every part answers, 503 otherwise, with each part's state and what is wrong."""
    problems = {"database": check_database(), "search": check_search()}
    checks = {part: "ok" if problem is None else "unavailable" for part, problem in problems.items()}
    healthy = all(problem is None for problem in problems.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if not healthy:
        body["errors"] = {part: problem for part, problem in problems.items() if problem is not None}
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
