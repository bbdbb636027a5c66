"""Queries behind the calls pages."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..database import db
from ..models import Call, CallRepeat, Intern, Invitation, utcnow
from .calendar import next_start

# The longest call the duration column can hold (a SmallInteger of minutes): no call that started
# earlier can still be going on, unless it repeats.
LONGEST_CALL = timedelta(minutes=32767)


def upcoming_calls(now=None):
    """List (call, next start) for calls still to come or going on, soonest first."""
    now = now or utcnow()
    horizon = now - LONGEST_CALL
    candidates = db.session.execute(sa.select(Call).where(sa.or_(
        Call.starts_at >= horizon,
        sa.and_(Call.repeat != CallRepeat.NONE, Call.repeat_until >= horizon.date()),
    ))).scalars()
    found = [(call, next_start(call, now)) for call in candidates]
    return sorted(((call, start) for call, start in found if start), key=lambda pair: (pair[1], pair[0].id))


def past_calls_page(upcoming, page, per_page):
    """The calls that are not upcoming, latest first, a page at a time."""
    return db.paginate(
        sa.select(Call).where(Call.id.not_in([call.id for call in upcoming]))
        .order_by(Call.starts_at.desc(), Call.id.desc()),
        page=page, per_page=per_page, max_per_page=per_page, error_out=False,
    )


def invitations_of(call):
    """Everyone invited to call, in the order they were invited, with their internship."""
    return db.session.execute(
        sa.select(Invitation).where(Invitation.call_id == call.id)
        .options(selectinload(Invitation.intern).joinedload(Intern.round), selectinload(Invitation.attendances))
        .order_by(Invitation.invited_at, Invitation.id)
    ).scalars().all()


def invited_count(call):
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Invitation).where(Invitation.call_id == call.id)).scalar_one()


def unsent_invitations(call, invitation_id=None):
    query = (sa.select(Invitation).options(selectinload(Invitation.user))
             .where(Invitation.call_id == call.id, Invitation.sent_at.is_(None)).order_by(Invitation.id))
    if invitation_id is not None:
        query = query.where(Invitation.id == invitation_id)
    return db.session.execute(query).scalars().all()


def invitation_for_user(call, user):
    """The signed-in person's own invitation to call (by account, or by their account's address), or None."""
    if user is None:
        return None
    mine = sa.or_(Invitation.user_id == user.id, sa.func.lower(Invitation.email) == (user.email or "").lower())
    return db.session.execute(
        sa.select(Invitation).where(Invitation.call_id == call.id, mine).order_by(Invitation.id).limit(1)
    ).scalar_one_or_none()
