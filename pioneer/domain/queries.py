"""Queries more than one page needs: a project row's details, the history, mentors' load.

Each does work bounded by what the page shows (a fixed number of queries per page, not per row).
"""

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Select, bindparam
from sqlalchemy.orm import joinedload, selectinload

from ..database import db
from ..models import (
    PUBLIC_STATUSES,
    Claim,
    ClaimEnd,
    Intern,
    InternStatus,
    Project,
    ReviewEvent,
    User,
    intern_mentors,
    project_mentors,
)

# Interns who take a place from their mentors.
LOADING_INTERN_STATUSES = (InternStatus.ACCEPTED, InternStatus.ACTIVE)
# Interns the public may know about, as Outreachy publishes them: applicants and withdrawn interns
# stay with coordinators and the intern's own mentors.
PUBLIC_INTERN_STATUSES = (InternStatus.ACCEPTED, InternStatus.ACTIVE, InternStatus.COMPLETED)


def with_row_details(statement: Select) -> Select:
    """Load what a project row shows (area, skills, mentors, who works on it) in a fixed number of queries."""
    return statement.options(
        joinedload(Project.area),
        selectinload(Project.skills),
        selectinload(Project.mentors),
        selectinload(Project.claims.and_(Claim.ended_at.is_(None))).joinedload(Claim.user),
        selectinload(Project.interns.and_(Intern.status == InternStatus.ACTIVE)).joinedload(Intern.round),
    )


def is_public() -> ColumnElement[bool]:
    """The condition of a project the public sees: available, in progress or done."""
    return Project.status.in_(PUBLIC_STATUSES)


def public_projects() -> Select:
    """Projects the public sees, as a select to refine."""
    return db.select(Project).where(is_public())


def newest_first() -> tuple:
    """The order of "newest": the latest approved first, the id breaking ties."""
    return Project.approved_at.desc(), Project.id.desc()


def history(project: Project, limit: int | None = None) -> list[ReviewEvent]:
    """A project's history, newest first, with who did each step."""
    statement = (
        db.select(ReviewEvent).where(ReviewEvent.project_id == project.id)
        .options(selectinload(ReviewEvent.actor))
        .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc())
    )
    if limit is not None:
        statement = statement.limit(limit)
    return list(db.session.execute(statement).scalars())


def _load_per_mentor(link_table, joined, condition, user_ids):
    """Count rows of joined (claims or interns) per mentor, through the link table naming their mentors."""
    return (db.select(link_table.c.user_id, db.func.count(joined.id)).join(joined, condition)
            .where(link_table.c.user_id.in_(user_ids)).group_by(link_table.c.user_id))


def _load_statements(user_ids):
    """The claims and the interns per mentor, for user_ids (a list, or a select of them)."""
    # A claim takes one place, from the mentor who took it on; an older claim without one counts for each.
    claims = _load_per_mentor(
        project_mentors, Claim,
        (Claim.project_id == project_mentors.c.project_id) & Claim.ended_at.is_(None)
        & ((Claim.mentor_id == project_mentors.c.user_id) | Claim.mentor_id.is_(None)),
        user_ids)
    interns = _load_per_mentor(
        intern_mentors, Intern,
        (Intern.id == intern_mentors.c.intern_id) & Intern.status.in_(LOADING_INTERN_STATUSES), user_ids)
    return claims, interns


# Built once for lists of ids, which every page naming mentors asks for (see domain/rows.py for why).
_LOAD_OF_LISTED = _load_statements(bindparam("ids", expanding=True))


def mentoring_load(user_ids: Iterable[int] | Select) -> dict[int, int]:
    """How many people each mentor looks after now: the active claims they took on, and their interns.

    user_ids is a list of ids, or a select of them when the set is large (one bound parameter per id
    would go past what a database accepts).
    """
    listed = isinstance(user_ids, (list, tuple, set))
    if listed and not user_ids:
        return {}
    if listed:
        connection, ids = db.session.connection(), {"ids": list(user_ids)}
        rows = [row for statement in _LOAD_OF_LISTED for row in connection.execute(statement, ids)]
    else:
        rows = [row for statement in _load_statements(user_ids) for row in db.session.execute(statement)]
    load = dict.fromkeys(user_ids, 0) if listed else {}
    for user_id, count in rows:
        load[user_id] = load.get(user_id, 0) + count
    return load


def places_left(users: Sequence[User]) -> dict[int, int]:
    """Map each user's id to how many more people they can mentor (never below zero)."""
    load = mentoring_load([user.id for user in users])
    return {user.id: max(0, user.capacity - load.get(user.id, 0)) for user in users}


FINISHED_SHOWN = 50


def finished_by(user: User, limit: int = FINISHED_SHOWN) -> list[Project]:
    """The public projects user finished, newest first: their credit on the account and profile pages."""
    return list(db.session.execute(
        db.select(Project).join(Claim, Claim.project_id == Project.id)
        .where(Claim.user_id == user.id, Claim.end_reason == ClaimEnd.FINISHED, is_public())
        .order_by(Claim.ended_at.desc(), Project.id.desc()).limit(limit)
    ).scalars().unique())
