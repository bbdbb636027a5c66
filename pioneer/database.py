"""The SQLAlchemy handle, its naming convention, lock waits, and SQLite settings for several processes."""

import contextlib
import enum
import os
import sqlite3

from flask import has_request_context, request
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event, inspect
from sqlalchemy.exc import DBAPIError, OperationalError
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

# Seconds a statement waits for another connection's lock before it gives up. Commands (an import,
# a restore) may wait behind a long write; a web request answers 503 sooner instead, because a
# person is waiting, a worker is held meanwhile, and every write of this site takes milliseconds,
# so a lock held for seconds means a command, a restore or a stuck process holds the database.
LOCK_TIMEOUTS = {"DATABASE_LOCK_TIMEOUT": 15.0, "DATABASE_WEB_LOCK_TIMEOUT": 5.0}
_LOCK_TIMEOUT_KEY = "pioneer_lock_timeout_ms"


class Unavailable(enum.Enum):
    """Why the database refused a request that may well succeed later (the page answers 503)."""

    LOCKED = "busy"
    READ_ONLY = "read-only"
    UNREACHABLE = "unreachable"


# PostgreSQL's SQLSTATE codes for the same cases: lock_timeout, statement_timeout, a deadlock;
# a read-only transaction or server; a server shutting down, starting, or out of connections.
_POSTGRES_STATES = {
    "55P03": Unavailable.LOCKED, "57014": Unavailable.LOCKED, "40P01": Unavailable.LOCKED,
    "25006": Unavailable.READ_ONLY,
    "57P01": Unavailable.UNREACHABLE, "57P02": Unavailable.UNREACHABLE, "57P03": Unavailable.UNREACHABLE,
    "53300": Unavailable.UNREACHABLE, "08000": Unavailable.UNREACHABLE, "08001": Unavailable.UNREACHABLE,
    "08003": Unavailable.UNREACHABLE, "08006": Unavailable.UNREACHABLE,
}
_SQLITE_ERRORS = {"SQLITE_BUSY": Unavailable.LOCKED, "SQLITE_LOCKED": Unavailable.LOCKED,
                  "SQLITE_READONLY": Unavailable.READ_ONLY, "SQLITE_CANTOPEN": Unavailable.UNREACHABLE}


def init_app(app):
    """Bind the database and migrations to the app."""
    for key, seconds in LOCK_TIMEOUTS.items():
        app.config.setdefault(key, seconds)
    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_directory(), render_as_batch=True)
    timeouts = (_milliseconds(app.config["DATABASE_LOCK_TIMEOUT"]),
                _milliseconds(app.config["DATABASE_WEB_LOCK_TIMEOUT"]))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine, timeouts)
        elif db.engine.dialect.name == "postgresql":
            _configure_postgresql(db.engine, timeouts)


def unavailable(error):
    """Tell why the database refused (an Unavailable), or None when error is no such refusal."""
    if not isinstance(error, DBAPIError):
        return None
    original = error.orig
    if isinstance(original, sqlite3.Error):
        name = getattr(original, "sqlite_errorname", "") or ""
        return _SQLITE_ERRORS.get(name) or next(
            (reason for prefix, reason in _SQLITE_ERRORS.items() if name.startswith(prefix + "_")), None)
    state = getattr(original, "sqlstate", None)
    if state in _POSTGRES_STATES:
        return _POSTGRES_STATES[state]
    if error.connection_invalidated:
        return Unavailable.UNREACHABLE
    if isinstance(error, OperationalError) and state is None:  # psycopg: no server to talk to
        return Unavailable.UNREACHABLE
    return None


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


def _milliseconds(seconds):
    return max(0, int(float(seconds) * 1000))


def _lock_timeout(timeouts):
    """The lock wait in milliseconds for this unit of work: a web request's, or a command's."""
    command, web = timeouts
    return web if has_request_context() else command


def _configure_sqlite(engine, timeouts):
    """Use WAL, a busy timeout and BEGIN IMMEDIATE for writes, so processes wait instead of failing.

    This is SQLAlchemy's documented recipe for pysqlite: take transaction control away from the
    driver and begin transactions ourselves.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        timeout = _lock_timeout(timeouts)
        cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        record.info[_LOCK_TIMEOUT_KEY] = timeout
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A connection made by a command and reused by a request (or the other way round, in tests)
        # changes its wait; a server's connections are made in requests and never need to.
        timeout = _lock_timeout(timeouts)
        if connection.info.get(_LOCK_TIMEOUT_KEY) != timeout:
            connection.connection.driver_connection.execute(f"PRAGMA busy_timeout = {timeout}")
            connection.info[_LOCK_TIMEOUT_KEY] = timeout
        connection.exec_driver_sql("BEGIN" if _reads_only() else "BEGIN IMMEDIATE")


def _configure_postgresql(engine, timeouts):
    """Give up waiting for a row or table lock after the same timeouts (lock_timeout), and say so."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, record):
        timeout = _lock_timeout(timeouts)
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {timeout}")
        dbapi_connection.commit()
        record.info[_LOCK_TIMEOUT_KEY] = timeout

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        timeout = _lock_timeout(timeouts)
        if connection.info.get(_LOCK_TIMEOUT_KEY) != timeout:
            # For this transaction only: a SET would be undone by a rollback and the record would lie.
            with connection.connection.driver_connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = {timeout}")


