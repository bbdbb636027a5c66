"""The index follows committed changes only.

At flush, the ids of changed projects are recorded in `search_pending`, in the same transaction as
the change, so no update is lost if another process holds Whoosh's lock or this one dies. After
commit, the request applies its own pending work at once when it can; `pioneer search sync`
applies whatever is left. Documents are built from the database when they are written, under the
index's write lock, so the index always ends with the latest committed state.
"""

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import timedelta
from itertools import chain

from sqlalchemy import Engine, delete, event, func, insert, select, update
from sqlalchemy.orm import Session

from ..models import (
    PUBLIC_STATUSES,
    Area,
    Intern,
    Project,
    ProjectSkill,
    SearchConsumer,
    SearchPending,
    User,
    project_mentors,
    utcnow,
)
from .backend import SearchUnavailable, WhooshBackend
from .documents import document, is_indexed, load_projects

BATCH = 500
# An index that applied outbox rows this recently counts as another host's live index.
CONSUMER_WINDOW = timedelta(days=7)
PENDING_KEY = "pioneer_search_pending"


def changed_project_ids(session: Session) -> set[int]:
    """Ids of projects whose document may differ after this flush."""
    ids, users, areas = set(), set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Project) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, (ProjectSkill, Intern)) and obj.project_id is not None:
            ids.add(obj.project_id)
        elif isinstance(obj, User) and obj.id is not None and obj not in session.new:
            users.add(obj.id)
        elif isinstance(obj, Area) and obj.id is not None and obj not in session.new:
            areas.add(obj.id)
    connection = session.connection()
    if users:
        ids.update(connection.execute(
            select(project_mentors.c.project_id).where(project_mentors.c.user_id.in_(users))).scalars())
    if areas:
        ids.update(connection.execute(select(Project.id).where(Project.area_id.in_(areas))).scalars())
    return ids


@event.listens_for(Session, "after_flush")
def _record_pending(session, _flush_context):
    from . import uses_outbox

    if uses_outbox():
        mark_changed(session, changed_project_ids(session))


@event.listens_for(Session, "after_rollback")
def _forget_pending(session):
    session.info.pop(PENDING_KEY, None)


def mark_changed(session: Session, project_ids: Collection[int]) -> None:
    """Record projects written without the ORM's flush (bulk inserts), as the flush listener would.

    Only the Whoosh backend reads the outbox; on the PostgreSQL backend the database keeps the
    documents itself and nothing is recorded."""
    from . import uses_outbox

    if project_ids and uses_outbox():
        session.connection().execute(insert(SearchPending), [{"project_id": i} for i in sorted(project_ids)])
        session.info.setdefault(PENDING_KEY, set()).update(project_ids)


def take_committed_ids(session: Session) -> set[int]:
    """The project ids this session committed since it was last asked."""
    return session.info.pop(PENDING_KEY, set())


def apply_pending(backend: WhooshBackend, engine: Engine, project_ids: Collection[int] | None = None,
                  timeout: float | None = None, limit: int | None = None,
                  progress: Callable[[list[int]], Iterable[int]] = lambda ids: ids) -> int:
    """Write pending documents to the index; return how many pending rows were applied.

    progress wraps the list of project ids being written (a command's progress bar).

    Holds the index's write lock while it reads the database, so two processes applying at once
    write in the order they read. Raises whoosh's LockError when the lock cannot be had in time;
    the rows then stay pending.
    """
    documents = len(project_ids) if project_ids is not None else 0
    if limit:
        documents = min(documents, limit)
    writer = backend.writer(**({"timeout": timeout} if timeout is not None else {}), documents=documents)
    return _apply_with(writer, engine, project_ids, limit, progress, consumer=backend.consumer_name())


