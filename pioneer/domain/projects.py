"""Rules about one project beyond its status table: who works on it, finishing it, its address, its skills."""

from ..database import db, free_value, get_or_create
from ..models import ClaimEnd, InternStatus, Project, ProjectStatus, ReviewAction, Skill, User
from ..text import slugify
from . import workflow

# Paths that are pages, not projects: /projects/new and /review/gaps.
RESERVED_SLUGS = {"new", "gaps"}


def unique_slug(title: str) -> str:
    """A slug for a new project: from the title, with a number added when it is taken."""
    return free_value(Project.slug, slugify(title) or "project", reserved=RESERVED_SLUGS)


def skill_named(name: str) -> Skill:
    """The skill with this name, added when it is new."""
    return get_or_create(Skill, name=name)[0]


def someone_works_on(project: Project) -> bool:
    """Tell whether anyone works on project now: an active claim or an active intern.

    Callers end the claim or move the intern first, then ask: the one leaving no longer counts.
    """
    return bool(project.active_claims) or any(intern.status is InternStatus.ACTIVE for intern in project.interns)


def release_if_idle(project: Project, actor: User | None, comment: str) -> None:
    """Make a project in progress available again when nobody works on it any more."""
    if project.status is ProjectStatus.IN_PROGRESS and not someone_works_on(project):
        workflow.apply(project, ReviewAction.RELEASE, actor, comment=comment)


def finish(project: Project, user: User | None, actual_hours: int | None = None, comment: str = "",
           on_behalf_of_programme: bool = False) -> None:
    """Mark a project in progress as done: its claims end as finished, and the hours it took are kept.

    Raises workflow.TransitionError when the project is not in progress or user may not finish it.
    """
    workflow.apply(project, ReviewAction.FINISH, user, comment=comment, on_behalf_of_programme=on_behalf_of_programme)
    for claim in project.active_claims:
        claim.end(ClaimEnd.FINISHED)
    if actual_hours:
        project.actual_hours = actual_hours


def by_slug(slug: str, lock: bool = False) -> Project | None:
    """The project at /projects/<slug>, or None; lock it for the transaction when asked."""
    statement = db.select(Project).where(Project.slug == slug)
    if lock:
        # PostgreSQL: the second of two simultaneous changes waits here, then sees the first.
        # SQLite: the write transaction (BEGIN IMMEDIATE) already serialises them.
        statement = statement.with_for_update()
    return db.session.execute(statement).scalar_one_or_none()