def _reads_only():
    """Tell whether the current unit of work only reads: a GET or HEAD request."""
    return has_request_context() and request.method in READ_ONLY_METHODS


# Backups (`pioneer backup` and `pioneer restore`) ------------------------------------------------

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every Pioneer database has, whatever its schema version: a file without them is not a backup.
CORE_TABLES = {"projects", "users", "catalogue_state"}


class BackupError(RuntimeError):
    """A backup that cannot be made or a file that cannot be restored; the message says why."""


def backup_sqlite(engine, path):
    """Copy the live SQLite database into path, consistent as of the moment the copy starts.

    SQLite's online backup API copies in one step under a read transaction: under WAL the site's
    writers carry on meanwhile, and every write committed before the step began is in the copy.
    The copy is written beside path and renamed over it, so path is never half a backup.
    """
    require_sqlite(engine, "backup")
    target = os.path.abspath(path)
    if target == os.path.abspath(engine.url.database or ""):
        raise BackupError(f"{path} is the live database: choose another file for the backup")
    partial = f"{target}.{os.getpid()}.partial"
    try:
        # Accounts' emails and password hashes are in it: readable by its owner only.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    except OSError as error:
        raise BackupError(f"{path} cannot be written: {error.strerror}") from error
    try:
        destination = sqlite3.connect(partial)
        raw = engine.raw_connection()
        try:
            raw.driver_connection.backup(destination)
            # One self-contained file: no -wal or -shm beside it.
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            raw.close()
            destination.close()
        os.replace(partial, target)
    except BaseException:
        with _suppressed(OSError):
            os.remove(partial)
        raise
    return describe_backup(target)


def describe_backup(path):
    """Check that path is a Pioneer SQLite database; return its counts of projects and accounts."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"{path} cannot be read: {error.strerror}") from error
    if header != SQLITE_HEADER:
        raise BackupError(f"{path} is not an SQLite database, so not a Pioneer backup")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = CORE_TABLES - tables
        if missing:
            raise BackupError(f"{path} is an SQLite database but not Pioneer's (no {', '.join(sorted(missing))} table)")
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (SQLite's quick_check fails)")
        projects = connection.execute("SELECT count(*) FROM projects").fetchone()[0]
        users = connection.execute("SELECT count(*) FROM users").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as a Pioneer backup: {error}") from error
    finally:
        connection.close()
    return {"path": path, "projects": projects, "accounts": users, "bytes": os.path.getsize(path)}


def restore_sqlite(engine, path):
    """Replace the live SQLite database's contents with the backup at path, page by page.

    The backup API writes into the live file under its write lock, so server processes that keep
    running see the restored database on their next transaction (never a file swapped under them).
    The catalogue's version moves past every version before the restore, so no process's cache
    answers from the replaced data.
    """
    require_sqlite(engine, "restore")
    summary = describe_backup(path)
    before = 0
    if inspect(engine).has_table("catalogue_state"):  # Not on a new machine's empty database.
        with engine.connect() as connection:
            before = connection.exec_driver_sql("SELECT max(version) FROM catalogue_state").scalar() or 0
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    raw = engine.raw_connection()
    try:
        source.backup(raw.driver_connection)
    finally:
        raw.close()
        source.close()
    engine.dispose()  # Fresh connections, each set up again (WAL) by on_connect.
    with engine.begin() as connection:
        restored = connection.exec_driver_sql("SELECT max(version) FROM catalogue_state").scalar() or 0
        version = max(before, restored) + 1
        if connection.exec_driver_sql("UPDATE catalogue_state SET version = ?", (version,)).rowcount == 0:
            connection.exec_driver_sql("INSERT INTO catalogue_state (id, version) VALUES (1, ?)", (version,))
    return summary


def require_sqlite(engine, command):
    """Raise BackupError, saying how to back up with PostgreSQL's own tools, unless engine is SQLite."""
    if engine.dialect.name != "sqlite":
        url = engine.url.set(drivername=engine.dialect.name).render_as_string(hide_password=True)
        raise BackupError(
            f"`pioneer {command}` works on SQLite; this site's database is {engine.dialect.name}. Use its own tools,"
            f" which take a consistent snapshot while the site runs:\n"
            f"  pg_dump --format=custom --file=FILE '{url}'\n"
            f"  pg_restore --clean --if-exists --dbname='{url}' FILE\n"
            f"then `pioneer search rebuild`.")


@contextlib.contextmanager
def _suppressed(*errors):
    try:
        yield
    except errors:
        pass


def on_this_database(dialect_name):
    """Alembic's include_object for one kind of database: it leaves out what the models create only on
    another kind (an index declared with `.ddl_if(dialect=...)`), which Alembic would otherwise report
    missing."""

    def include(obj, _name, _type, reflected, _compare_to):
        only = getattr(obj, "_ddl_if", None) if not reflected else None
        return only is None or only.dialect is None or only.dialect == dialect_name

    return include
