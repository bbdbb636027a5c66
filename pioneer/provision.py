"""Provision what the site stores: create or upgrade the database schema, build a missing search index."""

from flask_migrate import upgrade
from sqlalchemy import inspect

from .database import db


def build_index_if_missing():
    """Build the search index from the database when there is none yet; return a line saying so."""
    from . import search

    backend = search.backend()
    if backend.usable():
        return "Search index present."
    count = backend.rebuild(db.engine)
    return f"Search index built ({count} projects)."


def upgrade_database():
    """Bring the schema to the newest migration; return a line saying what happened."""
    existed = inspect(db.engine).has_table("alembic_version")
    upgrade()
    db.session.remove()
    return "Database upgraded to the newest schema." if existed else "Database created."
