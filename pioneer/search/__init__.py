"""Full-text search: a service, not a blueprint. The only code that knows Whoosh or PostgreSQL's
full-text search lives here.

`init_app` gives the app a backend, chosen by `SEARCH_BACKEND`: "whoosh" (the default; an index on disk
under the instance folder, or in memory for tests) or "postgres" (the database's own full-text search,
for several web hosts). Both answer the same interface (docs/search.md, "Two backends"): `search`,
`probe`, `usable`, `apply_pending`, `pending_count`, `rebuild`, `check`, `close`. The Whoosh backend
applies each commit's own index work right after the commit; the PostgreSQL one has nothing to apply.
"""

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session
from whoosh.index import LockError

from .backend import SearchUnavailable, WhooshBackend
from .indexing import take_committed_ids

IN_REQUEST_TIMEOUT = 5.0  # seconds a commit waits for another process's index lock
CATCH_UP = 200  # pending rows left by others that a commit also applies, so the index heals itself


BACKENDS = ("whoosh", "postgres")


def init_app(app: Flask) -> None:
    choice = str(app.config["SEARCH_BACKEND"]).strip().lower()
    if choice not in BACKENDS:
        raise RuntimeError(f"PIONEER_SEARCH_BACKEND={choice!r} is not a search backend: choose whoosh or postgres.")
    if choice == "postgres":
        if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
            raise RuntimeError("PIONEER_SEARCH_BACKEND=postgres needs a PostgreSQL database: set "
                               "PIONEER_SQLALCHEMY_DATABASE_URI to a postgresql+psycopg:// address.")
        from .postgres import PostgresBackend

        app.extensions["pioneer_search"] = PostgresBackend()
        return
    storage = app.config["SEARCH_STORAGE"]
    root = None if storage == "memory" else app.config["SEARCH_INDEX_PATH"]
    app.extensions["pioneer_search"] = WhooshBackend(root)


def backend(app: Flask | None = None) -> WhooshBackend:
    """The app's search backend (a WhooshBackend or a PostgresBackend: one interface)."""
    return (app or current_app).extensions["pioneer_search"]


def uses_outbox() -> bool:
    """Tell whether changes must be recorded in search_pending for this app's backend (Whoosh: yes)."""
    if not has_app_context():
        return True
    chosen = current_app.extensions.get("pioneer_search")
    return getattr(chosen, "uses_outbox", True)


def hold_index_work(session: Session) -> set[int]:
    """Flush, and take the ids of the projects this session changed, so that its commit does not update
    the index itself: a command then applies them with a progress bar (`apply_pending(project_ids=...)`).
    They stay in search_pending until applied, so nothing is lost if the command stops."""
    session.flush()
    return take_committed_ids(session)


@event.listens_for(Session, "after_commit")
def _apply_after_commit(session):
    ids = take_committed_ids(session)
    if not ids or not has_app_context() or "pioneer_search" not in current_app.extensions or not uses_outbox():
        return
    engine = session.get_bind()
    try:
        backend().apply_pending(engine, project_ids=ids, timeout=IN_REQUEST_TIMEOUT)
        backend().apply_pending(engine, timeout=0, limit=CATCH_UP)
    except (LockError, SearchUnavailable) as error:
        # The rows stay in search_pending; the next commit or `pioneer search sync` applies them.
        current_app.logger.warning("Search index update deferred: %s", error)


__all__ = ["SearchUnavailable", "WhooshBackend", "backend", "init_app"]
