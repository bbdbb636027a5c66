"""Claims: a signed-in newcomer says "I am working on this"; they end by release, expiry or finish."""

from datetime import datetime, timedelta

from ..database import db
from ..models import Claim, ClaimEnd, Project, ProjectStatus, ReviewAction, User, utcnow
from . import workflow
from .errors import DomainError
from .permissions import is_mentor_of
from .projects import release_if_idle
from .queries import places_left


class ClaimError(DomainError):
    """A claim that cannot be made or changed, with the reason for the person."""


def active_claim(project: Project, user: User) -> Claim | None:
    """The claim user holds on project now, if any.

    The objects are compared, not their ids: a claim just made has no ids until the flush, and the
    session keeps one object per row, so a loaded claim's user is the very same object as user.
    """
    return next((claim for claim in project.active_claims if claim.user is user), None)


def open_to_claims(project: Project) -> bool:
    """Tell whether someone new may claim project: it is available, or in progress and open to several people."""
    return project.status is ProjectStatus.AVAILABLE or (
        project.status is ProjectStatus.IN_PROGRESS and project.allow_multiple_claims
    )


def claim_state(project: Project, user: User | None) -> str | None:
    """Say what the claim button offers user: "mine", "open", or None when there is nothing to claim."""
    if user is not None and active_claim(project, user):
        return "mine"
    if is_mentor_of(user, project) or not open_to_claims(project):
        return None
    return "open"


def make_claim(project: Project, user: User, note: str = "") -> Claim:
    """Claim project for user; an available project goes in progress."""
    if is_mentor_of(user, project):
        raise ClaimError("You mentor this project, so you cannot claim it.")
    if active_claim(project, user):
        raise ClaimError("You already work on this project.")
    if not open_to_claims(project):
        raise ClaimError("Someone already works on this project. Look for a similar one that is available.")
    if project.status is ProjectStatus.AVAILABLE:
        workflow.apply(project, ReviewAction.START, user, comment="claimed")
    claim = Claim(project=project, user=user, note=note.strip(), mentor=mentor_to_take_on(project))
    db.session.add(claim)
    return claim


def mentor_to_take_on(project: Project) -> User | None:
    """The mentor whose place a new claim takes: the one with the most places left, the first listed on a tie.

    A claim counts against one mentor, not every mentor of the project (docs/lifecycle.md, "Places").
    """
    mentors = list(project.mentors)
    if not mentors:
        return None
    left = places_left(mentors)
    return max(mentors, key=lambda mentor: (left[mentor.id], -mentors.index(mentor)))


def update_claim(claim: Claim, note: str) -> None:
    """Say the work goes on: a new note, and the expiry clock starts again."""
    claim.note = note.strip()
    claim.updated_at = utcnow()


def end_claim(claim: Claim, reason: ClaimEnd, actor: User | None) -> None:
    """End a claim; the project is available again when no one else works on it."""
    claim.end(reason)  # an ended claim no longer counts as someone working on the project
    release_if_idle(claim.project, actor, comment=f"claim {reason.value}")


def expired_claims(days: int, now: datetime | None = None) -> list[Claim]:
    """Active claims without an update for more than days."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    return list(db.session.execute(
        db.select(Claim).where(Claim.ended_at.is_(None), Claim.updated_at < cutoff).order_by(Claim.updated_at)
    ).scalars())
