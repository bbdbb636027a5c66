"""Queries behind the project form."""

from sqlalchemy.orm import joinedload

from ..database import db
from ..models import Area, MentorInvitation, ReviewAction, ReviewEvent


def areas():
    """The community's areas, by name, for the form's choice."""
    return db.session.execute(db.select(Area).order_by(Area.name)).scalars().all()


def area_with_slug(slug):
    return db.session.execute(db.select(Area).where(Area.slug == slug)).scalar_one_or_none()


def pending_invitations(project):
    """The project's invitations to co-mentor that wait for an answer, oldest first."""
    return db.session.execute(
        db.select(MentorInvitation)
        .where(MentorInvitation.project_id == project.id)
        .options(joinedload(MentorInvitation.invited_by))
        .order_by(MentorInvitation.created_at, MentorInvitation.id)
    ).scalars().all()


def invitation_of(project, invitation_id):
    """One of the project's pending invitations, or None."""
    return db.session.execute(
        db.select(MentorInvitation)
        .where(MentorInvitation.id == invitation_id, MentorInvitation.project_id == project.id)
    ).scalar_one_or_none()


# Decisions whose comment the mentors are asked to act on; the newest one heads the edit form.
DECISIONS_WITH_COMMENTS = (ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT, ReviewAction.APPROVE)


def latest_review_comment(project):
    """The newest reviewer decision on project that came with a comment, or None."""
    return db.session.execute(
        db.select(ReviewEvent)
        .where(ReviewEvent.project_id == project.id, ReviewEvent.action.in_(DECISIONS_WITH_COMMENTS),
               ReviewEvent.comment != "")
        .options(joinedload(ReviewEvent.actor))
        .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc())
        .limit(1)
    ).scalar_one_or_none()
