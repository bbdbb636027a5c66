"""Queries behind the project form."""

from sqlalchemy.orm import joinedload

from ..database import db
from ..models import Area, MentorInvitation


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
