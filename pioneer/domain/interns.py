"""Interns move through a round; an active intern puts their project in progress, and completion can finish it."""

from datetime import date

from ..database import db
from ..models import Intern, InternNote, InternStatus, ProjectStatus, ReviewAction, User
from . import workflow
from .errors import DomainError
from .projects import finish, release_if_idle
from .queries import LOADING_INTERN_STATUSES, places_left

# Where an intern can go from each status.
NEXT_STATUSES = {
    InternStatus.APPLICANT: {InternStatus.ACCEPTED, InternStatus.WITHDRAWN},
    InternStatus.ACCEPTED: {InternStatus.ACTIVE, InternStatus.WITHDRAWN},
    InternStatus.ACTIVE: {InternStatus.COMPLETED, InternStatus.WITHDRAWN},
    InternStatus.COMPLETED: set(),
    InternStatus.WITHDRAWN: set(),
}
# The steps from a new applicant to each status, so that each step's effect on the project happens.
PATHS = {
    InternStatus.APPLICANT: [],
    InternStatus.ACCEPTED: [InternStatus.ACCEPTED],
    InternStatus.ACTIVE: [InternStatus.ACCEPTED, InternStatus.ACTIVE],
    InternStatus.COMPLETED: [InternStatus.ACCEPTED, InternStatus.ACTIVE, InternStatus.COMPLETED],
    InternStatus.WITHDRAWN: [InternStatus.WITHDRAWN],
}


class InternError(DomainError):
    """A change to an intern that cannot be made, with the reason for the person."""


def change_status(intern: Intern, status: InternStatus, user: User | None, finish_project: bool = False,
                  actual_hours: int | None = None) -> None:
    """Move intern to status and keep the project in step with it."""
    if status is intern.status:
        return
    if status not in NEXT_STATUSES[intern.status]:
        raise InternError(f"An intern who is {intern.status.value} cannot become {status.value}.")
    leaving_active = intern.status is InternStatus.ACTIVE
    intern.status = status
    project = intern.project
    if project is None:
        return
    if status is InternStatus.ACTIVE and project.status is ProjectStatus.AVAILABLE:
        workflow.apply(project, ReviewAction.START, user, comment=f"{intern.name}, {intern.round.name}")
    elif status is InternStatus.COMPLETED and finish_project and project.status is ProjectStatus.IN_PROGRESS:
        finish(project, user, actual_hours, comment=f"completed by {intern.name}", on_behalf_of_programme=True)
    elif leaving_active:
        release_if_idle(project, user, comment=f"{intern.name} {status.value}")


def walk_to(intern: Intern, status: InternStatus, user: User | None, finish_project: bool = False,
            actual_hours: int | None = None) -> None:
    """Move a new applicant step by step to status, so each step's effects on the project happen."""
    for step in PATHS[status]:
        change_status(intern, step, user, finish_project=finish_project, actual_hours=actual_hours)


def add_note(intern: Intern, author: User | None, body: str) -> InternNote:
    """Add a private progress note to intern."""
    note = InternNote(intern=intern, author=author, body=body.strip())
    db.session.add(note)
    return note


def joining_problems(intern: Intern, status: InternStatus, today: date) -> list[str]:
    """Say why intern should not move to status today: outside the round's dates, or a mentor without a place.

    A coordinator may still go ahead, giving a reason that is kept in the intern's notes (docs/lifecycle.md).
    """
    problems = []
    round_ = intern.round
    if (status is InternStatus.ACTIVE and intern.status is not InternStatus.ACTIVE and round_ is not None
            and not round_.starts_on <= today <= round_.ends_on):
        problems.append(f"{round_.name} runs from {round_.starts_on.isoformat()} to {round_.ends_on.isoformat()}: "
                        "an intern is active only within those dates.")
    if status in LOADING_INTERN_STATUSES and intern.status not in LOADING_INTERN_STATUSES and intern.mentors:
        left = places_left(intern.mentors)
        full = [mentor.name for mentor in intern.mentors if left[mentor.id] == 0]
        if full:
            problems.append(f"{' and '.join(full)} {'has' if len(full) == 1 else 'have'} no place left "
                            "(their capacity is taken).")
    return problems


def go_ahead_anyway(intern: Intern, user: User | None, problems: list[str], reason: str) -> InternNote:
    """Record that a coordinator moved intern despite problems, and why."""
    return add_note(intern, user, f"Went ahead anyway: {' '.join(problems)} Reason: {reason.strip()}")
