"""Saving a proposal or an edit from the project form; the caller commits."""

from ..database import db
from ..domain.people import users_named
from ..domain.permissions import Permission, has_permission
from ..domain.projects import skill_named, unique_slug
from ..domain.workflow import record_rating_change
from ..models import Project, ProjectStatus
from .forms import MAX_MENTORS
from .queries import area_with_slug


def resolve_mentors(form, editor):
    """Turn the mentors field into users, adding errors to the form for what does not fit."""
    usernames = form.mentor_usernames()
    if len(usernames) > MAX_MENTORS:
        form.mentors.errors.append(f"Name at most {MAX_MENTORS} mentors.")
        return None
    users, unknown = users_named(usernames)
    if unknown:
        form.mentors.errors.append(f"No account has the username {', '.join(unknown)}.")
        return None
    if editor not in users and not has_permission(editor, Permission.REVIEW_PROJECTS):
        form.mentors.errors.append("Keep your own username: without it you could no longer edit this project.")
        return None
    return users


def fill_project(project, form, editor, mentors):
    """Copy the form into project; a mentor's new rating on a public project is recorded and flagged."""
    project.title = form.title.data.strip()
    project.summary = form.summary.data
    project.description = form.description.data or ""
    project.outcomes = form.outcomes.data or ""
    project.area = area_with_slug(form.area.data) if form.area.data else None
    project.allow_multiple_claims = bool(form.allow_multiple_claims.data)
    project.mentors = mentors
    project.set_skills([(skill_named(name), level, required) for name, level, required in form.skill_rows()])
    project.set_links(form.link_rows())
    record_rating_change(project, editor, form.stars.data, form.time_rating.data)


def new_project(form, editor, mentors):
    """Add a draft from the form, proposed by editor."""
    project = Project(slug=unique_slug(form.title.data), status=ProjectStatus.DRAFT, proposed_by=editor)
    db.session.add(project)
    fill_project(project, form, editor, mentors)
    return project
