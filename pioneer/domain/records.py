"""A project as plain data: the one serializer behind `pioneer export` (JSON and CSV) and the JSON API.

The fields are those of the JSON format (docs/api.md, README "The JSON format"); `pioneer import`
reads them back. Keeping one function means the API, the export and the downloads cannot disagree.
"""

from collections.abc import Sequence
from datetime import UTC

from sqlalchemy.orm import selectinload

from ..database import db
from ..models import Project, ProjectSkill


def record_options():
    """Loader options that give project_record everything it reads, in a fixed number of queries."""
    return (
        selectinload(Project.area),
        selectinload(Project.mentors),
        selectinload(Project.skills).joinedload(ProjectSkill.skill),
        selectinload(Project.links),
    )


def projects_for_records(ids: Sequence[int]) -> list[Project]:
    """Load the projects with these ids, ready for project_record, in the order of ids."""
    if not ids:
        return []
    statement = db.select(Project).where(Project.id.in_(ids)).options(*record_options())
    rows = db.session.execute(statement.execution_options(populate_existing=True)).scalars().all()
    position = {project_id: index for index, project_id in enumerate(ids)}
    return sorted(rows, key=lambda project: position[project.id])


def project_record(project):
    """A project as plain JSON-ready data (the format of `pioneer export --format json`)."""
    return {
        "slug": project.slug,
        "title": project.title,
        "summary": project.summary or "",
        "description": project.description or "",
        "outcomes": project.outcomes or "",
        "stars": None if project.stars is None else int(project.stars),
        "time": None if project.time_rating is None else int(project.time_rating),
        "hours": project.actual_hours,
        "area": project.area.name if project.area else None,
        "status": project.status.value,
        "mentors": [{"name": user.name, "username": user.username} for user in project.mentors],
        "skills": [
            {"name": row.skill.name, "level": row.level.value, "required": bool(row.required)}
            for row in project.skills
        ],
        "links": [{"title": link.title or "", "url": link.url, "kind": link.kind.value} for link in project.links],
        "created_at": iso_utc(project.created_at),
        "approved_at": iso_utc(project.approved_at),
    }


def iso_utc(moment):
    """ISO 8601 in UTC with a Z ("2026-12-02T14:50:42Z"), or None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
