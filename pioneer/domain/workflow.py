"""The project lifecycle (docs/lifecycle.md): which action moves which status, who may take it, and its record.

Functions here change objects and add review events; they never commit (the request or command does).
"""

from dataclasses import dataclass

from ..database import db
from ..models import Project, ProjectStatus, ReviewAction, ReviewEvent, Stars, TimeRating, User, utcnow
from .errors import DomainError
from .permissions import Permission, can, has_permission


class TransitionError(DomainError):
    """An action the project's status or the person's rights do not allow."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: ProjectStatus
    # "mentor": the project's mentors (and reviewers); "reviewer": reviewers only;
    # "system": claims and internships move the project, whoever triggers them.
    by: str


# Written out row by row (no helper call): a table, not code, so mutation/hand_mutants.py mutates it.
TRANSITIONS = {
    ReviewAction.SUBMIT: Transition(frozenset({ProjectStatus.DRAFT}), ProjectStatus.PROPOSED, "mentor"),
    ReviewAction.RESUBMIT: Transition(frozenset({ProjectStatus.CHANGES_REQUESTED}), ProjectStatus.PROPOSED, "mentor"),
    ReviewAction.APPROVE: Transition(frozenset({ProjectStatus.PROPOSED}), ProjectStatus.AVAILABLE, "reviewer"),
    ReviewAction.REQUEST_CHANGES: Transition(
        frozenset({ProjectStatus.PROPOSED}), ProjectStatus.CHANGES_REQUESTED, "reviewer"),
    ReviewAction.REJECT: Transition(
        frozenset({ProjectStatus.PROPOSED, ProjectStatus.CHANGES_REQUESTED}), ProjectStatus.REJECTED, "reviewer"),
    ReviewAction.ARCHIVE: Transition(
        frozenset({ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE}), ProjectStatus.ARCHIVED,
        "reviewer"),
    ReviewAction.RESTORE: Transition(
        frozenset({ProjectStatus.ARCHIVED, ProjectStatus.REJECTED}), ProjectStatus.AVAILABLE, "reviewer"),
    ReviewAction.START: Transition(frozenset({ProjectStatus.AVAILABLE}), ProjectStatus.IN_PROGRESS, "system"),
    ReviewAction.RELEASE: Transition(frozenset({ProjectStatus.IN_PROGRESS}), ProjectStatus.AVAILABLE, "system"),
    ReviewAction.FINISH: Transition(frozenset({ProjectStatus.IN_PROGRESS}), ProjectStatus.DONE, "mentor"),
}

# "Still accurate": reviewers and the project's mentors confirm a public project.
CONFIRMABLE = frozenset({ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE})


def _transition_allowed(project, action, user):
    transition = TRANSITIONS.get(action)
    if transition is None or project.status not in transition.sources:
        return False
    if transition.by == "reviewer":
        return has_permission(user, Permission.REVIEW_PROJECTS)
    if transition.by == "mentor":
        return can(user, Permission.EDIT_PROJECT, project)
    return True


def allowed(project: Project, action: ReviewAction, user: User | None) -> bool:
    """Tell whether user may take action on project in its current status."""
    if action is ReviewAction.CONFIRM:
        return project.status in CONFIRMABLE and can(user, Permission.EDIT_PROJECT, project)
    return _transition_allowed(project, action, user)


def ratings_recorded(project: Project) -> bool:
    """Tell whether a change of ratings goes into the history: once the project has been public."""
    return project.is_public or project.status is ProjectStatus.ARCHIVED


def reviewer_sets_ratings(project: Project, action: ReviewAction) -> bool:
    """Tell whether a reviewer's decision carries the ratings on the form.

    Reviewers set ratings when they approve and may correct them on public projects; sending a
    proposal back or rejecting it leaves the mentor's ratings alone.
    """
    return action is ReviewAction.APPROVE or ratings_recorded(project)


def _refusal(project, action):
    return TransitionError(f"A project that is {project.status.label} does not allow “{action.label}” now.")


def apply(project: Project, action: ReviewAction, user: User | None, comment: str = "",
          ratings: tuple[Stars | None, TimeRating | None] | None = None,
          on_behalf_of_programme: bool = False) -> ReviewEvent:
    """Take action on project and record it; raise TransitionError when it is not allowed.

    ratings, a (stars, time_rating) pair, sets both in the same step and the same history entry.
    on_behalf_of_programme: a coordinator moving a project with its intern (an intern starts, completes
    or withdraws) may take the mentors' part; the status rules still hold.
    """
    if on_behalf_of_programme and has_permission(user, Permission.MANAGE_PROGRAMMES):
        if action not in TRANSITIONS or project.status not in TRANSITIONS[action].sources:
            raise _refusal(project, action)
    elif not allowed(project, action, user):
        raise _refusal(project, action)
    now, changes = utcnow(), {}
    if ratings is not None and tuple(ratings) != (project.stars, project.time_rating):
        changes = {"from_stars": project.stars, "to_stars": ratings[0],
                   "from_time": project.time_rating, "to_time": ratings[1]}
        project.stars, project.time_rating = ratings
    if action is ReviewAction.CONFIRM:
        project.last_reviewed_at = now
        if has_permission(user, Permission.REVIEW_PROJECTS):
            project.needs_review = False
        return record(project, action, user, comment=comment, **changes)
    before = project.status
    project.status = TRANSITIONS[action].target
    if action is ReviewAction.APPROVE:
        project.approved_at = project.approved_at or now
        project.last_reviewed_at = now
        project.needs_review = False
    return record(project, action, user, comment=comment, from_status=before, to_status=project.status, **changes)


def record(project: Project, action: ReviewAction, user: User | None, comment: str = "", **changes) -> ReviewEvent:
    """Add one entry to the project's history."""
    event = ReviewEvent(project=project, actor=user, action=action, comment=(comment or "").strip(), **changes)
    db.session.add(event)
    return event


def record_rating_change(project: Project, user: User | None, stars: Stars | None,
                         time_rating: TimeRating | None) -> ReviewEvent | None:
    """Set new ratings; a mentor's change to a public project is recorded and flags it for re-review."""
    if (project.stars, project.time_rating) == (stars, time_rating):
        return None
    event = None
    if ratings_recorded(project):
        event = record(
            project, ReviewAction.RATE, user,
            from_stars=project.stars, to_stars=stars, from_time=project.time_rating, to_time=time_rating,
        )
        if not has_permission(user, Permission.REVIEW_PROJECTS):
            project.needs_review = True
    project.stars, project.time_rating = stars, time_rating
    return event


SUBMIT_LABELS = {ReviewAction.SUBMIT: "Submit for review", ReviewAction.RESUBMIT: "Resubmit for review"}


def submit_action(project: Project, user: User | None) -> str | None:
    """Name the button that sends project to reviewers from its page, or None when user may not."""
    for action, label in SUBMIT_LABELS.items():
        if user is not None and allowed(project, action, user):
            return label
    return None
