"""The triage queue: what waits for a reviewer, section by section, oldest first."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from ..database import db
from ..models import Area, Project, ProjectStatus, ReviewAction, ReviewEvent, utcnow


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    help: str


SECTIONS = [
    Section("proposals", "Proposals", "New projects waiting for a first decision."),
    Section("resubmitted", "Resubmitted", "Proposals whose mentors made the changes you asked for."),
    Section("changes", "Changes requested", "Waiting for their mentors; nudge them if it has been long."),
    Section("rereview", "Re-review",
            "Public projects whose ratings a mentor changed, or imported without stars or mentors."),
    Section("stale", "Stale", "Available projects nobody has confirmed lately; 1-star first."),
]
SECTION_KEYS = {section.key for section in SECTIONS}


def stale_cutoff():
    return utcnow() - timedelta(days=current_app.config["STALE_AFTER_DAYS"])


def stale_condition():
    """Available projects not confirmed within STALE_AFTER_DAYS."""
    return (Project.status == ProjectStatus.AVAILABLE) & (
        Project.last_reviewed_at.is_(None) | (Project.last_reviewed_at < stale_cutoff())
    )


def _resubmitted():
    return (
        db.select(ReviewEvent.id)
        .where(ReviewEvent.project_id == Project.id, ReviewEvent.action == ReviewAction.RESUBMIT)
        .exists()
    )


def _waiting_since():
    """When the project started waiting: its last submission, else its last change."""
    last_submit = (
        db.select(db.func.max(ReviewEvent.created_at))
        .where(ReviewEvent.project_id == Project.id,
               ReviewEvent.action.in_([ReviewAction.SUBMIT, ReviewAction.RESUBMIT, ReviewAction.REQUEST_CHANGES]))
        .scalar_subquery()
    )
    return db.func.coalesce(last_submit, Project.updated_at)


def section_statement(key):
    """The projects of one section, in the order reviewers should take them."""
    statement = db.select(Project)
    if key == "proposals":
        return statement.where(Project.status == ProjectStatus.PROPOSED, ~_resubmitted()).order_by(_waiting_since())
    if key == "resubmitted":
        return statement.where(Project.status == ProjectStatus.PROPOSED, _resubmitted()).order_by(_waiting_since())
    if key == "changes":
        return statement.where(Project.status == ProjectStatus.CHANGES_REQUESTED).order_by(_waiting_since())
    if key == "rereview":
        return statement.where(Project.needs_review, Project.status.in_(
            [ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE])).order_by(Project.updated_at)
    # Stale: 1-star first, unrated last, then the longest unconfirmed.
    return statement.where(stale_condition()).order_by(
        db.func.coalesce(Project.stars, 6), db.func.coalesce(Project.last_reviewed_at, Project.created_at)
    )


def narrowed(statement, q="", stars=None, area=None):
    """Apply the queue's own search and filters to one section."""
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(
            db.func.lower(Project.title).like(pattern) | db.func.lower(Project.summary).like(pattern)
        )
    if stars is not None:
        statement = statement.where(Project.stars.is_(None) if stars == 0 else Project.stars == stars)
    if area:
        statement = statement.where(Project.area.has(Area.slug == area))
    return statement


def section_page(key, page, per_page, **filters):
    """One page of a section, with what its rows show loaded up front."""
    statement = narrowed(section_statement(key), **filters).options(
        joinedload(Project.area), selectinload(Project.mentors)
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def waiting_since(projects):
    """Map project id to when it started waiting, for the rows shown, in one query."""
    ids = [project.id for project in projects]
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(ReviewEvent.project_id, db.func.max(ReviewEvent.created_at))
        .where(ReviewEvent.project_id.in_(ids),
               ReviewEvent.action.in_([ReviewAction.SUBMIT, ReviewAction.RESUBMIT, ReviewAction.REQUEST_CHANGES]))
        .group_by(ReviewEvent.project_id)
    ).all()
    since = {project.id: project.updated_at for project in projects}
    for project_id, created_at in rows:
        since[project_id] = created_at
    return since
