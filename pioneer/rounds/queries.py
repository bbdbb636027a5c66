"""Queries behind the rounds pages."""

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..database import db
from ..domain.queries import PUBLIC_INTERN_STATUSES
from ..models import Intern, Invitation, Round


def rounds_page(page, per_page):
    """Every round, newest first, a page at a time."""
    return db.paginate(db.select(Round).order_by(Round.starts_on.desc(), Round.id.desc()),
                       page=page, per_page=per_page, max_per_page=per_page, error_out=False)


def intern_counts(rounds):
    """Map each round's id to how many interns the public may know about (as its page lists them)."""
    if not rounds:
        return {}
    return dict(db.session.execute(
        db.select(Intern.round_id, db.func.count(Intern.id))
        .where(Intern.round_id.in_([round_.id for round_ in rounds]), Intern.status.in_(PUBLIC_INTERN_STATUSES))
        .group_by(Intern.round_id)
    ).all())


def round_by_slug(slug):
    return db.session.execute(db.select(Round).where(Round.slug == slug)).scalar_one_or_none()


def interns_of(round_):
    """A round's interns by name, with their project, mentors and notes."""
    return db.session.execute(
        db.select(Intern).where(Intern.round_id == round_.id)
        .options(joinedload(Intern.project), selectinload(Intern.mentors), selectinload(Intern.notes))
        .order_by(Intern.name, Intern.id)
    ).scalars().all()


def intern_in_round(slug, intern_id):
    """The intern with this id in the round with this slug, or None."""
    return db.session.execute(
        db.select(Intern).join(Round).where(Intern.id == intern_id, Round.slug == slug)
        .options(selectinload(Intern.mentors), selectinload(Intern.notes))
    ).scalar_one_or_none()


def email_taken(intern, email):
    """Tell whether another intern of the same round has this email."""
    return db.session.execute(
        db.select(Intern.id).where(Intern.round_id == intern.round.id, Intern.email == email,
                                   Intern.id != (intern.id or 0))
    ).first() is not None


def invitations_for_interns(intern_ids):
    """Map each intern id to their invitations, oldest first, with each invitation's call loaded."""
    found = defaultdict(list, {intern_id: [] for intern_id in intern_ids})
    if not intern_ids:
        return dict(found)
    rows = db.session.execute(
        sa.select(Invitation).options(joinedload(Invitation.call))
        .where(Invitation.intern_id.in_(list(intern_ids))).order_by(Invitation.invited_at, Invitation.id)
    ).scalars()
    for invitation in rows:
        found[invitation.intern_id].append(invitation)
    return dict(found)
