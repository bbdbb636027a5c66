"""Cache the counts beside listings until the catalogue changes.

Facet counts and totals cost time proportional to the catalogue; the rows of a page do not. The
counts are cached in each process, keyed by a version number kept in the database that every
flush touching what listings show bumps in the same transaction, so every server process sees a
change on its next request and a rolled-back change never invalidates anything.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from itertools import chain
from typing import TypeVar

from sqlalchemy import Connection, event, insert, select, update
from sqlalchemy.orm import Session

from ..database import db
from ..models import Area, CatalogueState, Claim, Intern, Project, ProjectSkill, Skill, User

WATCHED = (Project, ProjectSkill, Area, Skill, User, Claim, Intern)
MAX_ENTRIES = 512
T = TypeVar("T")

_entries = OrderedDict()
_lock = threading.Lock()
# Lookups answered from the cache and computed afresh, in this process (bench/run.py reports the rate).
STATS = {"hits": 0, "misses": 0}


_VERSION = select(CatalogueState.version).where(CatalogueState.id == 1)  # built once: read on every request


def current_version() -> int:
    """The catalogue's version number: it moves on with every committed change to what listings show."""
    version = db.session.connection().execute(_VERSION).scalar()
    return version or 0


def cached(key: tuple, compute: Callable[[], T], version: object = None) -> T:
    """Return compute()'s value for key at the catalogue's current version, computing it once."""
    # The database's address is part of the key: one process may serve several (tests do).
    full_key = (db.engine.url.render_as_string(), current_version() if version is None else version, key)
    with _lock:
        if full_key in _entries:
            _entries.move_to_end(full_key)
            STATS["hits"] += 1
            return _entries[full_key]
        STATS["misses"] += 1
    value = compute()
    with _lock:
        _entries[full_key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def init_app(app) -> None:
    """Bump the catalogue's version on every flush that changes what listings show (once per process)."""
    if not event.contains(Session, "after_flush", _bump_on_change):
        event.listen(Session, "after_flush", _bump_on_change)


def bump_version(connection: Connection) -> None:
    """Move the catalogue to a new version (creating the counter row if needed)."""
    result = connection.execute(
        update(CatalogueState).where(CatalogueState.id == 1).values(version=CatalogueState.version + 1)
    )
    if result.rowcount == 0:
        connection.execute(insert(CatalogueState).values(id=1, version=1))


def _bump_on_change(session, _flush_context):
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, WATCHED) for obj in changed):
        bump_version(session.connection())
