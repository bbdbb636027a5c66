"""Interns move through a round; an active intern puts their project in progress, and completion can finish it."""

from .. import workflow
from ..database import db
from ..models import InternNote, InternStatus, ProjectStatus, ReviewAction

# Where an intern can go from each status.
NEXT_STATUSES = {
    InternStatus.APPLICANT: {InternStatus.ACCEPTED, InternStatus.WITHDRAWN},
    InternStatus.ACCEPTED: {InternStatus.ACTIVE, InternStatus.WITHDRAWN},
    InternStatus.ACTIVE: {InternStatus.COMPLETED, InternStatus.WITHDRAWN},
    InternStatus.COMPLETED: set(),
    InternStatus.WITHDRAWN: set(),
}


class InternError(Exception):
    """A change to an intern that cannot be made, with the reason for the person."""


def change_status(intern, status, user, finish_project=False, actual_hours=None):
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
        workflow.apply(project, ReviewAction.FINISH, user, comment=f"completed by {intern.name}",
                       on_behalf_of_programme=True)
        if actual_hours:
            project.actual_hours = actual_hours
    elif leaving_active and project.status is ProjectStatus.IN_PROGRESS and not _others_working(project, intern):
        workflow.apply(project, ReviewAction.RELEASE, user, comment=f"{intern.name} {status.value}")


def _others_working(project, intern):
    """Tell whether anyone but intern still works on project: another active intern or a claim."""
    return bool(project.active_claims) or any(
        other.id != intern.id and other.status is InternStatus.ACTIVE for other in project.interns
    )


def add_note(intern, author, body):
    note = InternNote(intern=intern, author=author, body=body.strip())
    db.session.add(note)
    return note
