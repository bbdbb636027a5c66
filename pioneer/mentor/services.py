"""Saving a proposal or an edit from the project form; the caller commits."""

from ..accounts.services import users_named
from ..database import db, free_value
from ..models import Area, Project, ProjectStatus, Skill
from ..permissions import Permission, has_permission
from ..text import slugify
from ..workflow import record_rating_change
from .forms import MAX_MENTORS

# Paths that are pages, not projects: /projects/new and /review/gaps.
RESERVED_SLUGS = {"new", "gaps"}


def unique_slug(title):
    """A slug for a new project: from the title, with a number added when it is taken."""
    return free_value(Project.slug, slugify(title, max_length=100) or "project", reserved=RESERVED_SLUGS)


def skill_named(name):
    skill = db.session.execute(db.select(Skill).where(Skill.name == name)).scalar_one_or_none()
    if skill is None:
        skill = Skill(name=name)
        db.session.add(skill)
    return skill


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
    project.area = (
        db.session.execute(db.select(Area).where(Area.slug == form.area.data)).scalar_one_or_none()
        if form.area.data else None
    )
    project.allow_multiple_claims = bool(form.allow_multiple_claims.data)
    project.mentors = mentors
    project.set_skills([(skill_named(name), level, required) for name, level, required in form.skill_rows()])
    project.set_links(form.link_rows())
    record_rating_change(project, editor, form.stars_value, form.time_value)


def new_project(form, editor, mentors):
    project = Project(slug=unique_slug(form.title.data), status=ProjectStatus.DRAFT, proposed_by=editor)
    db.session.add(project)
    fill_project(project, form, editor, mentors)
    return project
