"""Stale projects: the reminder each mentor gets, listing their projects with a link to confirm each."""

from collections import defaultdict

from flask import current_app
from sqlalchemy.orm import selectinload

from .. import mail
from ..database import db
from ..models import Project
from .queue import stale_condition


def stale_projects_by_mentor():
    """Map each mentor who can be mailed to their stale projects, 1-star first."""
    projects = db.session.execute(
        db.select(Project).where(stale_condition()).options(selectinload(Project.mentors))
        .order_by(db.func.coalesce(Project.stars, 6), Project.title)
    ).scalars().all()
    by_mentor = defaultdict(list)
    for project in projects:
        for mentor in project.mentors:
            if mentor.email and mentor.is_active:
                by_mentor[mentor].append(project)
    return dict(sorted(by_mentor.items(), key=lambda item: item[0].username)), len(projects)


def reminder(mentor, projects):
    """One message listing a mentor's stale projects, each with its one-click confirmation link."""
    site = current_app.config["SITE_URL"].rstrip("/")
    days = current_app.config["STALE_AFTER_DAYS"]
    lines = [
        f"Hello {mentor.name},",
        "",
        f"Nobody has confirmed these projects you mentor for more than {days} days. Newcomers pick projects by "
        "what the page says, so please check each one: open its link, sign in, and press \"Still accurate\", "
        "or edit it first.",
        "",
    ]
    for project in projects:
        stars = f"{int(project.stars)}-star" if project.stars else "not rated"
        lines += [f"- {project.title} ({stars})", f"  {site}/projects/{project.slug}/confirm", ""]
    lines += ["Thank you for keeping the list alive.", ""]
    noun = "project" if len(projects) == 1 else "projects"
    return mail.compose(mentor.email, f"Please check {len(projects)} {noun} you mentor", "\n".join(lines))
