"""Build a project's index document from the database."""

import hashlib
import json
from collections.abc import Collection

from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import PUBLIC_STATUSES, UNRATED_LAST, Project


def load_projects(session: Session, project_ids: Collection[int]) -> dict[int, Project]:
    """Load projects with everything their documents need, in a fixed number of queries."""
    if not project_ids:
        return {}
    statement = (
        session.query(Project)
        .filter(Project.id.in_(project_ids))
        .options(joinedload(Project.area), selectinload(Project.skills), selectinload(Project.mentors))
    )
    return {project.id: project for project in statement}


def is_indexed(project: Project | None) -> bool:
    """Only publicly listed projects are in the public index."""
    return project is not None and project.status in PUBLIC_STATUSES


def document(project: Project) -> dict[str, str | int]:
    """The index document of one public project, with a digest of its contents for checks."""
    fields = _fields(project)
    fields["digest"] = hashlib.sha1(json.dumps(fields, sort_keys=True).encode()).hexdigest()
    return fields


def _fields(project):
    skills = [row.skill.name for row in project.skills]
    mentors = project.mentors
    # The words "Did you mean" and the fuzzy fallback know: the ones people search for. Descriptions
    # would triple the indexing work for words nobody types (docs/search.md, "Schema").
    text_parts = [project.title, project.summary, " ".join(skills), project.area.name if project.area else ""]
    return {
        "id": str(project.id),
        "title": project.title,
        "summary": project.summary or "",
        "body": f"{project.description or ''}\n\n{project.outcomes or ''}",
        "tags": " ".join([*skills, project.area.name if project.area else "", time_label(project),
                          *(f"{mentor.name} {mentor.username}" for mentor in mentors)]),
        "spelling": " ".join(part for part in text_parts if part),
        "stars": int(project.stars or 0),
        "time": int(project.time_rating or 0),
        "stars_sort": int(project.stars or UNRATED_LAST),
        "time_sort": int(project.time_rating or UNRATED_LAST),
        "area": project.area.slug if project.area else "",
        "skills": ",".join(skills),
        "mentor": ",".join(mentor.username for mentor in mentors),
        "status": project.status.value,
        "approved": int(project.approved_at.timestamp()) if project.approved_at else 0,
        "title_sort": project.title.lower(),
    }


def time_label(project: Project) -> str:
    """The time rating in words ("a week"), so people can search by how long they have."""
    return project.time_rating.label if project.time_rating else ""