def _apply_with(writer, engine, project_ids, limit, progress=lambda ids: ids, consumer=None):
    try:
        with Session(engine) as session:
            statement = select(SearchPending.id, SearchPending.project_id).order_by(SearchPending.id)
            if project_ids is not None:
                statement = statement.where(SearchPending.project_id.in_(project_ids))
            if limit:
                statement = statement.limit(limit)
            rows = session.execute(statement).all()
            if not rows:
                writer.cancel()
                return 0
            touched = sorted({project_id for _row_id, project_id in rows})
            projects = load_projects(session, touched)
            for project_id in progress(touched):
                project = projects.get(project_id)
                if is_indexed(project):
                    writer.update_document(**document(project))
                else:
                    writer.delete_by_term("id", str(project_id))
            writer.commit()
            # A crash here leaves the rows pending: applying them again rewrites the same documents.
            row_ids = [row_id for row_id, _project_id in rows]
            for start in range(0, len(row_ids), BATCH):
                session.execute(delete(SearchPending).where(SearchPending.id.in_(row_ids[start:start + BATCH])))
            if consumer:
                _record_consumer(session, consumer)
            session.commit()
            return len(rows)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def _record_consumer(session: Session, name: str) -> None:
    """Note that the index named name applied outbox rows now (docs/search.md, "One host or several")."""
    now = utcnow()
    if not session.execute(update(SearchConsumer).where(SearchConsumer.index_name == name)
                           .values(last_applied_at=now)).rowcount:
        session.execute(insert(SearchConsumer).values(index_name=name, last_applied_at=now))


def other_consumers(engine: Engine, name: str | None) -> list[str]:
    """Other Whoosh indexes that consumed this database's outbox within CONSUMER_WINDOW: each of them
    and this one miss the changes the others applied."""
    since = utcnow() - CONSUMER_WINDOW
    with Session(engine) as session:
        return session.execute(select(SearchConsumer.index_name).where(
            SearchConsumer.index_name != (name or ""), SearchConsumer.last_applied_at >= since)
            .order_by(SearchConsumer.index_name)).scalars().all()


def public_ids(session: Session) -> Sequence[int]:
    public = select(Project.id).where(Project.status.in_(PUBLIC_STATUSES)).order_by(Project.id)
    return session.execute(public).scalars().all()


def rebuild(backend: WhooshBackend, engine: Engine,
            progress: Callable[[Iterator[dict]], Iterable[dict]] = lambda ids: ids) -> int:
    """Build a fresh index from the database beside the live one and swap it in; return the count.

    The live index stays locked meanwhile, so no commit writes to a generation about to be
    replaced; their work stays pending and is applied afterwards.
    """
    with backend.exclusive(), Session(engine) as session:
        applied_up_to = session.execute(select(func.max(SearchPending.id))).scalar() or 0
        ids = public_ids(session)

        def documents() -> Iterator[dict[str, str | int]]:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start:start + BATCH]
                projects = load_projects(session, chunk)
                for project_id in chunk:
                    yield document(projects[project_id])
                session.expunge_all()

        count = backend.build(progress(documents()))
        session.execute(delete(SearchPending).where(SearchPending.id <= applied_up_to))
        # A rebuilt index holds everything: forget which indexes consumed before (a moved folder, a
        # restored backup). A second live host shows up again at its next change.
        session.execute(delete(SearchConsumer))
        if backend.consumer_name():
            _record_consumer(session, backend.consumer_name())
        session.commit()
        return count


def check(backend: WhooshBackend, engine: Engine) -> list[str]:
    """Compare the index with the database; return a list of differences, empty when they agree."""
    with Session(engine) as session:
        expected = {}
        ids = public_ids(session)
        for start in range(0, len(ids), BATCH):
            projects = load_projects(session, ids[start:start + BATCH])
            expected.update({str(pid): (p.slug, document(p)["digest"]) for pid, p in projects.items()})
            session.expunge_all()
    backend.probe()
    searcher = backend.open().searcher()
    try:
        indexed = {fields["id"]: fields.get("digest") for fields in searcher.all_stored_fields()}
    except Exception as error:  # Garbage in a segment: say so, as the probe would.
        raise SearchUnavailable(f"the search index cannot be read: {error or type(error).__name__}") from error
    finally:
        searcher.close()
    differences = [
        f"another Whoosh index also consumes this database's search updates: {other}; each misses the other's "
        "changes. The Whoosh backend is for one host: use PIONEER_SEARCH_BACKEND=postgres for several"
        for other in other_consumers(engine, backend.consumer_name())
    ]
    for project_id, (slug, digest) in sorted(expected.items(), key=lambda item: int(item[0])):
        if project_id not in indexed:
            differences.append(f"missing from the index: {slug} (id {project_id})")
        elif indexed[project_id] != digest:
            differences.append(f"out of date in the index: {slug} (id {project_id})")
    for project_id in sorted(set(indexed) - set(expected), key=int):
        differences.append(f"in the index but not publicly listed: project id {project_id}")
    return differences


def pending_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count(SearchPending.id))).scalar_one()
