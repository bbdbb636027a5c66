"""The project lifecycle of SPEC §3: which action moves which status, who may take it, and its record.

Functions here change objects and add review events; they never commit (the request or command does).
"""

from dataclasses import dataclass

from .database import db
from .models import ProjectStatus as S
from .models import ReviewAction as A
from .models import ReviewEvent, utcnow
from .permissions import Permission, can, has_permission


class TransitionError(Exception):
    """An action the project's status or the person's rights do not allow."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: S
    # "mentor": the project's mentors (and reviewers); "reviewer": reviewers only;
    # "system": claims and internships move the project, whoever triggers them.
    by: str


# Written out row by row (no helper call): a table, not code, so mutation/hand_mutants.py mutates it.
TRANSITIONS = {
    A.SUBMIT: Transition(frozenset({S.DRAFT}), S.PROPOSED, "mentor"),
    A.RESUBMIT: Transition(frozenset({S.CHANGES_REQUESTED}), S.PROPOSED, "mentor"),
    A.APPROVE: Transition(frozenset({S.PROPOSED}), S.AVAILABLE, "reviewer"),
    A.REQUEST_CHANGES: Transition(frozenset({S.PROPOSED}), S.CHANGES_REQUESTED, "reviewer"),
    A.REJECT: Transition(frozenset({S.PROPOSED, S.CHANGES_REQUESTED}), S.REJECTED, "reviewer"),
    A.ARCHIVE: Transition(frozenset({S.AVAILABLE, S.IN_PROGRESS, S.DONE}), S.ARCHIVED, "reviewer"),
    A.RESTORE: Transition(frozenset({S.ARCHIVED, S.REJECTED}), S.AVAILABLE, "reviewer"),
    A.START: Transition(frozenset({S.AVAILABLE}), S.IN_PROGRESS, "system"),
    A.RELEASE: Transition(frozenset({S.IN_PROGRESS}), S.AVAILABLE, "system"),
    A.FINISH: Transition(frozenset({S.IN_PROGRESS}), S.DONE, "mentor"),
}


def _transition_allowed(project, action, user):
    transition = TRANSITIONS.get(action)
    if transition is None or project.status not in transition.sources:
        return False
    if transition.by == "reviewer":
        return has_permission(user, Permission.REVIEW_PROJECTS)
    if transition.by == "mentor":
        return can(user, Permission.EDIT_PROJECT, project)
    return True


# "Still accurate": reviewers and the project's mentors confirm a public project.
CONFIRMABLE = frozenset({S.AVAILABLE, S.IN_PROGRESS, S.DONE})


def allowed(project, action, user):
    """Tell whether user may take action on project in its current status."""
    if action is A.CONFIRM:
        return project.status in CONFIRMABLE and can(user, Permission.EDIT_PROJECT, project)
    return _transition_allowed(project, action, user)


def apply(project, action, user, comment="", ratings=None, on_behalf_of_programme=False):
    """Take action on project and record it; raise TransitionError when it is not allowed.

    ratings, a (stars, time_rating) pair, sets both in the same step and the same history entry.
    on_behalf_of_programme: a coordinator moving a project with its intern (an intern starts, completes
    or withdraws) may take the mentors' part; the status rules still hold.
    """
    if on_behalf_of_programme and has_permission(user, Permission.MANAGE_PROGRAMMES):
        if action not in TRANSITIONS or project.status not in TRANSITIONS[action].sources:
            raise TransitionError(f"A project that is {project.status.label} cannot be moved by “{action.label}” now.")
    elif not allowed(project, action, user):
        raise TransitionError(f"A project that is {project.status.label} cannot be moved by “{action.label}” now.")
    now, changes = utcnow(), {}
    if ratings is not None and tuple(ratings) != (project.stars, project.time_rating):
        changes = {"from_stars": project.stars, "to_stars": ratings[0],
                   "from_time": project.time_rating, "to_time": ratings[1]}
        project.stars, project.time_rating = ratings
    if action is A.CONFIRM:
        project.last_reviewed_at = now
        if has_permission(user, Permission.REVIEW_PROJECTS):
            project.needs_review = False
        return record(project, action, user, comment=comment, **changes)
    before = project.status
    project.status = TRANSITIONS[action].target
    if action is A.APPROVE:
        project.approved_at = project.approved_at or now
        project.last_reviewed_at = now
        project.needs_review = False
    return record(project, action, user, comment=comment, from_status=before, to_status=project.status, **changes)


def record(project, action, user, comment="", **changes):
    """Add one entry to the project's history."""
    event = ReviewEvent(project=project, actor=user, action=action, comment=(comment or "").strip(), **changes)
    db.session.add(event)
    return event


def record_rating_change(project, user, stars, time_rating):
    """Set new ratings; a mentor's change to a public project is recorded and flags it for re-review."""
    if (project.stars, project.time_rating) == (stars, time_rating):
        return None
    event = None
    if project.is_public or project.status is S.ARCHIVED:
        event = record(
            project, A.RATE, user,
            from_stars=project.stars, to_stars=stars, from_time=project.time_rating, to_time=time_rating,
        )
        if not has_permission(user, Permission.REVIEW_PROJECTS):
            project.needs_review = True
    project.stars, project.time_rating = stars, time_rating
    return event
