"""Claims: a signed-in newcomer says "I am working on this"; they end by release, expiry or finish."""

from datetime import timedelta

from .. import workflow
from ..database import db
from ..models import Claim, InternStatus, ProjectStatus, ReviewAction, utcnow
from ..permissions import is_mentor_of


class ClaimError(Exception):
    """A claim that cannot be made or changed, with the reason for the person."""


def active_claim(project, user):
    return next((claim for claim in project.active_claims if claim.user_id == user.id), None)


def make_claim(project, user, note=""):
    """Claim project for user; an available project goes in progress."""
    if is_mentor_of(user, project):
        raise ClaimError("You mentor this project, so you cannot claim it.")
    if active_claim(project, user):
        raise ClaimError("You already work on this project.")
    if project.status is ProjectStatus.AVAILABLE:
        workflow.apply(project, ReviewAction.START, user, comment="claimed")
    elif not (project.status is ProjectStatus.IN_PROGRESS and project.allow_multiple_claims):
        raise ClaimError("Someone already works on this project. Look for a similar one that is available.")
    claim = Claim(project=project, user=user, note=note.strip())
    db.session.add(claim)
    return claim


def update_claim(claim, note):
    """Say the work goes on: a new note, and the expiry clock starts again."""
    claim.note = note.strip()
    claim.updated_at = utcnow()


def end_claim(claim, reason, actor):
    """End a claim; the project is available again when no one else works on it."""
    claim.ended_at, claim.end_reason = utcnow(), reason
    project = claim.project
    others = [other for other in project.active_claims if other.id != claim.id]
    interns = [intern for intern in project.interns if intern.status is InternStatus.ACTIVE]
    if project.status is ProjectStatus.IN_PROGRESS and not others and not interns:
        workflow.apply(project, ReviewAction.RELEASE, actor, comment=f"claim {reason.value}")


def expired_claims(days, now=None):
    """Active claims without an update for more than days."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    return db.session.execute(
        db.select(Claim).where(Claim.ended_at.is_(None), Claim.updated_at < cutoff).order_by(Claim.updated_at)
    ).scalars().all()
