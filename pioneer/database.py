"""The SQLAlchemy handle, its naming convention, and SQLite settings for several processes."""

import os

from flask import has_request_context, request
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter them later, including SQLite's batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_app(app):
    """Bind the database and migrations to the app."""
    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_directory(), render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)


def get_or_create(model, defaults=None, **keys):
    """Find the row whose columns equal keys, or add a new one with keys and defaults; return (row, created)."""
    row = db.session.execute(db.select(model).filter_by(**keys).limit(1)).scalar_one_or_none()
    if row is not None:
        return row, False
    row = model(**keys, **(defaults or {}))
    db.session.add(row)
    return row, True


def free_value(column, base, reserved=()):
    """Return base, or base-2, base-3, ...: the first that no row holds in column and is not reserved."""
    candidate, number = base, 2
    while candidate in reserved or db.session.execute(db.select(column).where(column == candidate).limit(1)).first():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _migrations_directory():
    return os.path.join(os.path.dirname(__file__), "migrations")


def _configure_sqlite(engine):
    """Use WAL, a busy timeout and BEGIN IMMEDIATE for writes, so processes wait instead of failing.

    This is SQLAlchemy's documented recipe for pysqlite: take transaction control away from the
    driver and begin transactions ourselves.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 15000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN" if _reads_only() else "BEGIN IMMEDIATE")


def _reads_only():
    """Tell whether the current unit of work only reads: a GET or HEAD request."""
    return has_request_context() and request.method in READ_ONLY_METHODS
