"""Full-text search: a service, not a blueprint. The only code that knows Whoosh lives here.

`init_app` gives the app a backend (on disk under the instance folder, or in memory for tests) and
applies each commit's own index work right after the commit.
"""

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session
from whoosh.index import LockError

from .backend import SearchUnavailable, WhooshBackend
from .indexing import apply_pending, take_committed_ids

IN_REQUEST_TIMEOUT = 5.0  # seconds a commit waits for another process's index lock
CATCH_UP = 200  # pending rows left by others that a commit also applies, so the index heals itself


def init_app(app: Flask) -> None:
    storage = app.config["SEARCH_STORAGE"]
    root = None if storage == "memory" else app.config["SEARCH_INDEX_PATH"]
    app.extensions["pioneer_search"] = WhooshBackend(root)


def backend(app: Flask | None = None) -> WhooshBackend:
    return (app or current_app).extensions["pioneer_search"]


def hold_index_work(session: Session) -> set[int]:
    """Flush, and take the ids of the projects this session changed, so that its commit does not update
    the index itself: a command then applies them with a progress bar (`apply_pending(project_ids=...)`).
    They stay in search_pending until applied, so nothing is lost if the command stops."""
    session.flush()
    return take_committed_ids(session)


@event.listens_for(Session, "after_commit")
def _apply_after_commit(session):
    ids = take_committed_ids(session)
    if not ids or not has_app_context() or "pioneer_search" not in current_app.extensions:
        return
    engine = session.get_bind()
    try:
        apply_pending(backend(), engine, project_ids=ids, timeout=IN_REQUEST_TIMEOUT)
        apply_pending(backend(), engine, timeout=0, limit=CATCH_UP)
    except (LockError, SearchUnavailable) as error:
        # The rows stay in search_pending; the next commit or `pioneer search sync` applies them.
        current_app.logger.warning("Search index update deferred: %s", error)


__all__ = ["SearchUnavailable", "WhooshBackend", "backend", "init_app"]
