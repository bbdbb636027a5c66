"""What the account page shows a mentor: their projects by status, reviewers' words, claims, invitations."""

from sqlalchemy.orm import joinedload

from ..database import db
from ..domain.queries import finished_by, places_left, with_row_details
from ..models import Claim, MentorInvitation, Project, ProjectStatus, ReviewEvent, SavedSearch, project_mentors

# Projects that wait for the mentor come first.
STATUS_ORDER = [
    ProjectStatus.CHANGES_REQUESTED, ProjectStatus.DRAFT, ProjectStatus.PROPOSED, ProjectStatus.AVAILABLE,
    ProjectStatus.IN_PROGRESS, ProjectStatus.DONE, ProjectStatus.REJECTED, ProjectStatus.ARCHIVED,
]


def for_user(user):
    """Gather the account page in a fixed number of queries, whatever the number of projects."""
    projects = db.session.execute(
        with_row_details(
            db.select(Project)
            .join(project_mentors, project_mentors.c.project_id == Project.id)
            .where(project_mentors.c.user_id == user.id)
            .order_by(Project.updated_at.desc(), Project.id.desc())
        )
    ).scalars().all()
    by_status = {status: [] for status in STATUS_ORDER}
    for project in projects:
        by_status[project.status].append(project)
    own_claims = db.session.execute(
        db.select(Claim)
        .where(Claim.user_id == user.id, Claim.ended_at.is_(None))
        .options(joinedload(Claim.project))
        .order_by(Claim.updated_at.desc())
    ).scalars().all()
    return {
        "user": user,
        "projects_by_status": [(status, rows) for status, rows in by_status.items() if rows],
        "latest_comments": latest_comments([project.id for project in projects]),
        "own_claims": own_claims,
        "places_left": places_left([user])[user.id],
        "invitations": invitations_to(user),
        "finished": finished_by(user),
        "saved_searches": saved_searches_of(user),
    }


def saved_searches_of(user):
    """The person's saved searches, newest first (at most domain.alerts.MAX_SAVED)."""
    return db.session.execute(
        db.select(SavedSearch).where(SavedSearch.user_id == user.id)
        .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
    ).scalars().all()


def saved_search_of(user, search_id):
    """One of the person's saved searches, or None (someone else's is None too)."""
    return db.session.execute(
        db.select(SavedSearch).where(SavedSearch.id == search_id, SavedSearch.user_id == user.id)
    ).scalar_one_or_none()


def invitations_to(user):
    """The invitations to co-mentor that wait for user's answer, oldest first, with their projects."""
    return db.session.execute(
        db.select(MentorInvitation)
        .where(MentorInvitation.invitee_id == user.id)
        .options(joinedload(MentorInvitation.project), joinedload(MentorInvitation.invited_by))
        .order_by(MentorInvitation.created_at, MentorInvitation.id)
    ).scalars().all()


def invitation_to(user, invitation_id):
    """One invitation waiting for user's answer, with a lock on it (two answers at once), or None."""
    return db.session.execute(
        db.select(MentorInvitation)
        .where(MentorInvitation.id == invitation_id, MentorInvitation.invitee_id == user.id)
        .with_for_update()
    ).scalar_one_or_none()


def latest_comments(project_ids):
    """The newest review event with a comment for each project, by project id."""
    if not project_ids:
        return {}
    events = db.session.execute(
        db.select(ReviewEvent)
        .where(ReviewEvent.project_id.in_(project_ids), ReviewEvent.comment != "")
        .options(joinedload(ReviewEvent.actor))
        .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc())
    ).scalars().all()
    latest = {}
    for event in events:
        latest.setdefault(event.project_id, event)
    return latest
